// The delivery port over Slack's Web API, for every proactive post (digests, pulses,
// rituals): chat.postMessage and chat.update with the rendered blocks; files with Slack's
// current upload API (files.getUploadURLExternal, POST the bytes,
// files.completeUploadExternal; what WebClient.filesUploadV2 does); the channel's people
// for pulse participation. One attempt per call: Slack's errors become DeliveryErrors and
// withRetries (src/core/delivery/retries.ts) decides whether to try again.
import { webApi } from "@slack/bolt";
import type { SecretBox } from "../../core/crypto/secret-box.ts";
import { DeliveryError } from "../../core/delivery/delivery-error.ts";
import type { Attachment, DeliveryTarget, Messenger } from "../../core/delivery/ports.ts";
import { postWithAttachments } from "../../core/delivery/post-with-attachments.ts";
import { errorText } from "../../core/describe-error.ts";
import type { Message } from "../../core/messages/model.ts";
import type { Logger } from "../../core/ports.ts";
import { toSlack } from "../../render/slack/render.ts";
import type { Db } from "../../store/database.ts";
import { loadInstallation } from "../../store/installations.ts";
import { toBoltLogger } from "./bolt-logger.ts";

export type SlackMessengerOptions = {
  /** the bot token for a workspace: SLACK_BOT_TOKEN with one workspace, the installation's with OAuth */
  botToken(workspaceId: number): Promise<string | null>;
  /** SLACK_API_URL (a proxy, or a fake in tests) */
  slackApiUrl?: string;
  logger: Logger;
  timeoutMs?: number;
};

export const INVITE_HINT = "Invite me first: type `/invite @Tandem` in the channel, then it works.";

const MEMBER_PAGES = 10;
const USER_PAGES = 20;
const BOT_CACHE_MS = 60 * 60_000;

/** Slack error codes → an HTTP-like status: 429 and 5xx may pass, the rest will not. */
const PLATFORM_STATUS: Record<string, number> = {
  ratelimited: 429,
  rate_limited: 429,
  internal_error: 503,
  fatal_error: 503,
  service_unavailable: 503,
  request_timeout: 504,
  not_in_channel: 403,
  channel_not_found: 404,
  is_archived: 410,
  restricted_action: 403,
  not_authed: 401,
  invalid_auth: 401,
  account_inactive: 401,
  token_revoked: 401,
  missing_scope: 403,
  msg_too_long: 400,
  invalid_blocks: 400,
  no_text: 400,
};

const HINTS: Record<string, string> = {
  not_in_channel: `Tandem is not a member of this channel. ${INVITE_HINT}`,
  channel_not_found: `Tandem cannot see this channel (it was deleted, or it is private and Tandem is not in it). ${INVITE_HINT}`,
  is_archived: "The channel is archived; subscribe another channel.",
  missing_scope: "Tandem's Slack app lacks a permission it needs (files:write or chat:write); reinstall it.",
  invalid_auth: "Tandem's Slack token is no longer valid; reinstall the app.",
  token_revoked: "Tandem's Slack token was revoked; reinstall the app.",
  account_inactive: "Tandem's Slack token is no longer valid; reinstall the app.",
};

/** Any error of a Web API call → a DeliveryError with a status the retry policy understands. */
export function toDeliveryError(error: unknown, what: string): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const coded = error as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string } };
  switch (coded?.code) {
    case webApi.ErrorCode.RateLimitedError: {
      const retryAfterMs = Math.max(0, Number(coded.retryAfter ?? 1)) * 1000;
      return new DeliveryError(`Slack rate-limited ${what}; it asked to wait ${retryAfterMs / 1000} s`, {
        status: 429,
        code: "ratelimited",
        retryAfterMs,
        cause: error,
      });
    }
    case webApi.ErrorCode.HTTPError: {
      const status = Number(coded.statusCode ?? 500);
      return new DeliveryError(`Slack answered HTTP ${status} to ${what}`, { status, cause: error });
    }
    case webApi.ErrorCode.RequestError:
      return new DeliveryError(`Slack could not be reached for ${what}: ${(error as Error).message}`, {
        status: 0,
        code: "network",
        cause: error,
      });
    case webApi.ErrorCode.PlatformError: {
      const code = coded.data?.error ?? "unknown_error";
      const hint = HINTS[code];
      return new DeliveryError(hint ? `${hint} (Slack: ${code})` : `Slack refused ${what}: ${code}`, {
        status: PLATFORM_STATUS[code] ?? 400,
        code,
        cause: error,
      });
    }
    default:
      return new DeliveryError(`${what} failed: ${errorText(error)}`, {
        status: 500,
        code: "unexpected",
        cause: error,
      });
  }
}

export function createSlackMessenger(options: SlackMessengerOptions): Messenger {
  const client = new webApi.WebClient(undefined, {
    ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
    // retries are withRetries' (src/core/delivery/retries.ts), never two layers deep
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 15_000,
    logger: toBoltLogger(options.logger),
  });
  const botCache = new Map<number, { at: number; ids: Promise<Set<string>> }>();

  async function tokenFor(workspaceId: number): Promise<string> {
    const token = await options.botToken(workspaceId);
    if (!token) {
      throw new DeliveryError(`No Slack installation for workspace ${workspaceId}: install Tandem in Slack again.`, {
        status: 401,
        code: "no_installation",
      });
    }
    return token;
  }

  /** One Web API call; whatever it throws becomes a DeliveryError. */
  async function call<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw toDeliveryError(error, what);
    }
  }

  async function postText(target: DeliveryTarget, message: Message): Promise<{ messageId: string }> {
    const token = await tokenFor(target.workspaceId);
    const rendered = toSlack(message);
    const result = await call("chat.postMessage", () =>
      client.chat.postMessage({
        token,
        channel: target.channelId,
        text: rendered.text,
        blocks: rendered.blocks,
        unfurl_links: false,
        unfurl_media: false,
        ...(target.threadId ? { thread_ts: target.threadId } : {}),
      }),
    );
    if (!result.ts) throw new DeliveryError("Slack accepted the message but returned no ts", { status: 502 });
    return { messageId: result.ts };
  }

  async function upload(target: DeliveryTarget, attachment: Attachment): Promise<void> {
    const token = await tokenFor(target.workspaceId);
    const file = {
      token,
      file: Buffer.from(attachment.png),
      filename: attachment.filename,
      title: attachment.filename,
      alt_text: attachment.altText,
    };
    const { threadId } = target;
    await call(`uploading ${attachment.filename}`, () =>
      threadId
        ? client.filesUploadV2({ ...file, channel_id: target.channelId, thread_ts: threadId })
        : client.filesUploadV2({ ...file, channel_id: target.channelId }),
    );
  }

  /** Bots, deleted users and Slackbot, who are channel members but not people asked (cached an hour). */
  function botIds(workspaceId: number, token: string): Promise<Set<string>> {
    const cached = botCache.get(workspaceId);
    if (cached && Date.now() - cached.at < BOT_CACHE_MS) return cached.ids;
    const ids = (async () => {
      const bots = new Set<string>();
      let cursor: string | undefined;
      for (let page = 0; page < USER_PAGES; page++) {
        const result = await client.users.list({ token, limit: 200, ...(cursor ? { cursor } : {}) });
        for (const user of result.members ?? []) {
          if (user.id && (user.is_bot || user.deleted || user.id === "USLACKBOT")) bots.add(user.id);
        }
        cursor = result.response_metadata?.next_cursor || undefined;
        if (!cursor) break;
      }
      return bots;
    })();
    botCache.set(workspaceId, { at: Date.now(), ids });
    ids.catch(() => botCache.delete(workspaceId));
    return ids;
  }

  return {
    post: (target, message, attachments) =>
      postWithAttachments({ text: postText, upload }, target, message, attachments),

    async update(posted, message) {
      const token = await tokenFor(posted.workspaceId);
      const rendered = toSlack(message);
      await call("chat.update", () =>
        client.chat.update({
          token,
          channel: posted.channelId,
          ts: posted.messageId,
          text: rendered.text,
          blocks: rendered.blocks,
        }),
      );
    },

    // chat.postMessage to a user id posts in the app's direct messages with them.
    directMessage: (recipient, message) =>
      postText({ platform: "slack", workspaceId: recipient.workspaceId, channelId: recipient.userId }, message),

    upload,

    async canPost(target) {
      if (target.channelId.startsWith("D")) return { ok: true };
      try {
        const token = await tokenFor(target.workspaceId);
        const info = await call("conversations.info", () =>
          client.conversations.info({ token, channel: target.channelId }),
        );
        if (info.channel?.is_member === false) {
          return { ok: false, hint: INVITE_HINT };
        }
        return { ok: true };
      } catch (error) {
        const problem = toDeliveryError(error, "conversations.info");
        if (problem.code === "channel_not_found" || problem.code === "not_in_channel") {
          return { ok: false, hint: INVITE_HINT };
        }
        // Not knowing is not a refusal: the first digest will say if it cannot post.
        options.logger.warn("slack: could not check channel membership", {
          channel: target.channelId,
          error: problem.message,
        });
        return { ok: true };
      }
    },

    // conversations.members, minus bots: needs channels:read and groups:read
    async countAudience(target) {
      const token = await tokenFor(target.workspaceId);
      const members = new Set<string>();
      let cursor: string | undefined;
      for (let page = 0; page < MEMBER_PAGES; page++) {
        const result = await call("conversations.members", () =>
          client.conversations.members({
            token,
            channel: target.channelId,
            limit: 1000,
            ...(cursor ? { cursor } : {}),
          }),
        );
        if (!result.members) return page === 0 ? null : members.size;
        for (const id of result.members) members.add(id);
        cursor = result.response_metadata?.next_cursor || undefined;
        if (!cursor) break;
      }
      const bots = await botIds(target.workspaceId, token).catch(() => new Set<string>());
      return [...members].filter((id) => !bots.has(id)).length;
    },
  };
}

/**
 * Bot tokens from the OAuth installations (many workspaces): the workspace's Slack
 * installation, opened with the secret box. With one workspace, pass SLACK_BOT_TOKEN instead.
 */
export function installationBotTokens(prisma: Db, box: SecretBox): (workspaceId: number) => Promise<string | null> {
  return async (workspaceId) => {
    const row = await prisma.installation.findFirst({
      where: { workspaceId, platform: "slack" },
      orderBy: { updatedAt: "desc" },
    });
    if (!row) return null;
    const stored = await loadInstallation(prisma, box, {
      platform: "slack",
      teamId: row.teamId,
      enterpriseId: row.enterpriseId,
    });
    const installation = stored ? (JSON.parse(stored.data) as { bot?: { token?: string } }) : null;
    return installation?.bot?.token ?? null;
  };
}
