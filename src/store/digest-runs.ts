// Exactly-once digest runs. A run for (subscription, period) is CLAIMED in the
// database before anything is posted: the unique key (subscription_id, period_key)
// lets only one process create it. A claim carries a lease; a run whose claimer died
// (lease expired, still "claimed") is taken over by compare-and-set, so it is retried
// rather than dropped, and never posted by two processes at once.
import type { ClaimOutcome, ClaimRequest } from "../core/digest/ports.ts";
import type { Db } from "./database.ts";

export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  const message = String((error as Error)?.message ?? "");
  return code === "P2002" || /unique constraint/i.test(message);
}

export async function claimDigestRun(prisma: Db, input: ClaimRequest): Promise<ClaimOutcome> {
  const leaseUntil = new Date(input.now.getTime() + input.leaseMs);
  try {
    const run = await prisma.digestRun.create({
      data: {
        subscriptionId: input.subscriptionId,
        periodKey: input.periodKey,
        dueAt: input.dueAt,
        status: "claimed",
        claimedBy: input.worker,
        claimedAt: input.now,
        leaseUntil,
        attempts: 1,
      },
    });
    return { claimed: true, runId: run.id, attempt: 1 };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  const existing = await prisma.digestRun.findUnique({
    where: { subscriptionId_periodKey: { subscriptionId: input.subscriptionId, periodKey: input.periodKey } },
  });
  if (!existing) return { claimed: false, reason: "running" };
  if (existing.status === "posted") return { claimed: false, reason: "posted" };
  if (existing.status === "failed") return { claimed: false, reason: "failed" };
  if (existing.leaseUntil > input.now) return { claimed: false, reason: "running" };
  if (existing.attempts >= input.maxAttempts) {
    const gaveUp = await prisma.digestRun.updateMany({
      where: { id: existing.id, status: "claimed", attempts: existing.attempts },
      data: { status: "failed", error: existing.error ?? "gave up: every claimer died before posting" },
    });
    // Only the worker whose update recorded the failure reports it (and tells the subscriber).
    return { claimed: false, reason: gaveUp.count === 1 ? "exhausted" : "failed" };
  }
  // Take over an abandoned claim: only one process matches this compare-and-set.
  const taken = await prisma.digestRun.updateMany({
    where: { id: existing.id, status: "claimed", attempts: existing.attempts, leaseUntil: { lte: input.now } },
    data: { claimedBy: input.worker, claimedAt: input.now, leaseUntil, attempts: existing.attempts + 1 },
  });
  return taken.count === 1
    ? { claimed: true, runId: existing.id, attempt: existing.attempts + 1 }
    : { claimed: false, reason: "running" };
}

/** Marks a run posted, only if this worker still holds it. */
export async function markDigestPosted(
  prisma: Db,
  runId: number,
  worker: string,
  messageId: string | null,
  now: Date,
): Promise<boolean> {
  const result = await prisma.digestRun.updateMany({
    where: { id: runId, claimedBy: worker, status: "claimed" },
    data: { status: "posted", postedAt: now, messageId },
  });
  return result.count === 1;
}

export async function markDigestFailed(prisma: Db, runId: number, worker: string, error: string): Promise<boolean> {
  const result = await prisma.digestRun.updateMany({
    where: { id: runId, claimedBy: worker, status: "claimed" },
    data: { status: "failed", error: error.slice(0, 2000) },
  });
  return result.count === 1;
}
