// Proactive posts to Teams (digests, pulses, results, reminders): the channel's stored
// conversation reference, CloudAdapter.continueConversationAsync, and Teams' rate-limit
// advice: retry 429, 412, 502 and 504 with exponential backoff and jitter, honouring
// Retry-After. Implements the digest's Messenger port and the pulse's PulseMessenger.
//
// botbuilder's connector client already retries inside each attempt (5xx and network
// errors with backoff, 429/503 when Retry-After is present; it offers no switch to turn
// that off); this loop adds what it leaves out (412, 429 without Retry-After) and a
// budget over everything, so a post never outlives the digest run's claim.
import type { Activity, CloudAdapter, ConversationReference, ResourceResponse, TurnContext } from "botbuilder";
import pRetry, { AbortError } from "p-retry";
import { DeliveryError, type RetryPolicy } from "../../core/digest/delivery.ts";
import type { Message } from "../../core/messages/model.ts";
import type { Attachment, DeliveryTarget, Logger, Messenger } from "../../core/ports.ts";
import type { PulseMessenger, PulseTarget } from "../../core/pulse/ports.ts";
import { toTeamsActivity } from "../../render/teams/render.ts";
import { loadConversationReference } from "../../store/conversation-refs.ts";
import type { Db } from "../../store/database.ts";
import { channelOf, threadOf } from "./conversation-id.ts";

/** What Teams asks bots to retry: throttled, precondition failed (a busy thread), bad gateway, gateway timeout. */
export const TEAMS_TRANSIENT_STATUSES: ReadonlySet<number> = new Set([429, 412, 502, 504]);

/** The digest's retry policy shape; Teams only changes which statuses are transient and adds jitter. */
export type TeamsRetryPolicy = RetryPolicy;

export const DEFAULT_TEAMS_RETRY: TeamsRetryPolicy = {
  retries: 3,
  minTimeoutMs: 1_000,
  maxTimeoutMs: 30_000,
  // well under the digest's claim lease, so a slow post never outlives its claim
  budgetMs: 2 * 60_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * A Teams failure. When the messenger has already retried it by Teams' rules, it is no
 * longer `retryable`, so a caller's own retry loop (withDeliveryRetries) does not
 * multiply the attempts; with retries off, 412 counts as retryable too.
 */
export class TeamsDeliveryError extends DeliveryError {
  readonly retriedByMessenger: boolean;

  constructor(
    message: string,
    options: { status: number; code?: string; retryAfterMs?: number; cause?: unknown; retriedByMessenger: boolean },
  ) {
    super(message, options);
    this.name = "TeamsDeliveryError";
    this.retriedByMessenger = options.retriedByMessenger;
  }

  override get retryable(): boolean {
    if (this.retriedByMessenger) return false;
    return TEAMS_TRANSIENT_STATUSES.has(this.status) || super.retryable;
  }
}

export type TeamsMessengerDeps = {
  adapter: Pick<CloudAdapter, "continueConversationAsync">;
  /** the bot's MicrosoftAppId ("" for unauthenticated local use) */
  appId: string;
  prisma: Db;
  logger: Logger;
  /** Teams' retries in the messenger; false leaves retrying to the caller */
  retry?: Partial<TeamsRetryPolicy> | false;
};

type AnyTarget = DeliveryTarget | PulseTarget;

/** Both ports at once: the digest's Messenger and the pulse's PulseMessenger. */
export type TeamsMessenger = {
  post(
    target: AnyTarget,
    message: Message,
    attachments?: Attachment[],
  ): Promise<{ messageId: string; attachmentErrors?: string[] }>;
  update: PulseMessenger["update"];
  directMessage: Messenger["directMessage"];
  canPost(target: DeliveryTarget): Promise<{ ok: true } | { ok: false; hint: string }>;
};

export function createTeamsMessenger(deps: TeamsMessengerDeps): TeamsMessenger {
  const policy = deps.retry === false ? null : { ...DEFAULT_TEAMS_RETRY, ...deps.retry };

  const referenceFor = async (target: AnyTarget): Promise<Partial<ConversationReference>> => {
    const channel = channelOf(target.channelId);
    const stored = await loadConversationReference<Partial<ConversationReference>>(
      deps.prisma,
      target.workspaceId,
      "teams",
      channel,
    );
    if (!stored?.conversation || !stored.serviceUrl) {
      throw new TeamsDeliveryError(
        "Tandem has no address for this Teams conversation yet: add Tandem to the team, or @mention it there once",
        { status: 404, code: "conversation_reference_missing", retriedByMessenger: false },
      );
    }
    const conversationId = target.threadId ? threadOf(channel, target.threadId) : channel;
    return { ...stored, conversation: { ...stored.conversation, id: conversationId } };
  };

  /** One proactive turn; `work` gets the turn context. Errors become TeamsDeliveryErrors. */
  const inConversation = async <T>(
    what: string,
    reference: Partial<ConversationReference>,
    work: (context: TurnContext) => Promise<T>,
  ): Promise<T> => {
    const once = async () => {
      type Outcome = { ok: true; value: T } | { ok: false; error: unknown };
      let outcome = { ok: false, error: new Error("the proactive turn did not run") } as Outcome;
      await deps.adapter.continueConversationAsync(deps.appId, reference, async (context) => {
        // A proactive post answers no message: without this, botbuilder would address it
        // as a reply to the synthetic continuation activity.
        context.onSendActivities(async (_context, activities, next) => {
          for (const activity of activities) delete activity.replyToId;
          return next();
        });
        context.onUpdateActivity(async (_context, activity, next) => {
          delete activity.replyToId;
          return next();
        });
        // Caught here, not by the adapter: its onTurnError would post an apology into
        // the channel and let the failed post look delivered.
        try {
          outcome = { ok: true, value: await work(context) };
        } catch (error) {
          outcome = { ok: false, error };
        }
      });
      if (!outcome.ok) throw outcome.error;
      return outcome.value;
    };
    if (!policy) {
      try {
        return await once();
      } catch (error) {
        throw toDeliveryError(error, what, false);
      }
    }
    const started = Date.now();
    return pRetry(
      async () => {
        try {
          return await once();
        } catch (error) {
          const failure = toDeliveryError(error, what, true);
          throw TEAMS_TRANSIENT_STATUSES.has(failure.status) ? failure : new AbortError(failure);
        }
      },
      {
        retries: policy.retries,
        factor: 2,
        minTimeout: policy.minTimeoutMs,
        maxTimeout: policy.maxTimeoutMs,
        randomize: true,
        maxRetryTime: policy.budgetMs,
        onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
          if (!(error instanceof TeamsDeliveryError) || retriesLeft <= 0) return;
          const wait = error.retryAfterMs ?? 0;
          if (Date.now() - started + wait > policy.budgetMs) {
            throw new TeamsDeliveryError(
              `${error.message} (Teams asked to wait ${Math.ceil(wait / 1000)} s, beyond the delivery budget)`,
              {
                status: error.status,
                code: error.code,
                cause: error,
                retriedByMessenger: true,
                ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
              },
            );
          }
          deps.logger.warn("teams post failed; retrying", {
            what,
            status: error.status,
            attempt: attemptNumber,
            retryAfterMs: error.retryAfterMs,
          });
          // p-retry then adds its own jittered backoff, so the wait is at least Retry-After
          if (wait > 0) await policy.sleep(wait);
        },
      },
    ).catch((error: unknown) => {
      throw error instanceof AbortError ? error.originalError : error;
    });
  };

  const send = async (reference: Partial<ConversationReference>, what: string, activity: Partial<Activity>) => {
    const response = await inConversation<ResourceResponse | undefined>(what, reference, (context) =>
      context.sendActivity(activity),
    );
    return { messageId: response?.id ?? "" };
  };

  return {
    async post(target: AnyTarget, message: Message, attachments: Attachment[] = []) {
      const reference = await referenceFor(target);
      const posted = await send(reference, "post", toTeamsActivity(message) as Partial<Activity>);
      const attachmentErrors: string[] = [];
      // Attachments follow in the message's thread (channels) or right after it (chats).
      const isChannel = reference.conversation?.conversationType === "channel";
      const thread =
        isChannel && posted.messageId && !target.threadId
          ? {
              ...reference,
              conversation: { ...reference.conversation, id: threadOf(target.channelId, posted.messageId) },
            }
          : reference;
      for (const attachment of attachments) {
        try {
          await send(thread as Partial<ConversationReference>, "attachment", imageActivity(attachment));
        } catch (error) {
          attachmentErrors.push(`${attachment.filename}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      return attachmentErrors.length > 0 ? { ...posted, attachmentErrors } : posted;
    },

    async update(target: PulseTarget & { messageId: string }, message: Message) {
      const reference = await referenceFor(target);
      await inConversation("update", reference, async (context) => {
        await context.updateActivity({
          ...(toTeamsActivity(message) as Partial<Activity>),
          id: target.messageId,
          conversation: reference.conversation as Activity["conversation"],
        });
      });
    },

    async directMessage(target, message) {
      const reference = await personalReference(deps.prisma, target.workspaceId, target.userId);
      if (!reference) {
        throw new TeamsDeliveryError(
          "Tandem cannot write to this person in Teams until they have opened a chat with it once",
          { status: 404, code: "personal_chat_missing", retriedByMessenger: false },
        );
      }
      return send(reference, "direct message", toTeamsActivity(message) as Partial<Activity>);
    },

    async canPost(target: DeliveryTarget) {
      const stored = await loadConversationReference(
        deps.prisma,
        target.workspaceId,
        "teams",
        channelOf(target.channelId),
      );
      return stored
        ? { ok: true as const }
        : {
            ok: false as const,
            hint: "Tandem has not been added to this conversation yet: add it to the team (or @mention it here once), then try again.",
          };
    },
  };
}

/** The chart as an inline image (Teams shows data-URI images bots send), with its alt text as the message text. */
function imageActivity(attachment: Attachment): Partial<Activity> {
  return {
    type: "message",
    text: attachment.altText,
    attachments: [
      {
        contentType: "image/png",
        contentUrl: `data:image/png;base64,${Buffer.from(attachment.png).toString("base64")}`,
        name: attachment.filename,
      },
    ],
  };
}

/** The stored one-to-one chat with this person (by Azure AD object id or Teams user id). */
async function personalReference(
  prisma: Db,
  workspaceId: number,
  userId: string,
): Promise<Partial<ConversationReference> | null> {
  // The reference is JSON text; narrow in SQL, then confirm on the parsed value.
  const rows = await prisma.conversationRef.findMany({
    where: { workspaceId, platform: "teams", reference: { contains: userId } },
    orderBy: { updatedAt: "desc" },
    take: 20,
  });
  for (const row of rows) {
    const reference = JSON.parse(row.reference) as Partial<ConversationReference>;
    const user = reference.user as { id?: string; aadObjectId?: string } | undefined;
    if (reference.conversation?.conversationType !== "personal") continue;
    if (user?.id === userId || user?.aadObjectId === userId) return reference;
  }
  return null;
}

/** botbuilder's RestError (status, headers, body) → a DeliveryError the digest and pulses understand. */
export function toDeliveryError(error: unknown, what: string, retriedByMessenger: boolean): TeamsDeliveryError {
  if (error instanceof TeamsDeliveryError) return error;
  const failure = error as {
    statusCode?: number;
    code?: string;
    message?: string;
    response?: { status?: number; headers?: { get?(name: string): string | undefined }; bodyAsText?: string | null };
  };
  const status = failure.statusCode ?? failure.response?.status ?? 0;
  const retryAfterMs = parseRetryAfter(failure.response?.headers?.get?.("retry-after"));
  const platformCode = teamsErrorCode(failure.response?.bodyAsText);
  const code = platformCode ?? (status === 0 ? (failure.code ?? "network_error") : `http_${status}`);
  const retried = retriedByMessenger && TEAMS_TRANSIENT_STATUSES.has(status);
  return new TeamsDeliveryError(
    `Teams refused the ${what} (${status || failure.code || "no response"}): ${failure.message ?? String(error)}`,
    {
      status,
      code,
      cause: error,
      retriedByMessenger: retried,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    },
  );
}

/** Retry-After in seconds or as an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function teamsErrorCode(body: string | null | undefined): string | undefined {
  if (!body) return undefined;
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown } };
    return typeof parsed.error?.code === "string" ? parsed.error.code : undefined;
  } catch {
    return undefined;
  }
}
