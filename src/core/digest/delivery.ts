// Delivery of proactive posts: one error type every messenger throws, and the retry
// policy around it (429 honouring Retry-After, 5xx and network errors with exponential
// backoff, anything else at once). Retrying lives here, not in the messengers, so a
// post is never retried by two layers at once.
import pRetry, { AbortError } from "p-retry";
import type { Message } from "../messages/model.ts";
import type { Attachment, DeliveryTarget, Messenger } from "../ports.ts";

export class DeliveryError extends Error {
  /** HTTP-like: 429 rate limited, 5xx the platform failed, 0 the network, 4xx refused for good */
  readonly status: number;
  /** for 429: how long the platform asked us to wait */
  readonly retryAfterMs: number | undefined;
  /** the platform's own error code (`not_in_channel`, `channel_not_found`, …) */
  readonly code: string;

  constructor(message: string, options: { status: number; code?: string; retryAfterMs?: number; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "DeliveryError";
    this.status = options.status;
    this.code = options.code ?? `http_${options.status}`;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** 501 (a platform this Tandem does not serve) is as permanent as a 4xx */
  get retryable(): boolean {
    return this.status === 429 || this.status === 0 || (this.status >= 500 && this.status !== 501);
  }
}

export function isDeliveryError(error: unknown): error is DeliveryError {
  return error instanceof DeliveryError;
}

export type RetryPolicy = {
  /** retries after the first attempt */
  retries: number;
  /** first backoff; doubles each retry */
  minTimeoutMs: number;
  maxTimeoutMs: number;
  /**
   * Total time the delivery may take, waits included. Must stay well under the run's
   * claim lease, or another process could take the run over while this one still posts.
   */
  budgetMs: number;
  /** waits the part of a Retry-After that the backoff does not cover (injected in tests) */
  sleep(ms: number): Promise<void>;
};

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 5,
  minTimeoutMs: 1_000,
  maxTimeoutMs: 60_000,
  budgetMs: 5 * 60_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

function backoffMs(policy: RetryPolicy, retriesConsumed: number): number {
  return Math.min(policy.minTimeoutMs * 2 ** retriesConsumed, policy.maxTimeoutMs);
}

/**
 * Runs `attempt` until it succeeds, retrying DeliveryErrors that may pass (429, 5xx,
 * network). Throws the last error when it finally fails; a Retry-After beyond the budget
 * fails at once rather than outlive the claim.
 */
export async function withDeliveryRetries<T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  onRetry?: (error: DeliveryError, waitMs: number) => void,
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
      maxRetryTime: policy.budgetMs,
      onFailedAttempt: async ({ error, retriesConsumed, retriesLeft }) => {
        if (!isDeliveryError(error) || retriesLeft <= 0) return;
        const backoff = backoffMs(policy, retriesConsumed);
        const wanted = Math.max(backoff, error.retryAfterMs ?? 0);
        if (Date.now() - started + wanted > policy.budgetMs) {
          throw new DeliveryError(
            `${error.message} (giving up: waiting ${Math.ceil(wanted / 1000)} s more would exceed the delivery budget)`,
            { status: error.status, code: error.code, cause: error, ...retryAfterOf(error) },
          );
        }
        onRetry?.(error, wanted);
        // p-retry then waits the backoff itself; only the rest of a longer Retry-After is ours.
        if (wanted > backoff) await policy.sleep(wanted - backoff);
      },
    },
  );
}

function retryAfterOf(error: DeliveryError): { retryAfterMs?: number } {
  return error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs };
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** One Messenger over the platforms' own: posts go to the messenger of the target's platform. */
export function routeMessenger(byPlatform: Partial<Record<"slack" | "teams", Messenger>>): Messenger {
  const pick = (platform: "slack" | "teams"): Messenger => {
    const messenger = byPlatform[platform];
    if (!messenger) {
      throw new DeliveryError(`${platform} is not configured in this Tandem, so it cannot post there`, {
        status: 501,
        code: "platform_not_configured",
      });
    }
    return messenger;
  };
  return {
    post: async (target: DeliveryTarget, message: Message, attachments?: Attachment[]) =>
      pick(target.platform).post(target, message, attachments),
    directMessage: async (target, message) => pick(target.platform).directMessage(target, message),
    async canPost(target) {
      const messenger = byPlatform[target.platform];
      if (!messenger) return { ok: false, hint: `${target.platform} is not configured in this Tandem.` };
      return messenger.canPost ? messenger.canPost(target) : { ok: true };
    },
  };
}
