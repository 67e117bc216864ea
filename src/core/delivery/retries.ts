// Retrying deliveries, in one place for every caller: a DeliveryError its messenger
// classified as retryable (rate limits, 5xx, the network, each platform's transient
// answers) is tried again with exponential backoff, waiting at least what Retry-After
// asked; anything else fails at once. A budget bounds the whole delivery, waits
// included, so a scheduled post never outlives the claim it holds.
import pRetry, { AbortError } from "p-retry";
import { errorText } from "../describe-error.ts";
import { DeliveryError, isDeliveryError } from "./delivery-error.ts";
import type { Messenger } from "./ports.ts";

export type RetryPolicy = {
  /** retries after the first attempt */
  retries: number;
  /** first backoff; doubles each retry */
  minTimeoutMs: number;
  maxTimeoutMs: number;
  /**
   * Total time the delivery may take, waits included. For digests it must stay well under
   * the run's claim lease, or another process could take the run over while this one still posts.
   */
  budgetMs: number;
  /** spread each backoff over up to twice its length, so many posts retried at once do not return at once */
  randomize?: boolean;
  /** waits the part of a Retry-After that the backoff does not cover (injected in tests) */
  sleep(ms: number): Promise<void>;
};

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 5,
  minTimeoutMs: 1_000,
  maxTimeoutMs: 60_000,
  budgetMs: 5 * 60_000,
  randomize: true,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** For posts someone is waiting on (a pulse typed in chat, a refreshed count): fewer, shorter waits. */
export const PROMPT_RETRY_POLICY: RetryPolicy = {
  ...DEFAULT_RETRY_POLICY,
  retries: 3,
  maxTimeoutMs: 30_000,
  budgetMs: 2 * 60_000,
};

export type OnRetry = (error: DeliveryError, waitMs: number) => void;

function backoffMs(policy: RetryPolicy, retriesConsumed: number): number {
  return Math.min(policy.minTimeoutMs * 2 ** retriesConsumed, policy.maxTimeoutMs);
}

/**
 * Runs `attempt` until it succeeds, retrying DeliveryErrors marked retryable. Throws the
 * last error when it finally fails; a Retry-After beyond the budget fails at once rather
 * than outlive the claim.
 */
export async function withDeliveryRetries<T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  onRetry?: OnRetry,
): Promise<T> {
  const started = Date.now();
  return pRetry(
    async () => {
      try {
        return await attempt();
      } catch (error) {
        // Only delivery errors that may pass are retried; anything else is a bug or a refusal.
        if (!isDeliveryError(error) || !error.retryable) throw new AbortError(asError(error));
        throw error;
      }
    },
    {
      retries: policy.retries,
      factor: 2,
      minTimeout: policy.minTimeoutMs,
      maxTimeout: policy.maxTimeoutMs,
      randomize: policy.randomize ?? false,
      maxRetryTime: policy.budgetMs,
      onFailedAttempt: async ({ error, retriesConsumed, retriesLeft }) => {
        if (!isDeliveryError(error) || retriesLeft <= 0) return;
        const backoff = backoffMs(policy, retriesConsumed);
        const wanted = Math.max(backoff, error.retryAfterMs ?? 0);
        if (Date.now() - started + wanted > policy.budgetMs) {
          throw new DeliveryError(
            `${error.message} (giving up: waiting ${Math.ceil(wanted / 1000)} s more would exceed the delivery budget, ` +
              "and a wait beyond the delivery budget could outlive the claim on the post)",
            {
              status: error.status,
              code: error.code,
              cause: error,
              retryable: false,
              ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
            },
          );
        }
        onRetry?.(error, wanted);
        // p-retry then waits the backoff (or more, randomized) itself; only the rest of a longer Retry-After is ours.
        if (wanted > backoff) await policy.sleep(wanted - backoff);
      },
    },
  );
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(errorText(error));
}

/**
 * The messenger with every delivery retried by the policy: what each caller (the digest
 * runner, pulses and rituals, and what posts next) wraps around its platforms' messengers.
 * Reads (canPost, countAudience) pass through once. A post is retried whole, but only while
 * its text has not gone out: failed attachments are reported, never a reason to post again.
 */
export function withRetries(
  messenger: Messenger,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  onRetry?: (error: DeliveryError, waitMs: number, operation: string) => void,
): Messenger {
  const retried = <T>(operation: string, attempt: () => Promise<T>) =>
    withDeliveryRetries(attempt, policy, onRetry && ((error, waitMs) => onRetry(error, waitMs, operation)));
  const { countAudience } = messenger;
  return {
    post: (target, message, attachments) => retried("post", () => messenger.post(target, message, attachments)),
    update: (posted, message) => retried("update", () => messenger.update(posted, message)),
    directMessage: (recipient, message) => retried("direct message", () => messenger.directMessage(recipient, message)),
    upload: (target, attachment) => retried("upload", () => messenger.upload(target, attachment)),
    canPost: (target) => messenger.canPost(target),
    ...(countAudience ? { countAudience: (target) => countAudience.call(messenger, target) } : {}),
  };
}
