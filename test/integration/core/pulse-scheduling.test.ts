// Pulses on a real database with two schedulers racing, as two replicas would: each
// close, reminder and weekly opening happens exactly once, and no answer lands after
// the results were computed. On PostgreSQL the two schedulers have their own connection
// pools; on SQLite they share the process's connection (better-sqlite3 is synchronous,
// so two connections in one thread would block each other on a lock; replicas of a
// SQLite Tandem are separate processes, where SQLite's own locking takes over).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPulseServices, type PulseServices } from "../../../src/app/pulse.ts";
import { createLogger } from "../../../src/core/logger.ts";
import { closePulse } from "../../../src/core/pulse/close-pulse.ts";
import { createPulse, quickPulseSpec } from "../../../src/core/pulse/create-pulse.ts";
import { recordAnswer } from "../../../src/core/pulse/record-answer.ts";
import { runDuePulses } from "../../../src/core/pulse/run-due-pulses.ts";
import { type Database, openDatabase } from "../../../src/store/database.ts";
import { ensureDefaultWorkspace, type WorkspaceRow } from "../../../src/store/workspaces.ts";
import { createFakeMessenger, type FakeMessenger } from "../../fakes/fake-messenger.ts";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../../helpers/databases.ts";

const HOUR = 3_600_000;
const SECRET = Buffer.alloc(32, 9);

describe.each(DIALECTS)("pulse scheduling with two schedulers on %s", (dialect) => {
  let test: TestDatabase;
  let second: Database;
  let workspace: WorkspaceRow;
  let now = new Date("2026-10-12T08:00:00Z"); // a Monday
  const clock = { now: () => now };
  const logger = createLogger("silent");
  let a: PulseServices;
  let b: PulseServices;
  let messengerA: FakeMessenger;
  let messengerB: FakeMessenger;

  beforeAll(async () => {
    test = await createTestDatabase(dialect);
    second = dialect === "postgres" ? await openDatabase(test.url) : test.db;
    workspace = await ensureDefaultWorkspace(test.db.prisma, "Europe/Berlin");
    messengerA = createFakeMessenger("a");
    messengerB = createFakeMessenger("b");
    const env = { DATABASE_URL: test.url };
    a = createPulseServices({ db: test.db, clock, logger, env, secret: SECRET, messengers: { slack: messengerA } });
    b = createPulseServices({ db: second, clock, logger, env, secret: SECRET, messengers: { slack: messengerB } });
  });
  afterAll(async () => {
    if (second !== test?.db) await second?.close();
    await test?.drop();
  });

  const allPosts = () => [...messengerA.posts, ...messengerB.posts];
  const both = async () => Promise.all([runDuePulses(a.pulses), runDuePulses(b.pulses)]);

  it("closes a due pulse exactly once, reminds once before, and opens the next weekly occurrence once", async () => {
    const created = await createPulse(a.pulses, {
      workspaceId: workspace.id,
      platform: "slack",
      channelId: "CWEEKLY",
      createdBy: "UCREATOR",
      spec: {
        ...quickPulseSpec("Sales and marketing worked well together this week."),
        durationMs: 24 * HOUR,
        weekly: { dayOfWeek: 1, time: "10:00", timezone: "Europe/Berlin" },
      },
    });
    const pulse = created.pulse;
    for (const [i, userId] of ["U1", "U2", "U3"].entries()) {
      await recordAnswer(a.pulses, {
        pulseId: pulse.id,
        questionId: pulse.questions[0]?.id ?? 0,
        platform: "slack",
        userId,
        value: i + 3,
      });
    }
    messengerA.posts.length = 0;
    messengerB.posts.length = 0;

    // 19 hours in: the reminder is due (6 hours before the close), nothing else
    now = new Date(pulse.opensAt.getTime() + 19 * HOUR);
    const [first, second] = await both();
    expect(first.reminded + second.reminded).toBe(1);
    expect(allPosts()).toHaveLength(1);
    expect(allPosts()[0]?.target.threadId).toBe(created.pulse.messageId);
    expect(allPosts()[0]?.message.text).toContain("5 hours left, 3 answers so far");

    // past the close: both tick, three rounds each
    now = new Date(pulse.closesAt.getTime() + 1_000);
    const ticks = [...(await both()), ...(await both()), ...(await both())];
    expect(ticks.reduce((sum, t) => sum + t.closed, 0)).toBe(1);
    const results = allPosts().filter((p) => p.message.text.includes("Pulse results"));
    expect(results).toHaveLength(1);
    expect(results[0]?.message.text).toContain("Mean 4.0 of 5");
    const rows = await test.db.prisma.pulse.findMany({ where: { channelId: "CWEEKLY" }, orderBy: { id: "asc" } });
    expect(rows.map((r) => r.status)).toEqual(["closed", "scheduled"]);
    expect(Number(rows[0]?.closedMs)).toBe(now.getTime());
    expect(await test.db.prisma.auditLog.count({ where: { action: "pulse.closed" } })).toBe(1);

    // the next occurrence: Monday 19 October, 10:00 in Berlin (08:00 UTC), opened once
    const next = rows[1];
    expect(next?.opensAt.toISOString()).toBe("2026-10-19T08:00:00.000Z");
    now = new Date("2026-10-19T08:00:30Z");
    const opening = [...(await both()), ...(await both())];
    expect(opening.reduce((sum, t) => sum + t.opened, 0)).toBe(1);
    const posted = allPosts().filter((p) => p.message.text.includes("Sales and marketing worked well together"));
    expect(posted.filter((p) => p.target.channelId === "CWEEKLY" && !p.message.text.includes("results"))).toHaveLength(
      1,
    );
    const opened = await test.db.prisma.pulse.findUnique({
      where: { id: next?.id ?? 0 },
      include: { questions: true },
    });
    expect(opened?.status).toBe("open");
    expect(opened?.messageId).not.toBeNull();
    expect(opened?.questions).toHaveLength(1);
  });

  it("never lets an answer land after the close: each is counted in the results or refused", async () => {
    now = new Date("2026-10-20T09:00:00Z");
    const { pulse } = await createPulse(a.pulses, {
      workspaceId: workspace.id,
      platform: "slack",
      channelId: "CRACE",
      createdBy: "UCREATOR",
      spec: quickPulseSpec("Racing the close."),
    });
    const questionId = pulse.questions[0]?.id ?? 0;
    const voters = Array.from({ length: 40 }, (_, i) => `URACE${i}`);
    const answers = voters.map((userId, i) =>
      recordAnswer(i % 2 === 0 ? a.pulses : b.pulses, {
        pulseId: pulse.id,
        questionId,
        platform: "slack",
        userId,
        value: 4,
      }),
    );
    const closes = [
      closePulse(a.pulses, { pulseId: pulse.id, actor: "a" }),
      closePulse(b.pulses, { pulseId: pulse.id, actor: "b" }),
    ];
    const outcomes = await Promise.all(answers);
    const [closeA, closeB] = await Promise.all(closes);
    const winner = closeA?.closed ? closeA : closeB;
    expect([closeA?.closed, closeB?.closed].filter(Boolean)).toHaveLength(1);
    if (!winner?.closed) throw new Error("nobody closed");
    const recorded = outcomes.filter((o) => o.status === "recorded").length;
    const stored = await test.db.prisma.pulseResponse.count({ where: { pulseId: pulse.id } });
    expect(stored).toBe(recorded);
    expect(winner.results.respondents).toBe(stored);
  });
});
