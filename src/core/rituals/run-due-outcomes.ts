// Posts the outcome checks that are due, each exactly once, in its ritual's thread. A
// check is CLAIMED in the database before anything is measured or posted, so two
// schedulers on one database never both post it; a claim whose scheduler died expires
// and is taken over by the next tick, up to maxAttempts, after which it is recorded
// failed. A check that cannot be measured (the database is away) is left claimed, to be
// retried when its lease expires; one whose delivery fails for good is recorded failed.
import { isDeliveryError } from "../delivery/delivery-error.ts";
import type { Messenger } from "../delivery/ports.ts";
import { DEFAULT_RETRY_POLICY, type RetryPolicy, withRetries } from "../delivery/retries.ts";
import { describeError, errorText } from "../describe-error.ts";
import type { KpiSnapshotDeps } from "../kpi/get-kpi-snapshot.ts";
import { parsePeriod } from "../kpi/periods.ts";
import type { Platform } from "../platform.ts";
import type { Clock, Logger } from "../ports.ts";
import { measureOutcome } from "./measure-outcome.ts";
import { outcomeMessage } from "./outcome-message.ts";
import type { OutcomeStore, RitualStore } from "./ports.ts";
import { ritualThread, type Verdict } from "./types.ts";

export const OUTCOME_LEASE_MS = 10 * 60_000;
export const OUTCOME_MAX_ATTEMPTS = 3;
/** checks handled per tick: a backlog drains over a few minutes rather than in one long tick */
export const OUTCOMES_PER_TICK = 20;

export type RunDueOutcomesDeps = {
  outcomes: OutcomeStore;
  rituals: Pick<RitualStore, "get" | "zone">;
  kpi: KpiSnapshotDeps;
  /** the platforms' messenger; retried here with `retry` */
  messenger: Messenger;
  clock: Clock;
  logger: Logger;
  /** this process's name in the claims */
  worker: string;
  leaseMs?: number;
  maxAttempts?: number;
  retry?: Partial<RetryPolicy>;
  limit?: number;
};

export type OutcomeReport = {
  ritualId: number;
  /** the ritual's platform, once it was read (not for a check another scheduler holds) */
  platform?: Platform;
  outcome: "posted" | "failed" | "exhausted" | "skipped" | "error";
  verdict?: Verdict;
  detail?: string;
};

export async function runDueOutcomes(deps: RunDueOutcomesDeps, now: Date = deps.clock.now()): Promise<OutcomeReport[]> {
  const leaseMs = deps.leaseMs ?? OUTCOME_LEASE_MS;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...deps.retry };
  if (policy.budgetMs * 2 > leaseMs) {
    throw new Error(
      `outcome delivery budget (${policy.budgetMs} ms) must be under half the claim lease (${leaseMs} ms), ` +
        "or another process could take a check over while it is still being posted",
    );
  }
  const reports: OutcomeReport[] = [];
  for (const due of await deps.outcomes.due(now, deps.limit ?? OUTCOMES_PER_TICK)) {
    reports.push(await runOne(deps, due.ritualId, now, leaseMs, policy));
  }
  return reports;
}

async function runOne(
  deps: RunDueOutcomesDeps,
  ritualId: number,
  now: Date,
  leaseMs: number,
  policy: RetryPolicy,
): Promise<OutcomeReport> {
  const claim = await deps.outcomes.claim({
    ritualId,
    worker: deps.worker,
    now,
    leaseMs,
    maxAttempts: deps.maxAttempts ?? OUTCOME_MAX_ATTEMPTS,
  });
  if (!claim.claimed) {
    if (claim.reason !== "exhausted") return { ritualId, outcome: "skipped", detail: claim.reason };
    deps.logger.error("outcome check gave up: every attempt stopped before it was posted", { ritualId });
    return { ritualId, outcome: "exhausted" };
  }
  const ritual = await deps.rituals.get(ritualId);
  if (!ritual?.outcome) {
    await deps.outcomes.markFailed({ ritualId, worker: deps.worker, error: "the ritual is gone" });
    return { ritualId, outcome: "failed", detail: "the ritual is gone" };
  }

  let built: Awaited<ReturnType<typeof measure>>;
  try {
    built = await measure(deps, ritual);
  } catch (error) {
    deps.logger.error("outcome check could not be measured; it will be retried when its claim expires", {
      ritualId,
      attempt: claim.attempt,
      error: describeError(error),
    });
    return { ritualId, platform: ritual.platform, outcome: "error", detail: errorText(error) };
  }

  const messenger = withRetries(deps.messenger, policy, (error, waitMs) =>
    deps.logger.warn("outcome delivery failed; retrying", { ritualId, status: error.status, code: error.code, waitMs }),
  );
  const { measured, message } = built;
  try {
    const posted = await messenger.post(ritualThread(ritual), message);
    const marked = await deps.outcomes.markPosted({
      ritualId,
      worker: deps.worker,
      now: deps.clock.now(),
      messageId: posted.messageId,
      verdict: measured.verdict,
      value: measured.value,
      target: measured.target,
      baseline: measured.baseline,
    });
    if (!marked) deps.logger.error("outcome posted, but this worker no longer held its claim", { ritualId });
    else deps.logger.info("outcome posted", { ritualId, verdict: measured.verdict, attempt: claim.attempt });
    return { ritualId, platform: ritual.platform, outcome: "posted", verdict: measured.verdict };
  } catch (error) {
    const detail = isDeliveryError(error)
      ? `${error.message} [${error.code}, status ${error.status}]`
      : errorText(error);
    await deps.outcomes.markFailed({ ritualId, worker: deps.worker, error: detail });
    deps.logger.error("outcome delivery failed for good", { ritualId, error: detail });
    return { ritualId, platform: ritual.platform, outcome: "failed", detail };
  }
}

async function measure(deps: RunDueOutcomesDeps, ritual: NonNullable<Awaited<ReturnType<RitualStore["get"]>>>) {
  const zone = await deps.rituals.zone(ritual.workspaceId);
  const dueAt = ritual.outcome?.dueAt ?? deps.clock.now();
  const measured = await measureOutcome(deps.kpi, {
    workspaceId: ritual.workspaceId,
    metricKey: ritual.metricKey,
    baselinePeriod: parsePeriod(ritual.periodKey, dueAt, zone),
    dueAt,
    zone,
  });
  return { measured, message: outcomeMessage({ ritual, outcome: measured, zone }) };
}
