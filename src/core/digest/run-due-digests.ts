// Posts the digests that are due, each exactly once. For every active subscription the
// latest due instant in its own zone is found; a run for (subscription, period) is
// claimed in the database BEFORE anything is built or posted, so two processes on one
// database never both post, and a process that dies after claiming leaves a claim whose
// lease expires and is taken over (retried) by the next tick, up to maxAttempts, after
// which the run is recorded failed and the subscriber told. Due instants older than the
// catch-up window (Tandem was down too long) are skipped rather than posted late.
import { DeliveryError, isDeliveryError } from "../delivery/delivery-error.ts";
import type { Attachment, DeliveryTarget, Messenger } from "../delivery/ports.ts";
import { DEFAULT_RETRY_POLICY, type RetryPolicy, withRetries } from "../delivery/retries.ts";
import { describeError, errorText } from "../describe-error.ts";
import type { KpiSnapshotDeps } from "../kpi/get-kpi-snapshot.ts";
import { describePeriod, lastComplete } from "../kpi/periods.ts";
import type { Period } from "../kpi/types.ts";
import { clip, LIMITS, type Message, makeMessage } from "../messages/model.ts";
import { commandPrefix } from "../platform.ts";
import type { Clock, Logger } from "../ports.ts";
import { type FreshnessOf, withFreshness } from "../sources/freshness.ts";
import { buildDigest, digestMessage } from "./build-digest.ts";
import { digestChartSpec } from "./chart.ts";
import type { Digest } from "./digest-types.ts";
import type { ChartRenderer, DigestPlatform, DigestRunStore, DigestSubscription, SubscriptionStore } from "./ports.ts";
import { type DigestSchedule, digestGrain, latestDueAt } from "./schedule.ts";

export const DEFAULT_CATCH_UP_MS = 24 * 60 * 60_000;
export const DEFAULT_LEASE_MS = 15 * 60_000;
export const DEFAULT_MAX_ATTEMPTS = 3;
const DEFAULT_CONCURRENCY = 4;

export type RunDueDigestsDeps = {
  subscriptions: Pick<SubscriptionStore, "active">;
  runs: DigestRunStore;
  kpi: KpiSnapshotDeps;
  /** the platforms' messenger; the runner retries through it with `retry` */
  messenger: Messenger;
  clock: Clock;
  logger: Logger;
  /** this process's name in the claims (host:pid:random) */
  worker: string;
  /** how far back a missed due instant is still posted (default 24 h) */
  catchUpMs?: number;
  /** how long a claim is this worker's before another may take it over (default 15 min) */
  leaseMs?: number;
  /** claims of one run before it is recorded failed (default 3) */
  maxAttempts?: number;
  retry?: Partial<RetryPolicy>;
  /** draws the chart; without it (or when it fails) the digest goes out as text alone */
  renderChart?: ChartRenderer;
  /** digests posted at once (default 4) */
  concurrency?: number;
  /**
   * Called once a digest is posted (rituals open their threads under it). Its failure is
   * logged, never undoes or repeats the post.
   */
  /** "data as of …" under the digest when the workspace has sources */
  freshness?: FreshnessOf;
  afterPost?: (posted: { digest: Digest; target: DigestTarget; messageId: string; period: Period }) => Promise<void>;
};

export type DigestRunOutcome =
  /** posted now by this worker */
  | "posted"
  /** delivery finally failed: recorded, subscriber told */
  | "failed"
  /** every claimer died before posting: recorded failed, subscriber told */
  | "exhausted"
  /** another worker holds it, or it was posted or failed before */
  | "skipped"
  /** building it failed; the claim is left to expire and be retried */
  | "error";

export type DigestRunReport = {
  subscriptionId: number;
  workspaceId: number;
  platform: DigestPlatform;
  channelId: string;
  periodKey: string;
  dueAt: Date;
  outcome: DigestRunOutcome;
  attempt?: number;
  messageId?: string;
  detail?: string;
};

type Due = { subscription: DigestSubscription; dueAt: Date; period: Period };

/** A digest's channel: always a chat platform's. */
export type DigestTarget = DeliveryTarget & { platform: DigestPlatform };

export function scheduleOf(subscription: DigestSubscription): DigestSchedule {
  return {
    cadence: subscription.cadence,
    dayOfWeek: subscription.dayOfWeek,
    time: subscription.time,
    timezone: subscription.timezone,
    // biweekly digests alternate weeks counted from the week the channel subscribed
    anchorMs: subscription.createdAt.getTime(),
  };
}

/** The run a subscription owes at `now`, or null (not due within the catch-up window). */
export function dueRun(subscription: DigestSubscription, now: Date, catchUpMs: number): Due | null {
  const dueAt = latestDueAt(scheduleOf(subscription), now);
  if (Number.isNaN(dueAt.getTime())) throw new Error(`invalid schedule (time zone ${subscription.timezone})`);
  if (dueAt.getTime() < now.getTime() - catchUpMs) return null;
  // a channel that subscribes after this week's due time starts with the next one
  if (dueAt.getTime() < subscription.createdAt.getTime()) return null;
  const period = lastComplete(digestGrain(subscription.cadence), dueAt, subscription.workspaceZone);
  return { subscription, dueAt, period };
}

export async function runDueDigests(deps: RunDueDigestsDeps, now: Date = deps.clock.now()): Promise<DigestRunReport[]> {
  const catchUpMs = deps.catchUpMs ?? DEFAULT_CATCH_UP_MS;
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...deps.retry };
  if (policy.budgetMs * 2 > leaseMs) {
    throw new Error(
      `digest delivery budget (${policy.budgetMs} ms) must be under half the claim lease (${leaseMs} ms), ` +
        "or another process could take a run over while it is still being posted",
    );
  }

  const due: Due[] = [];
  for (const subscription of await deps.subscriptions.active()) {
    try {
      const run = dueRun(subscription, now, catchUpMs);
      if (run) due.push(run);
    } catch (error) {
      deps.logger.error("digest subscription has a schedule that cannot run", {
        subscriptionId: subscription.id,
        error: String(error),
      });
    }
  }
  if (due.length === 0) return [];

  // Most ticks find every due run already posted: one read instead of a claim each.
  const states = await deps.runs.states(
    due.map((d) => ({ subscriptionId: d.subscription.id, periodKey: d.period.key })),
  );
  const settled = new Set(
    states
      .filter((s) => s.status !== "claimed" || s.leaseUntil.getTime() > now.getTime())
      .map((s) => `${s.subscriptionId}:${s.periodKey}`),
  );
  const todo = due.filter((d) => !settled.has(`${d.subscription.id}:${d.period.key}`));

  const reports: DigestRunReport[] = [];
  const queue = [...todo];
  const workers = Array.from({ length: Math.min(deps.concurrency ?? DEFAULT_CONCURRENCY, queue.length) }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      reports.push(await runOne(deps, next, now, leaseMs, policy));
    }
  });
  await Promise.all(workers);
  return reports;
}

async function runOne(
  deps: RunDueDigestsDeps,
  due: Due,
  now: Date,
  leaseMs: number,
  policy: RetryPolicy,
): Promise<DigestRunReport> {
  const { subscription, dueAt, period } = due;
  const report = (outcome: DigestRunOutcome, extra: Partial<DigestRunReport> = {}): DigestRunReport => ({
    subscriptionId: subscription.id,
    workspaceId: subscription.workspaceId,
    platform: subscription.platform,
    channelId: subscription.channelId,
    periodKey: period.key,
    dueAt,
    outcome,
    ...extra,
  });
  const log = { subscriptionId: subscription.id, channelId: subscription.channelId, periodKey: period.key };

  const claim = await deps.runs.claim({
    subscriptionId: subscription.id,
    periodKey: period.key,
    dueAt,
    worker: deps.worker,
    now,
    leaseMs,
    maxAttempts: deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
  });
  if (!claim.claimed) {
    if (claim.reason !== "exhausted") return report("skipped", { detail: claim.reason });
    const detail = "every attempt to post it stopped before it was sent (Tandem restarted or crashed each time)";
    deps.logger.error("digest run gave up", { ...log, detail });
    await tellSubscriber(deps, subscription, period, detail, policy);
    return report("exhausted", { detail });
  }

  let digest: Digest;
  let message: Message;
  let attachments: Attachment[] = [];
  try {
    digest = await buildDigest(deps.kpi, {
      workspaceId: subscription.workspaceId,
      zone: subscription.workspaceZone,
      period: period.key,
    });
    const prefix = commandPrefix(subscription.platform);
    message = withFreshness(
      digestMessage(digest, { prefix }),
      (await deps.freshness?.(subscription.workspaceId)) ?? null,
      { nowMs: now.getTime(), zone: subscription.workspaceZone, prefix },
    );
    attachments = await chartAttachment(deps, subscription, digest);
  } catch (error) {
    // Left claimed: the lease expires and the next tick retries it (a database outage passes).
    deps.logger.error("digest could not be built; it will be retried when its claim expires", {
      ...log,
      attempt: claim.attempt,
      error: describeError(error),
    });
    return report("error", { attempt: claim.attempt, detail: errorText(error) });
  }

  const target: DigestTarget = {
    platform: subscription.platform,
    workspaceId: subscription.workspaceId,
    channelId: subscription.channelId,
  };
  // Retried here, for this run alone: its log lines name the subscription.
  const messenger = withRetries(deps.messenger, policy, (error, waitMs) =>
    deps.logger.warn("digest delivery failed; retrying", { ...log, status: error.status, code: error.code, waitMs }),
  );
  try {
    const posted = await messenger.post(target, message, attachments);
    for (const problem of posted.attachmentErrors ?? []) {
      deps.logger.warn("digest posted without its chart", { ...log, error: problem });
    }
    const marked = await deps.runs.markPosted(claim.runId, deps.worker, posted.messageId, deps.clock.now());
    if (!marked) {
      deps.logger.error("digest posted, but this worker no longer held its claim", { ...log, runId: claim.runId });
    } else {
      deps.logger.info("digest posted", { ...log, messageId: posted.messageId, attempt: claim.attempt });
    }
    if (marked && deps.afterPost) {
      await deps
        .afterPost({ digest, target, messageId: posted.messageId, period })
        .catch((error: unknown) =>
          deps.logger.error("after-digest work failed", { ...log, error: describeError(error) }),
        );
    }
    return report("posted", { attempt: claim.attempt, messageId: posted.messageId });
  } catch (error) {
    const detail = deliveryProblem(error);
    await deps.runs.markFailed(claim.runId, deps.worker, detail);
    deps.logger.error("digest delivery failed for good", { ...log, error: detail });
    await tellSubscriber(deps, subscription, period, detail, policy);
    return report("failed", { attempt: claim.attempt, detail });
  }
}

async function chartAttachment(
  deps: RunDueDigestsDeps,
  subscription: DigestSubscription,
  digest: Digest,
): Promise<Attachment[]> {
  if (!deps.renderChart) return [];
  try {
    const spec = digestChartSpec({
      title: `Shared metrics · ${describePeriod(digest.period)}`,
      metrics: digest.metrics,
      series: digest.series,
    });
    if (!spec) return [];
    const png = await deps.renderChart(spec);
    return [{ png, altText: spec.altText, filename: spec.filename }];
  } catch (error) {
    // The text carries every number; the picture is a bonus, never a reason not to post.
    deps.logger.warn("digest chart could not be drawn; posting the text alone", {
      subscriptionId: subscription.id,
      error: String(error),
    });
    return [];
  }
}

function deliveryProblem(error: unknown): string {
  if (isDeliveryError(error)) return `${error.message} [${error.code}, status ${error.status}]`;
  return errorText(error);
}

/** Tells whoever subscribed that the digest did not go out, and why. Failing that, says so in the log. */
async function tellSubscriber(
  deps: RunDueDigestsDeps,
  subscription: DigestSubscription,
  period: Period,
  detail: string,
  policy: RetryPolicy,
): Promise<void> {
  const message = failureMessage(subscription, period, detail);
  try {
    await withRetries(deps.messenger, policy).directMessage(
      { platform: subscription.platform, workspaceId: subscription.workspaceId, userId: subscription.createdBy },
      message,
    );
  } catch (error) {
    deps.logger.error("could not tell the subscriber that their digest failed", {
      subscriptionId: subscription.id,
      userId: subscription.createdBy,
      error: error instanceof DeliveryError ? `${error.message} [${error.code}]` : String(error),
    });
  }
}

export function failureMessage(subscription: DigestSubscription, period: Period, detail: string): Message {
  const command = `${commandPrefix(subscription.platform)} digest`;
  return makeMessage(
    [
      {
        type: "section",
        text:
          `The ${subscription.cadence} alignment digest for ${describePeriod(period)} could not be posted ` +
          `in the channel ${subscription.channelId}, which you subscribed.`,
      },
      { type: "context", text: clip(`Reason: ${detail}`, LIMITS.textChars) },
      {
        type: "context",
        text: `\`${command} preview\` shows it privately; \`${command} list\` shows the channel's schedule.`,
      },
    ],
    { visibility: "private" },
  );
}
