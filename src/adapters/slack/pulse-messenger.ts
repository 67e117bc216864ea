// Pulses' and rituals' Slack posts: chat.postMessage / chat.update with the rendered
// neutral message, and the channel's people for the participation denominator
// (conversations.members, minus bots; needs channels:read and groups:read).
import type { webApi } from "@slack/bolt";
import type { Message } from "../../core/messages/model.ts";
import type { PulseMessenger, PulseTarget } from "../../core/pulse/ports.ts";
import { toSlack } from "../../render/slack/render.ts";

type Client = webApi.WebClient;

/** Token and client for a workspace; the listener's client already carries its token. */
export type SlackClientFor = (workspaceId: number) => Promise<{ client: Client; token?: string }>;

const MEMBER_PAGES = 10;
const USER_PAGES = 20;
const BOT_CACHE_MS = 60 * 60_000;

function payload(message: Message) {
  const rendered = toSlack(message);
  return { text: rendered.text, blocks: rendered.blocks };
}

export function createSlackPulseMessenger(clientFor: SlackClientFor): PulseMessenger {
  const botCache = new Map<number, { at: number; ids: Promise<Set<string>> }>();

  async function botIds(workspaceId: number, client: Client, token: string | undefined): Promise<Set<string>> {
    const cached = botCache.get(workspaceId);
    if (cached && Date.now() - cached.at < BOT_CACHE_MS) return cached.ids;
    const ids = (async () => {
      const bots = new Set<string>();
      let cursor: string | undefined;
      for (let page = 0; page < USER_PAGES; page++) {
        const result = await client.users.list({
          ...(token ? { token } : {}),
          limit: 200,
          ...(cursor ? { cursor } : {}),
        });
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
    async post(target: PulseTarget, message: Message) {
      const { client, token } = await clientFor(target.workspaceId);
      const result = await client.chat.postMessage({
        ...(token ? { token } : {}),
        channel: target.channelId,
        ...(target.threadId ? { thread_ts: target.threadId } : {}),
        ...payload(message),
      } as Parameters<Client["chat"]["postMessage"]>[0]);
      return { messageId: String(result.ts ?? "") };
    },

    async update(target, message) {
      const { client, token } = await clientFor(target.workspaceId);
      await client.chat.update({
        ...(token ? { token } : {}),
        channel: target.channelId,
        ts: target.messageId,
        ...payload(message),
      } as Parameters<Client["chat"]["update"]>[0]);
    },

    async countAudience(target) {
      const { client, token } = await clientFor(target.workspaceId);
      const members = new Set<string>();
      let cursor: string | undefined;
      for (let page = 0; page < MEMBER_PAGES; page++) {
        const result = await client.conversations.members({
          ...(token ? { token } : {}),
          channel: target.channelId,
          limit: 1000,
          ...(cursor ? { cursor } : {}),
        });
        if (!result.members) return page === 0 ? null : members.size;
        for (const id of result.members) members.add(id);
        cursor = result.response_metadata?.next_cursor || undefined;
        if (!cursor) break;
      }
      const bots = await botIds(target.workspaceId, client, token).catch(() => new Set<string>());
      return [...members].filter((id) => !bots.has(id)).length;
    },
  };
}

/** A listener's messenger: the request's client, already authorized for its workspace. */
export function messengerForClient(client: Client, botUserId?: string): PulseMessenger {
  const messenger = createSlackPulseMessenger(async () => ({ client }));
  if (!botUserId || !messenger.countAudience) return messenger;
  const count = messenger.countAudience;
  // the bot itself is a channel member but not one of the people asked
  return {
    ...messenger,
    countAudience: async (target) => {
      const n = await count(target);
      return n === null ? null : Math.max(0, n - 1);
    },
  };
}

/**
 * The scheduler's messenger: each workspace's bot token from `botToken` (SLACK_BOT_TOKEN
 * with one workspace; installationBotTokens from slack-messenger.ts with the OAuth install).
 */
export function schedulerSlackMessenger(options: {
  client: Client;
  botToken: (workspaceId: number) => Promise<string | null>;
}): PulseMessenger {
  return createSlackPulseMessenger(async (workspaceId) => {
    const token = await options.botToken(workspaceId);
    if (!token) throw new Error(`no Slack bot token for workspace ${workspaceId}: install Tandem in Slack again`);
    return { client: options.client, token };
  });
}
