// Outcome checks on a real database: a decision schedules its check (by default at the
// end of the next period) in the same write; each check is posted once whatever the
// schedulers do, retried through the delivery port on a transient failure, recorded
// failed on a lasting one, taken over when its claimer died, and given up after the
// last attempt.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { kpiDeps } from "../../../src/app/kpi.ts";
import { createPulseServices, openRituals, type PulseServices } from "../../../src/app/pulse.ts";
import { DeliveryError } from "../../../src/core/delivery/delivery-error.ts";
import { parsePeriod } from "../../../src/core/kpi/periods.ts";
import { createLogger } from "../../../src/core/logger.ts";
import { recordDecision } from "../../../src/core/rituals/record-decision.ts";
import { type RunDueOutcomesDeps, runDueOutcomes } from "../../../src/core/rituals/run-due-outcomes.ts";
import { createOutcomeStore } from "../../../src/store/ritual-outcomes.ts";
import { createRitualStore } from "../../../src/store/rituals.ts";
import { ensureDefaultWorkspace, type WorkspaceRow } from "../../../src/store/workspaces.ts";
import { createFakeMessenger, type FakeMessenger } from "../../fakes/fake-messenger.ts";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../../helpers/databases.ts";

const DECIDED = new Date("2026-10-05T09:00:00Z");
const DUE = new Date("2026-11-01T00:00:00Z");
const LEASE_MS = 60_000;

describe.each(DIALECTS)("outcome checks on %s", (dialect) => {
  let test: TestDatabase;
  let workspace: WorkspaceRow;
  let services: PulseServices;
  let messenger: FakeMessenger;
  let now = DECIDED;
  const clock = { now: () => now };
  let channel = 0;

  beforeAll(async () => {
    test = await createTestDatabase(dialect);
    workspace = await ensureDefaultWorkspace(test.db.prisma, "UTC");
  });
  afterAll(async () => test?.drop());

  beforeEach(() => {
    now = DECIDED;
    messenger = createFakeMessenger();
    services = createPulseServices({
      db: test.db,
      clock,
      logger: createLogger("silent"),
      env: { DATABASE_URL: test.url },
      secret: Buffer.alloc(32, 5),
      messengers: { slack: messenger },
    });
  });

  const runner = (worker: string, extra: Partial<RunDueOutcomesDeps> = {}): RunDueOutcomesDeps => ({
    outcomes: createOutcomeStore(test.db.prisma),
    rituals: createRitualStore(test.db),
    kpi: kpiDeps(test.db, clock),
    messenger,
    clock,
    logger: createLogger("silent"),
    worker,
    leaseMs: LEASE_MS,
    retry: { sleep: async () => {}, minTimeoutMs: 1, maxTimeoutMs: 1, budgetMs: 10_000, randomize: false },
    ...extra,
  });

  /** A decided cac ritual in a channel of its own; returns its id. */
  async function decided(checkOn: string | null = null): Promise<number> {
    now = DECIDED;
    const channelId = `COUT${++channel}`;
    const { opened } = await openRituals(services, {
      workspaceId: workspace.id,
      platform: "slack",
      channelId,
      threadId: `17000000${channel}.0001`,
      period: parsePeriod("2026-09", DECIDED, "UTC"),
      offTrackSharedMetrics: [{ key: "cac", name: "Customer acquisition cost", owners: ["marketing", "sales"] }],
    });
    const ritualId = opened[0]?.id ?? 0;
    await recordDecision(services.rituals, {
      ritualId,
      platform: "slack",
      userId: "U1",
      displayName: "Ada",
      decision: "Pause the display campaigns.",
      checkOn,
    });
    messenger.posts.length = 0;
    messenger.attempts = 0;
    return ritualId;
  }

  const outcomeOf = (ritualId: number) => test.db.prisma.ritualOutcome.findUniqueOrThrow({ where: { ritualId } });

  it("schedules the check with the decision: by default when the next month ends", async () => {
    const ritualId = await decided();
    expect(await outcomeOf(ritualId)).toMatchObject({ dueAt: DUE, status: "scheduled", attempts: 0 });
    const ritual = await services.rituals.store.get(ritualId);
    expect(ritual?.outcome).toMatchObject({ dueAt: DUE, status: "scheduled", verdict: null });
    await test.db.prisma.ritualOutcome.deleteMany();
  });

  it("posts each due check once, however many schedulers tick at once, and nothing before its day", async () => {
    const ids = [await decided(), await decided("2026-10-20")];
    now = new Date("2026-10-19T23:59:00Z");
    expect(await runDueOutcomes(runner("a"))).toEqual([]);
    now = new Date("2026-10-20T00:00:00Z");
    await Promise.all(["a", "b", "c"].map((worker) => runDueOutcomes(runner(worker))));
    expect(messenger.posts.map((p) => p.target.channelId)).toEqual([`COUT${channel}`]);
    now = DUE;
    const reports = (await Promise.all(["a", "b"].map((worker) => runDueOutcomes(runner(worker))))).flat();
    expect(reports.filter((r) => r.outcome === "posted").map((r) => r.ritualId)).toEqual([ids[0]]);
    expect(messenger.posts).toHaveLength(2);
    // no facts at all: the check says so rather than guessing
    expect(messenger.posts[1]?.message.text).toContain("No data: there are no numbers for October 2026");
    expect(messenger.posts[1]?.target.threadId).toBe(`17000000${channel - 1}.0001`);
    for (const id of ids) expect(await outcomeOf(id)).toMatchObject({ status: "posted", verdict: "no_data" });
    await test.db.prisma.ritualOutcome.deleteMany();
  });

  it("retries a transient delivery failure through the delivery port, and records a lasting one failed", async () => {
    const retried = await decided();
    now = DUE;
    messenger.failPosts(new DeliveryError("rate limited", { status: 429 }));
    expect(await runDueOutcomes(runner("a"))).toEqual([expect.objectContaining({ outcome: "posted" })]);
    expect(messenger.attempts).toBe(2);
    expect(await outcomeOf(retried)).toMatchObject({ status: "posted", attempts: 1 });

    const refused = await decided();
    now = DUE;
    messenger.failPosts(new DeliveryError("not in channel", { status: 403, code: "not_in_channel" }));
    const [report] = await runDueOutcomes(runner("a"));
    expect(report).toMatchObject({ outcome: "failed", platform: "slack" });
    expect(report?.detail).toContain("not_in_channel");
    expect(await outcomeOf(refused)).toMatchObject({ status: "failed" });
    expect(await runDueOutcomes(runner("b"))).toEqual([]);
    const listed = await services.rituals.store.get(refused);
    expect(listed?.outcome?.status).toBe("failed");
    await test.db.prisma.ritualOutcome.deleteMany();
  });

  it("takes over a check whose scheduler died once its lease ran out, and gives up after the last attempt", async () => {
    const ritualId = await decided();
    now = DUE;
    const store = createOutcomeStore(test.db.prisma);
    // a scheduler claims it and dies before posting
    expect(await store.claim({ ritualId, worker: "dead", now, leaseMs: LEASE_MS, maxAttempts: 3 })).toEqual({
      claimed: true,
      attempt: 1,
    });
    expect(await runDueOutcomes(runner("a"))).toEqual([]);
    now = new Date(DUE.getTime() + LEASE_MS);
    const [report] = await runDueOutcomes(runner("a"));
    expect(report).toMatchObject({ ritualId, outcome: "posted" });
    expect(await outcomeOf(ritualId)).toMatchObject({ status: "posted", attempts: 2, claimedBy: "a" });

    const doomed = await decided();
    now = DUE;
    for (let attempt = 1; attempt <= 2; attempt++) {
      await store.claim({ ritualId: doomed, worker: "dead", now, leaseMs: LEASE_MS, maxAttempts: 2 });
      now = new Date(now.getTime() + LEASE_MS);
    }
    const reports = (
      await Promise.all(["a", "b"].map((worker) => runDueOutcomes(runner(worker, { maxAttempts: 2 }))))
    ).flat();
    expect(reports.map((r) => r.outcome).filter((o) => o === "exhausted")).toHaveLength(1);
    expect(await outcomeOf(doomed)).toMatchObject({ status: "failed" });
    expect(messenger.posts).toHaveLength(0);
    await test.db.prisma.ritualOutcome.deleteMany();
  });

  it("leaves a check it could not measure claimed, and measures it again when the lease runs out", async () => {
    const ritualId = await decided();
    now = DUE;
    const broken = runner("a", {
      kpi: { ...kpiDeps(test.db, clock), settingsSource: { load: async () => Promise.reject(new Error("db away")) } },
    });
    expect(await runDueOutcomes(broken)).toEqual([expect.objectContaining({ outcome: "error", detail: "db away" })]);
    expect(await outcomeOf(ritualId)).toMatchObject({ status: "claimed", attempts: 1 });
    now = new Date(DUE.getTime() + LEASE_MS);
    expect(await runDueOutcomes(runner("b"))).toEqual([expect.objectContaining({ outcome: "posted" })]);
    expect(messenger.posts).toHaveLength(1);
  });

  it("refuses a delivery budget that could outlive the claim", async () => {
    await expect(runDueOutcomes(runner("a", { leaseMs: 10_000 }))).rejects.toThrow(/under half the claim lease/);
  });
});
