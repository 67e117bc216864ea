import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimDigestRun, markDigestPosted } from "../../../src/store/digest-runs.ts";
import { ensureDefaultWorkspace } from "../../../src/store/workspaces.ts";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../../helpers/databases.ts";

describe.each(DIALECTS)("digest run claims on %s", (dialect) => {
  let test: TestDatabase;
  let subscriptionId = 0;
  const now = new Date("2026-11-23T14:00:00Z");
  const base = { periodKey: "2026-W47", dueAt: now, now, leaseMs: 60_000, maxAttempts: 3 };

  beforeAll(async () => {
    test = await createTestDatabase(dialect);
    const workspace = await ensureDefaultWorkspace(test.db.prisma, "UTC");
    const subscription = await test.db.prisma.digestSubscription.create({
      data: { workspaceId: workspace.id, platform: "slack", channelId: "C1", timezone: "UTC", createdBy: "U1" },
    });
    subscriptionId = subscription.id;
  });
  afterAll(async () => test.drop());

  it("lets exactly one of many concurrent workers claim a run", async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, i) => claimDigestRun(test.db.prisma, { ...base, subscriptionId, worker: `w${i}` })),
    );
    expect(outcomes.filter((outcome) => outcome.claimed)).toHaveLength(1);
  });

  it("hands an abandoned claim (lease expired) to exactly one new worker, and never a posted one", async () => {
    const periodKey = "2026-W46";
    const first = await claimDigestRun(test.db.prisma, { ...base, periodKey, subscriptionId, worker: "dead" });
    expect(first.claimed).toBe(true);
    const later = new Date(now.getTime() + 120_000);
    const takeovers = await Promise.all(
      ["a", "b", "c"].map((worker) =>
        claimDigestRun(test.db.prisma, { ...base, periodKey, now: later, subscriptionId, worker }),
      ),
    );
    const winners = takeovers.filter((outcome) => outcome.claimed);
    expect(winners).toHaveLength(1);
    const winner = winners[0];
    if (!winner?.claimed) throw new Error("no winner");
    expect(winner.attempt).toBe(2);
    // The dead worker cannot mark it posted any more; the winner can.
    expect(await markDigestPosted(test.db.prisma, winner.runId, "dead", null, later)).toBe(false);
    const winnerName = ["a", "b", "c"][takeovers.indexOf(winner)] as string;
    expect(await markDigestPosted(test.db.prisma, winner.runId, winnerName, "ts1", later)).toBe(true);
    const again = await claimDigestRun(test.db.prisma, {
      ...base,
      periodKey,
      now: new Date(later.getTime() + 600_000),
      subscriptionId,
      worker: "x",
    });
    expect(again).toEqual({ claimed: false, reason: "posted" });
  });

  it("gives up after the maximum attempts and records the failure", async () => {
    const periodKey = "2026-W45";
    let at = now.getTime();
    for (let attempt = 1; attempt <= 3; attempt++) {
      const outcome = await claimDigestRun(test.db.prisma, {
        ...base,
        periodKey,
        now: new Date(at),
        subscriptionId,
        worker: `w${attempt}`,
      });
      expect(outcome.claimed).toBe(true);
      at += 120_000;
    }
    const last = await claimDigestRun(test.db.prisma, {
      ...base,
      periodKey,
      now: new Date(at),
      subscriptionId,
      worker: "w4",
    });
    expect(last).toEqual({ claimed: false, reason: "exhausted" });
    const row = await test.db.prisma.digestRun.findFirst({ where: { subscriptionId, periodKey } });
    expect(row?.status).toBe("failed");
  });
});
