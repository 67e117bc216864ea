// Outcome checks in the database (the OutcomeStore port), exactly once as digest runs
// are: a check is claimed by compare-and-set on its row (scheduled → claimed, or a claim
// whose lease ran out → claimed again), so of two schedulers ticking at once only one
// measures and posts it.
import type { OutcomeStore } from "../core/rituals/ports.ts";
import type { Db } from "./database.ts";

export function createOutcomeStore(prisma: Db): OutcomeStore {
  return {
    async due(now, limit) {
      const rows = await prisma.ritualOutcome.findMany({
        where: {
          dueAt: { lte: now },
          OR: [{ status: "scheduled" }, { status: "claimed", leaseUntil: { lte: now } }],
        },
        orderBy: { dueAt: "asc" },
        take: limit,
        select: { ritualId: true, dueAt: true },
      });
      return rows;
    },

    async claim({ ritualId, worker, now, leaseMs, maxAttempts }) {
      const row = await prisma.ritualOutcome.findUnique({ where: { ritualId } });
      if (!row || row.dueAt > now) return { claimed: false, reason: "running" };
      if (row.status === "posted") return { claimed: false, reason: "posted" };
      if (row.status === "failed") return { claimed: false, reason: "failed" };
      if (row.status === "claimed" && row.leaseUntil && row.leaseUntil > now)
        return { claimed: false, reason: "running" };
      if (row.status === "claimed" && row.attempts >= maxAttempts) {
        const gaveUp = await prisma.ritualOutcome.updateMany({
          where: { id: row.id, status: "claimed", attempts: row.attempts },
          data: { status: "failed", error: row.error ?? "gave up: every claimer stopped before posting" },
        });
        // Only the worker whose update recorded the failure reports it.
        return { claimed: false, reason: gaveUp.count === 1 ? "exhausted" : "failed" };
      }
      // The same row, unchanged since it was read: only one process matches.
      const taken = await prisma.ritualOutcome.updateMany({
        where: { id: row.id, status: row.status, attempts: row.attempts },
        data: {
          status: "claimed",
          claimedBy: worker,
          leaseUntil: new Date(now.getTime() + leaseMs),
          attempts: row.attempts + 1,
        },
      });
      return taken.count === 1 ? { claimed: true, attempt: row.attempts + 1 } : { claimed: false, reason: "running" };
    },

    async markPosted({ ritualId, worker, now, messageId, verdict, value, target, baseline }) {
      const result = await prisma.ritualOutcome.updateMany({
        where: { ritualId, claimedBy: worker, status: "claimed" },
        data: { status: "posted", postedAt: now, messageId, verdict, value, target, baseline },
      });
      return result.count === 1;
    },

    async markFailed({ ritualId, worker, error }) {
      const result = await prisma.ritualOutcome.updateMany({
        where: { ritualId, claimedBy: worker, status: "claimed" },
        data: { status: "failed", error: error.slice(0, 2000) },
      });
      return result.count === 1;
    },
  };
}
