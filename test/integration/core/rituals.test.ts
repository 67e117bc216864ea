// Rituals on a real database: a digest with shared metrics off track opens one thread
// reply per metric, once; the why poll counts each person once; the first decision
// closes it; `/kpi rituals` lists open and decided ones.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KnownCaller } from "../../../src/app/chat/types.ts";
import { createPulseServices, openRituals, type PulseServices, ritualsSubcommand } from "../../../src/app/pulse.ts";
import { isAppError } from "../../../src/core/errors.ts";
import { parsePeriod } from "../../../src/core/kpi/periods.ts";
import { createLogger } from "../../../src/core/logger.ts";
import { parseRitualChoiceId } from "../../../src/core/rituals/messages.ts";
import { recordDecision } from "../../../src/core/rituals/record-decision.ts";
import { voteWhy } from "../../../src/core/rituals/vote-why.ts";
import { ensureDefaultWorkspace, type WorkspaceRow } from "../../../src/store/workspaces.ts";
import { createFakeMessenger, type FakeMessenger } from "../../fakes/fake-messenger.ts";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../../helpers/databases.ts";

describe.each(DIALECTS)("rituals on %s", (dialect) => {
  let test: TestDatabase;
  let services: PulseServices;
  let messenger: FakeMessenger;
  let workspace: WorkspaceRow;
  const now = new Date("2026-10-05T09:00:00Z");
  const period = parsePeriod("2026-09", now, "UTC");
  const offTrack = [
    {
      key: "cac",
      name: "Customer acquisition cost",
      owners: ["marketing", "sales"],
      value: 5000,
      target: 4500,
      unit: "currency" as const,
    },
    {
      key: "mql_to_sql_rate",
      name: "MQL → SQL conversion",
      owners: ["marketing", "sales"],
      value: 0.3,
      target: 0.5,
      unit: "percent" as const,
    },
    { key: "marketing_spend", name: "Marketing spend", owners: ["marketing"] },
  ];

  beforeAll(async () => {
    test = await createTestDatabase(dialect);
    workspace = await ensureDefaultWorkspace(test.db.prisma, "UTC");
    messenger = createFakeMessenger();
    services = createPulseServices({
      db: test.db,
      clock: { now: () => now },
      logger: createLogger("silent"),
      env: { DATABASE_URL: test.url },
      secret: Buffer.alloc(32, 5),
      messengers: { slack: messenger },
    });
  });
  afterAll(async () => test?.drop());

  const digest = () =>
    openRituals(services, {
      workspaceId: workspace.id,
      platform: "slack",
      channelId: "CDIGEST",
      threadId: "1700000000.000100",
      period,
      offTrackSharedMetrics: offTrack,
    });

  it("opens one ritual per shared metric off track, in the digest's thread, naming the owners, once", async () => {
    const [first, again] = await Promise.all([digest(), digest()]);
    expect((first?.opened.length ?? 0) + (again?.opened.length ?? 0)).toBe(2);
    expect(messenger.posts).toHaveLength(2);
    const cac = messenger.posts.find((p) => p.message.text.includes("Customer acquisition cost"));
    expect(cac?.target.threadId).toBe("1700000000.000100");
    expect(cac?.message.text).toContain("off track for September 2026: 5,000 against a target of 4,500");
    expect(cac?.message.text).toContain("Marketing and Sales share it");
    const choices = cac?.message.blocks.find((b) => b.type === "choices");
    expect(choices?.type === "choices" && choices.options.map((o) => o.label)).toEqual([
      "Data problem",
      "Process",
      "Expected",
      "Other",
    ]);
    expect(cac?.message.blocks.some((b) => b.type === "actions" && b.buttons[0]?.label === "Record decision")).toBe(
      true,
    );
    expect(await test.db.prisma.ritual.count()).toBe(2);
  });

  it("counts each person's why once, changeable, and records the first decision only", async () => {
    const cac = messenger.posts.find((p) => p.message.text.includes("Customer acquisition cost"));
    const choices = cac?.message.blocks.find((b) => b.type === "choices");
    const ritualId = choices?.type === "choices" ? (parseRitualChoiceId(choices.id) ?? 0) : 0;
    const vote = (userId: string, reason: string) =>
      voteWhy(services.rituals, { ritualId, platform: "slack", userId, reason });
    await Promise.all([vote("U1", "process"), vote("U1", "process"), vote("U2", "data"), vote("U3", "process")]);
    const changed = await vote("U2", "process");
    expect(changed.message.text).toContain("Changed to Process");
    expect(changed.tally).toEqual({ data: 0, process: 3, expected: 0, other: 0 });
    const votes = await test.db.prisma.ritualVote.findMany({ where: { ritualId } });
    expect(votes).toHaveLength(3);
    expect(JSON.stringify(votes)).not.toMatch(/U1|U2|U3/);

    const decided = await recordDecision(services.rituals, {
      ritualId,
      platform: "slack",
      userId: "U1",
      displayName: "Ada",
      decision: "Sales reviews the lead score with marketing every Monday.",
      metricName: "Customer acquisition cost",
    });
    expect(decided.posted).toBe(true);
    expect(messenger.posts.at(-1)?.message.text).toContain("Why poll: Process 3");
    const second = await recordDecision(services.rituals, {
      ritualId,
      platform: "slack",
      userId: "U2",
      displayName: "Bo",
      decision: "Something else.",
    }).catch((error: unknown) => error);
    expect(isAppError(second) && second.message).toContain("already recorded by Ada");
    const late = await vote("U4", "data");
    expect(late.message.text).toContain("poll is closed");
  });

  it("lists open and decided rituals for /kpi rituals", async () => {
    const caller: KnownCaller = { platform: "slack", userId: "U9", isAdmin: async () => false };
    const message = await ritualsSubcommand(services)({ workspace, caller, args: "" });
    expect(message.text).toContain("Open (1)");
    expect(message.text).toContain("MQL to SQL rate, 2026-09: why? no votes yet");
    expect(message.text).toContain("Decided (1)");
    expect(message.text).toContain("Sales reviews the lead score with marketing every Monday.");
  });
});
