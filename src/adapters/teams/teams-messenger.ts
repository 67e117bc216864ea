// The delivery port over Teams, for every proactive post (digests, pulses, results,
// reminders, rituals): the conversation's stored reference and
// CloudAdapter.continueConversationAsync. One attempt per call: failures become
// DeliveryErrors classified by Teams' rate-limit advice (429, 412, 502 and 504 may pass,
// with Retry-After when Teams sends one), and withRetries (src/core/delivery/retries.ts)
// decides whether to try again, with the backoff and jitter Teams asks for.
//
// botbuilder's connector client retries inside each attempt (5xx and network errors with
// backoff, 429/503 when Retry-After is present) and offers no switch to turn that off;
// what it leaves out (412, 429 without Retry-After) and the budget over everything are
// withRetries'.
import type { Activity, CloudAdapter, ConversationReference, ResourceResponse, TurnContext } from "botbuilder";
import { DeliveryError } from "../../core/delivery/delivery-error.ts";
import type { Attachment, DeliveryTarget, Messenger } from "../../core/delivery/ports.ts";
import { postWithAttachments } from "../../core/delivery/post-with-attachments.ts";
import type { Message } from "../../core/messages/model.ts";
import type { Logger } from "../../core/ports.ts";
import { toTeamsActivity } from "../../render/teams/render.ts";
import { loadConversationReference } from "../../store/conversation-refs.ts";
import type { Db } from "../../store/database.ts";
import { channelOf, threadOf } from "./conversation-id.ts";
import { isLoopbackUrl } from "./teams-access.ts";

/** What Teams asks bots to retry: throttled, precondition failed (a busy thread), bad gateway, gateway timeout. */
export const TEAMS_TRANSIENT_STATUSES: ReadonlySet<number> = new Set([429, 412, 502, 504]);

export type TeamsMessengerDeps = {
  adapter: Pick<CloudAdapter, "continueConversationAsync">;
  /** the bot's MicrosoftAppId ("" for unauthenticated local use) */
  appId: string;
  prisma: Db;
  logger: Logger;
};

type Reference = Partial<ConversationReference>;

export function createTeamsMessenger(deps: TeamsMessengerDeps): Messenger {
  const referenceFor = async (target: DeliveryTarget): Promise<Reference> => {
    const channel = channelOf(target.channelId);
    const stored = await loadConversationReference<Reference>(deps.prisma, target.workspaceId, "teams", channel);
    if (!stored?.conversation || !stored.serviceUrl) {
      throw new DeliveryError(
        "Tandem has no address for this Teams conversation yet: add Tandem to the team, or @mention it there once",
        { status: 404, code: "conversation_reference_missing" },
      );
    }
    // A reference stored before the local mode checked its serviceUrl may point anywhere.
    if (!deps.appId && !isLoopbackUrl(stored.serviceUrl)) {
      throw new DeliveryError(
        "Tandem runs Teams in the unauthenticated local mode, which posts only to this machine; set MicrosoftAppId",
        { status: 403, code: "service_url_not_loopback" },
      );
    }
    // a thread of a channel; chats have no threads, so there the conversation itself
    const inThread = target.threadId && stored.conversation.conversationType === "channel";
    const conversationId = inThread ? threadOf(channel, target.threadId ?? "") : channel;
    return { ...stored, conversation: { ...stored.conversation, id: conversationId } };
  };

  /** One proactive turn; `work` gets the turn context. Errors become DeliveryErrors. */
  const inConversation = async <T>(
    what: string,
    reference: Reference,
    work: (context: TurnContext) => Promise<T>,
  ): Promise<T> => {
    type Outcome = { ok: true; value: T } | { ok: false; error: unknown };
    let outcome = { ok: false, error: new Error("the proactive turn did not run") } as Outcome;
    try {
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
    } catch (error) {
      outcome = { ok: false, error };
    }
    if (!outcome.ok) throw toDeliveryError(outcome.error, what);
    return outcome.value;
  };

  const send = async (reference: Reference, what: string, activity: Partial<Activity>) => {
    const response = await inConversation<ResourceResponse | undefined>(what, reference, (context) =>
      context.sendActivity(activity),
    );
    return { messageId: response?.id ?? "" };
  };

  const postText = async (target: DeliveryTarget, message: Message) =>
    send(await referenceFor(target), "post", toTeamsActivity(message) as Partial<Activity>);

  const upload = async (target: DeliveryTarget, attachment: Attachment) => {
    await send(await referenceFor(target), "attachment", imageActivity(attachment));
  };

  return {
    // Attachments follow in the message's thread (channels) or right after it (chats).
    post: (target, message, attachments) =>
      postWithAttachments({ text: postText, upload }, target, message, attachments),

    async update(posted, message) {
      const reference = await referenceFor(posted);
      await inConversation("update", reference, async (context) => {
        await context.updateActivity({
          ...(toTeamsActivity(message) as Partial<Activity>),
          id: posted.messageId,
          conversation: reference.conversation as Activity["conversation"],
        });
      });
    },

    async directMessage(recipient, message) {
      const reference = await personalReference(deps.prisma, recipient.workspaceId, recipient.userId);
      if (!reference) {
        throw new DeliveryError(
          "Tandem cannot write to this person in Teams until they have opened a chat with it once",
          { status: 404, code: "personal_chat_missing" },
        );
      }
      return send(reference, "direct message", toTeamsActivity(message) as Partial<Activity>);
    },

    upload,

    async canPost(target) {
      const stored = await loadConversationReference(
        deps.prisma,
        target.workspaceId,
        "teams",
        channelOf(target.channelId),
      );
      return stored
        ? { ok: true }
        : {
            ok: false,
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

/** botbuilder's RestError (status, headers, body) → a DeliveryError, retryable by Teams' rules. */
export function toDeliveryError(error: unknown, what: string): DeliveryError {
  if (error instanceof DeliveryError) return error;
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
  return new DeliveryError(
    `Teams refused the ${what} (${status || failure.code || "no response"}): ${failure.message ?? String(error)}`,
    {
      status,
      code,
      cause: error,
      ...(TEAMS_TRANSIENT_STATUSES.has(status) ? { retryable: true } : {}),
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
