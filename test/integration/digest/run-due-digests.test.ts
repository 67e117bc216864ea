// The digest scheduler's promises, on real databases with an injected clock: it fires
// at 09:00 local time across daylight saving, posts exactly once however many Tandem
// processes tick at once, survives a crash between claiming and posting, retries rate
// limits, reports what finally fails, and catches up after downtime within its window.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { kpiDeps } from "../../../src/app/kpi.ts";
import { DeliveryError } from "../../../src/core/delivery/delivery-error.ts";
import type { DigestRunStore } from "../../../src/core/digest/ports.ts";
import { type RunDueDigestsDeps, runDueDigests } from "../../../src/core/digest/run-due-digests.ts";
import type { Clock, Logger } from "../../../src/core/ports.ts";
import { type Database, openDatabase } from "../../../src/store/database.ts";
import { createDigestRunStore, createSubscriptionStore } from "../../../src/store/digest-subscriptions.ts";
import { ensureWorkspace } from "../../../src/store/workspaces.ts";
import { createFakeMessenger, type FakeMessenger } from "../../fakes/fake-messenger.ts";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../../helpers/databases.ts";

const ZONE = "America/New_York";
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

type Logged = { level: string; message: string; fields?: Record<string, unknown> };
function recordingLogger(): Logger & { lines: Logged[] } {
  const lines: Logged[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push({ level, message, ...(fields ? { fields } : {}) });
  };
  return { lines, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

function fixedClock(iso: string): Clock & { set(iso: string | Date): void } {
  let now = new Date(iso);
  return {
    now: () => now,
    set(value) {
      now = new Date(value);
    },
  };
}

describe.each(DIALECTS)("runDueDigests on %s", (dialect) => {
  let test: TestDatabase;
  let workspaceId = 0;

  function deps(
    db: Database,
    options: {
      messenger?: FakeMessenger;
      worker?: string;
      runs?: DigestRunStore;
      catchUpMs?: number;
      clock?: Clock;
    } = {},
  ): RunDueDigestsDeps & { messenger: FakeMessenger; logger: ReturnType<typeof recordingLogger> } {
    const clock = options.clock ?? fixedClock("2026-01-01T00:00:00Z");
    return {
      subscriptions: createSubscriptionStore(db.prisma),
      runs: options.runs ?? createDigestRunStore(db.prisma),
      kpi: kpiDeps(db, clock),
      messenger: options.messenger ?? createFakeMessenger(),
      clock,
      logger: recordingLogger(),
      worker: options.worker ?? "worker-a",
      catchUpMs: options.catchUpMs ?? 24 * HOUR,
      retry: { minTimeoutMs: 1, maxTimeoutMs: 4, budgetMs: 60_000, sleep: async () => {} },
    };
  }

  async function subscribe(
    channelId: string,
    createdAt: string,
    spec: Partial<{ cadence: "weekly" | "biweekly" | "monthly"; dayOfWeek: number; time: string }> = {},
  ) {
    const { subscription } = await createSubscriptionStore(test.db.prisma).subscribe({
      workspaceId,
      platform: "slack",
      channelId,
      userId: "U_SUBSCRIBER",
      spec: { cadence: "weekly", dayOfWeek: 1, time: "09:00", timezone: ZONE, ...spec },
      now: new Date(createdAt),
    });
    return subscription;
  }

  beforeAll(async () => {
    test = await createTestDatabase(dialect);
    const workspace = await ensureWorkspace(test.db.prisma, {
      platform: "slack",
      externalId: "T1",
      name: "Acme",
      timezone: ZONE,
    });
    workspaceId = workspace.id;
    const at = (iso: string) => BigInt(Date.parse(iso));
    await test.db.prisma.fact.createMany({
      data: [
        { occurredMs: at("2026-03-03T15:00:00Z"), kind: "lead", entityId: "e1" },
        { occurredMs: at("2026-03-04T15:00:00Z"), kind: "mql", entityId: "e1" },
        { occurredMs: at("2026-03-05T15:00:00Z"), kind: "sql", entityId: "e1" },
        { occurredMs: at("2026-03-06T15:00:00Z"), kind: "won", entityId: "e1", value: 1200 },
      ].map((fact) => ({ workspaceId, ...fact })),
    });
  });
  afterAll(async () => test?.drop());
  beforeEach(async () => {
    // each test starts with no subscription in force
    await test.db.prisma.digestSubscription.updateMany({ data: { active: false } });
  });

  it("fires at 09:00 New York time the week daylight saving starts, and the week it ends", async () => {
    const d = deps(test.db);
    await subscribe("C_DST", "2026-02-20T12:00:00Z");
    const postedAt: string[] = [];
    // every minute from 08:30 to 09:30 local on the Monday after each change
    for (const [from, expected] of [
      ["2026-03-09T12:30:00Z", "2026-03-09T13:00:00.000Z"], // EDT, UTC−4: 09:00 is 13:00Z
      ["2026-11-02T13:30:00Z", "2026-11-02T14:00:00.000Z"], // EST, UTC−5: 09:00 is 14:00Z
    ] as const) {
      for (let t = Date.parse(from); t <= Date.parse(from) + HOUR; t += MINUTE) {
        const reports = await runDueDigests(d, new Date(t));
        for (const report of reports.filter((r) => r.outcome === "posted")) {
          postedAt.push(new Date(t).toISOString());
          expect(report.dueAt.toISOString()).toBe(expected);
        }
      }
    }
    expect(postedAt).toEqual(["2026-03-09T13:00:00.000Z", "2026-11-02T14:00:00.000Z"]);
    expect(d.messenger.posts.map((p) => p.message.blocks[0])).toEqual([
      { type: "header", text: "Weekly alignment digest · Week 10 2026 (2–8 Mar)" },
      { type: "header", text: "Weekly alignment digest · Week 44 2026 (26 Oct–1 Nov)" },
    ]);
    // the digest carries the week's numbers
    expect(d.messenger.posts[0]?.message.text).toContain("• New revenue — Value: $1,200");
  });

  it("posts once when two schedulers with their own database clients tick at the same time", async () => {
    const second = await openDatabase(test.url, { migrate: false });
    try {
      const channels = ["C_RACE_1", "C_RACE_2", "C_RACE_3", "C_RACE_4"];
      for (const channel of channels) await subscribe(channel, "2026-03-01T12:00:00Z");
      const a = deps(test.db, { worker: "process-a" });
      const b = deps(second, { worker: "process-b" });
      const now = new Date("2026-03-16T13:00:30Z");
      for (let round = 0; round < 3; round++) {
        await Promise.all([runDueDigests(a, now), runDueDigests(b, now), runDueDigests(b, now), runDueDigests(a, now)]);
      }
      const posts = [...a.messenger.posts, ...b.messenger.posts];
      expect(posts.map((p) => p.target.channelId).sort()).toEqual(channels);
      const runs = await test.db.prisma.digestRun.findMany({
        where: { subscription: { channelId: { in: channels } } },
      });
      expect(runs).toHaveLength(4);
      expect(runs.every((r) => r.status === "posted" && r.periodKey === "2026-W11" && r.attempts === 1)).toBe(true);
    } finally {
      await second.close();
    }
  });

  it("posts once after a 429, honouring Retry-After", async () => {
    const d = deps(test.db);
    await subscribe("C_429", "2026-03-01T12:00:00Z");
    d.messenger.failPosts(new DeliveryError("rate limited", { status: 429, code: "ratelimited", retryAfterMs: 3 }));
    const reports = await runDueDigests(d, new Date("2026-03-23T13:05:00Z"));
    expect(reports).toMatchObject([{ channelId: "C_429", outcome: "posted", periodKey: "2026-W12" }]);
    expect(d.messenger.attempts).toBe(2);
    expect(d.messenger.posts).toHaveLength(1);
    expect(d.logger.lines.some((l) => l.message.includes("retrying") && l.fields?.status === 429)).toBe(true);
  });

  it("takes over a run whose process died after claiming it, and posts it exactly once", async () => {
    await subscribe("C_CRASH", "2026-03-01T12:00:00Z");
    const store = createDigestRunStore(test.db.prisma);
    const crashing: DigestRunStore = {
      ...store,
      async claim(input) {
        const outcome = await store.claim(input);
        throw new Error(`process killed right after claiming (${outcome.claimed ? "claimed" : "not claimed"})`);
      },
    };
    const dying = deps(test.db, { worker: "dying", runs: crashing });
    const due = new Date("2026-03-30T13:00:00Z");
    await expect(runDueDigests(dying, due)).rejects.toThrow("process killed right after claiming (claimed)");
    expect(dying.messenger.posts).toHaveLength(0);

    const next = deps(test.db, { worker: "survivor" });
    // within the lease the run is still the dead process's: nothing is posted twice
    expect(await runDueDigests(next, new Date(due.getTime() + MINUTE))).toEqual([]);
    // after the lease (15 min) the next tick takes it over
    const later = await runDueDigests(next, new Date(due.getTime() + 16 * MINUTE));
    expect(later).toMatchObject([{ channelId: "C_CRASH", outcome: "posted", attempt: 2 }]);
    expect(await runDueDigests(next, new Date(due.getTime() + 40 * MINUTE))).toEqual([]);
    expect(next.messenger.posts).toHaveLength(1);
    const run = await test.db.prisma.digestRun.findFirst({ where: { subscription: { channelId: "C_CRASH" } } });
    expect(run).toMatchObject({ status: "posted", claimedBy: "survivor", attempts: 2 });
  });

  it("reports a run whose every claimer died, and tells the subscriber, never posting it", async () => {
    await subscribe("C_DOOMED", "2026-03-01T12:00:00Z");
    const store = createDigestRunStore(test.db.prisma);
    const crashing: DigestRunStore = {
      ...store,
      async claim(input) {
        const outcome = await store.claim(input);
        if (outcome.claimed) throw new Error("process killed");
        return outcome;
      },
    };
    const messenger = createFakeMessenger();
    const d = deps(test.db, { worker: "crashy", runs: crashing, messenger });
    const due = Date.parse("2026-04-06T13:00:00Z");
    for (let attempt = 0; attempt < 3; attempt++) {
      await expect(runDueDigests(d, new Date(due + attempt * 16 * MINUTE))).rejects.toThrow("process killed");
    }
    const reports = await runDueDigests(d, new Date(due + 3 * 16 * MINUTE));
    expect(reports).toMatchObject([{ channelId: "C_DOOMED", outcome: "exhausted" }]);
    expect(messenger.posts).toHaveLength(0);
    expect(messenger.directMessages).toHaveLength(1);
    expect(messenger.directMessages[0]?.target).toEqual({ platform: "slack", workspaceId, userId: "U_SUBSCRIBER" });
    expect(messenger.directMessages[0]?.message.text).toContain("could not be posted");
    const run = await test.db.prisma.digestRun.findFirst({ where: { subscription: { channelId: "C_DOOMED" } } });
    expect(run?.status).toBe("failed");
    // reported once, not at every tick after
    expect(await runDueDigests(d, new Date(due + 4 * 16 * MINUTE))).toEqual([]);
    expect(messenger.directMessages).toHaveLength(1);
  });

  it("records a delivery that finally fails and tells the subscriber why", async () => {
    const d = deps(test.db);
    await subscribe("C_GONE", "2026-03-01T12:00:00Z");
    d.messenger.failPosts(
      new DeliveryError("Tandem is not a member of this channel. Invite me first: type `/invite @Tandem`", {
        status: 403,
        code: "not_in_channel",
      }),
    );
    const reports = await runDueDigests(d, new Date("2026-04-13T13:00:00Z"));
    expect(reports).toMatchObject([{ channelId: "C_GONE", outcome: "failed" }]);
    const run = await test.db.prisma.digestRun.findFirst({ where: { subscription: { channelId: "C_GONE" } } });
    expect(run?.status).toBe("failed");
    expect(run?.error).toContain("not_in_channel");
    expect(d.messenger.directMessages[0]?.message.text).toContain("/invite @Tandem");
    // not retried at the next tick
    expect(await runDueDigests(d, new Date("2026-04-13T13:01:00Z"))).toEqual([]);
  });

  it("catches up a digest missed while Tandem was down, within the window and not beyond", async () => {
    await subscribe("C_LATE", "2026-03-01T12:00:00Z");
    const d = deps(test.db);
    // due Monday 20 April 09:00 EDT (13:00Z); Tandem starts again at 21:00 local
    expect(await runDueDigests(d, new Date("2026-04-21T01:00:00Z"))).toMatchObject([
      { channelId: "C_LATE", outcome: "posted", periodKey: "2026-W16" },
    ]);
    // due Monday 27 April; Tandem starts again on Tuesday 28 April at 09:01: more than 24 h late
    expect(await runDueDigests(d, new Date("2026-04-28T13:01:00Z"))).toEqual([]);
    // with a 48 h window it would still go out
    const patient = deps(test.db, { catchUpMs: 48 * HOUR });
    expect(await runDueDigests(patient, new Date("2026-04-28T13:01:00Z"))).toMatchObject([
      { channelId: "C_LATE", outcome: "posted", periodKey: "2026-W17" },
    ]);
  });

  it("starts a channel that subscribed after this week's due time with the next one", async () => {
    const d = deps(test.db);
    await subscribe("C_NEW", "2026-05-04T14:00:00Z"); // Monday 10:00 EDT, an hour after 09:00
    expect(await runDueDigests(d, new Date("2026-05-04T14:01:00Z"))).toEqual([]);
    expect(await runDueDigests(d, new Date("2026-05-11T13:00:00Z"))).toMatchObject([{ outcome: "posted" }]);
  });

  it("attaches the chart when one is drawn, and posts the text alone when drawing fails", async () => {
    await subscribe("C_CHART", "2026-03-01T12:00:00Z");
    const drawn = { ...deps(test.db), renderChart: async () => new Uint8Array([0x89, 0x50, 0x4e, 0x47]) };
    await runDueDigests(drawn, new Date("2026-03-09T13:00:00Z"));
    const attachment = drawn.messenger.posts[0]?.attachments[0];
    expect(attachment?.png).toEqual(new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
    expect(attachment?.filename).toBe("tandem-digest-2026-W10.png");
    expect(attachment?.altText).toMatch(
      /^Line charts of 11 shared metrics over the last 8 weeks \(12 Jan to 2 Mar\), one panel per metric/,
    );
    expect(attachment?.altText).toContain("New revenue $0 to $1,200");

    const failing = {
      ...deps(test.db),
      renderChart: async (): Promise<Uint8Array> => {
        throw new Error("no canvas");
      },
    };
    await runDueDigests(failing, new Date("2026-03-16T13:00:00Z"));
    expect(failing.messenger.posts).toHaveLength(1);
    expect(failing.messenger.posts[0]?.attachments).toEqual([]);
    expect(failing.logger.lines.some((l) => l.level === "warn" && l.message.includes("chart"))).toBe(true);
  });
});
