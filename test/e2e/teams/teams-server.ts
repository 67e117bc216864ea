// The real HTTP server with the Teams route on a test database, by default without
// credentials (the unauthenticated local mode on loopback, as with the Bot Framework
// Emulator), or with an app id and the fake token service (`auth`); wired in the composition root's
// order: the bot, its messenger, the chat layer posting through it, then the route. The
// fake Bot Connector is the `serviceUrl` of every activity, so replies and proactive
// posts land there.
import { createHttpServer } from "../../../src/adapters/http/server.ts";
import { createAlertCardActions } from "../../../src/adapters/teams/alert-card-actions.ts";
import { createPulseCardActions, type PulseCardActions } from "../../../src/adapters/teams/pulse-card-actions.ts";
import { createRitualCardActions } from "../../../src/adapters/teams/ritual-card-actions.ts";
import { teamsAccess } from "../../../src/adapters/teams/teams-access.ts";
import { createTeams, createTeamsBot, firstCardAction, type TeamsApp } from "../../../src/adapters/teams/teams-app.ts";
import { createTeamsMessenger } from "../../../src/adapters/teams/teams-messenger.ts";
import { alertActionDeps } from "../../../src/app/alert-actions.ts";
import type { AppContext } from "../../../src/app/context.ts";
import { parseEnv } from "../../../src/config/env.ts";
import type { Messenger } from "../../../src/core/delivery/ports.ts";
import { createLogger } from "../../../src/core/logger.ts";
import type { Clock } from "../../../src/core/ports.ts";
import { type Chat, createChat } from "../../../src/main/chat.ts";
import type { Dialect } from "../../../src/store/database.ts";
import { ensureDefaultWorkspace } from "../../../src/store/workspaces.ts";
import { type ConnectorCall, type FakeConnector, startFakeConnector } from "../../fakes/bot-connector.ts";
import { APP_ID, type FakeBotFrameworkAuth } from "../../fakes/bot-framework-auth.ts";
import { createTestDatabase, type TestDatabase } from "../../helpers/databases.ts";
import { adaptiveCardProblems } from "../../unit/render/adaptive-card-validator.ts";

/** "now" for the app: the last complete month is September 2026 */
export const NOW = new Date("2026-10-14T09:00:00Z");
export const BOT = { id: "28:tandem-bot", name: "Tandem" };
export const CARD_TYPE = "application/vnd.microsoft.card.adaptive";

export type Conversation = {
  id: string;
  conversationType: "personal" | "groupChat" | "channel";
  isGroup?: boolean;
  tenantId?: string;
  name?: string;
};
export const CHANNEL: Conversation = {
  id: "19:general@thread.tacv2;messageid=1700000000000",
  conversationType: "channel",
  isGroup: true,
  tenantId: "tenant-1",
  name: "General",
};
export const PERSONAL: Conversation = { id: "a:1personal-chat", conversationType: "personal", tenantId: "tenant-1" };
export const GROUP: Conversation = {
  id: "19:group-chat@thread.v2",
  conversationType: "groupChat",
  isGroup: true,
  tenantId: "tenant-1",
};

export type Card = { type: string; version: string; body: unknown[]; fallbackText?: string };
export type Account = { id: string; name?: string; aadObjectId?: string };
export const ANA: Account = { id: "29:user-ana", name: "Ana", aadObjectId: "aad-ana" };
export type MessageOptions = { conversation?: Conversation; mention?: boolean; from?: Account };
export type PostResult = { status: number; text: string };

export type TeamsTestServer = {
  url: string;
  connector: FakeConnector;
  test: TestDatabase;
  ctx: AppContext;
  teams: TeamsApp;
  /** the Teams messenger (the delivery port), as the chat layer's pulses post through it */
  messenger: Messenger;
  chat: Chat;
  /** pulse votes on cards, when the server was started with `cardActions` */
  actions: PulseCardActions | null;
  /** POSTs an activity (`raw`: the body as it is); with `auth`, signed for its serviceUrl unless `headers` say otherwise */
  post(body: unknown, raw?: boolean, headers?: Record<string, string>): Promise<PostResult>;
  /** a message activity as Teams sends it; `mention` puts `<at>Tandem</at>` in front with its entity */
  message(text: string, options?: MessageOptions): object;
  /** sends the message and returns the card of the one reply the bot posted for it */
  ask(text: string, options?: MessageOptions): Promise<Card>;
  /** sends the message and returns every activity the bot posted meanwhile, with where it went */
  say(text: string, options?: MessageOptions): Promise<ConnectorCall[]>;
  /** every card the bot sent so far, with the connector path it went to */
  sentCards(): { path: string; card: Card }[];
  stop(): Promise<void>;
};

/** `cardActions`: card buttons record pulse votes, ritual and alert presses (without it, clicks get a polite "not available") */
export type TeamsServerOptions = {
  cardActions?: boolean;
  clock?: Clock;
  /** authenticated mode: MicrosoftAppId set, tokens checked against this fake token service */
  auth?: FakeBotFrameworkAuth;
  /** more environment (e.g. a Slack credential, TEAMS_LOCAL_UNAUTHENTICATED) */
  env?: Record<string, string>;
};

export async function startTeamsTestServer(
  dialect: Dialect,
  options: TeamsServerOptions = {},
): Promise<TeamsTestServer> {
  const connector = await startFakeConnector();
  const test = await createTestDatabase(dialect);
  const env = parseEnv({
    DATABASE_URL: test.url,
    LOG_LEVEL: "silent",
    ...(options.auth ? { MicrosoftAppId: APP_ID, ToBotFromChannelOpenIdMetadataUrl: options.auth.metadataUrl } : {}),
    ...options.env,
  });
  const logger = createLogger(process.env.TEST_LOG_LEVEL === "debug" ? "debug" : "silent");
  const workspace = await ensureDefaultWorkspace(test.db.prisma, env.TANDEM_TIMEZONE);
  const clock = options.clock ?? { now: () => NOW };
  const ctx: AppContext = { env, db: test.db, workspace, clock, logger, close: async () => {} };
  const bot = createTeamsBot(env, logger, options.auth ? { credentialsFactory: options.auth.credentialsFactory } : {});
  const messenger = createTeamsMessenger({ adapter: bot.adapter, appId: bot.appId, prisma: test.db.prisma, logger });
  const chat = createChat(ctx, { messengers: { teams: messenger }, secret: Buffer.alloc(32, 7) });
  const actions = options.cardActions ? createPulseCardActions(chat.pulses, ctx.workspace.id) : null;
  const onCardAction = actions
    ? firstCardAction(
        actions.handle,
        createRitualCardActions(chat.pulses),
        createAlertCardActions(alertActionDeps(test.db, chat.pulses), ctx.workspace.id),
      )
    : null;
  const teams = createTeams(ctx, bot, {
    access: teamsAccess(env, "127.0.0.1"),
    chat: chat.commands,
    ...(onCardAction ? { onCardAction } : {}),
  });
  const http = createHttpServer([teams.route], { logger });
  const port = await http.listen(0, "127.0.0.1");
  const url = `http://127.0.0.1:${port}`;
  let nextId = 1;

  const message: TeamsTestServer["message"] = (text, { conversation = CHANNEL, mention = true, from = ANA } = {}) => {
    const mentionText = `<at>${BOT.name}</at>`;
    return {
      type: "message",
      id: `msg-${nextId++}`,
      timestamp: NOW.toISOString(),
      channelId: "msteams",
      serviceUrl: connector.url,
      from,
      conversation,
      recipient: BOT,
      text: mention ? `${mentionText} ${text}` : text,
      textFormat: "plain",
      entities: mention ? [{ type: "mention", text: mentionText, mentioned: BOT }] : [],
      channelData: {
        tenant: { id: "tenant-1" },
        ...(conversation.conversationType === "channel"
          ? { teamsChannelId: "19:general@thread.tacv2", team: { id: "19:team@thread.tacv2" } }
          : {}),
      },
      locale: "en-US",
    };
  };

  const server: TeamsTestServer = {
    url,
    connector,
    test,
    ctx,
    teams,
    messenger,
    chat,
    actions,
    async post(body, raw = false, headers) {
      const serviceUrl = (body as { serviceUrl?: unknown } | null)?.serviceUrl;
      const signed: Record<string, string> =
        options.auth && typeof serviceUrl === "string"
          ? { authorization: `Bearer ${options.auth.token(serviceUrl)}` }
          : {};
      const response = await fetch(`${url}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(headers ?? signed) },
        body: raw ? (body as string) : JSON.stringify(body),
      });
      return { status: response.status, text: await response.text() };
    },
    message,
    async say(text, options) {
      const before = connector.calls.length;
      const response = await server.post(message(text, options));
      if (response.status !== 200) throw new Error(`${text}: HTTP ${response.status} ${response.text}`);
      return connector.calls.slice(before);
    },
    async ask(text, options) {
      const before = connector.activities().length;
      const response = await server.post(message(text, options));
      if (response.status !== 200) throw new Error(`${text}: HTTP ${response.status} ${response.text}`);
      const replies = connector.activities().slice(before);
      if (replies.length !== 1) throw new Error(`${text}: expected one reply, got ${replies.length}`);
      return cardOf(replies[0] as Record<string, unknown>);
    },
    sentCards() {
      return connector.calls
        .filter((call) => /\/v3\/conversations\/.+\/activities/.test(call.path))
        .flatMap((call) =>
          ((call.body.attachments as { contentType: string; content: Card }[] | undefined) ?? [])
            .filter((attachment) => attachment.contentType === CARD_TYPE)
            .map((attachment) => ({ path: call.path, card: attachment.content })),
        );
    },
    async stop() {
      await http.close(1_000);
      await connector.close();
      await test.drop();
    },
  };
  return server;
}

/** The Adaptive Card an activity carries (throws when it carries none). */
export function cardOf(activity: Record<string, unknown>): Card {
  const attachments = (activity.attachments as { contentType: string; content: Card }[] | undefined) ?? [];
  const card = attachments.find((attachment) => attachment.contentType === CARD_TYPE)?.content;
  if (!card) throw new Error(`no Adaptive Card in ${JSON.stringify(activity).slice(0, 300)}`);
  return card;
}

/** All the text a card shows (and its fallback), for "is this figure there" checks. */
export function cardText(card: Card): string {
  const texts: string[] = [card.fallbackText ?? ""];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === "object" && node !== null) {
      const element = node as Record<string, unknown>;
      if (typeof element.text === "string") texts.push(element.text);
      if (typeof element.title === "string") texts.push(element.title);
      for (const value of Object.values(element)) if (typeof value === "object") walk(value);
    }
  };
  walk(card.body);
  return texts.join("\n");
}

/** Problems Microsoft's `adaptivecards` package finds, plus the version Teams needs. */
export function cardProblems(card: Card): string[] {
  const problems = adaptiveCardProblems(card);
  if (card.version !== "1.5") problems.push(`version ${card.version}`);
  return problems;
}

/** What Teams gets back for an `adaptiveCard/action` invoke: a card, a message or an error. */
export type InvokeAnswer = { statusCode: number; type: string; value: unknown };

export type CardClick = {
  verb: string;
  data: Record<string, unknown>;
  /** the message whose button was pressed (its thread in the channel) */
  messageId: string;
  from: Account;
  /** by default the channel's thread of `messageId` (`;messageid=`), as Teams sends it */
  conversation?: Conversation;
  id?: string;
};

let clicks = 0;

/** A press of an Action.Execute button, as Teams sends it; the HTTP answer must be 200. */
export async function clickCard(server: TeamsTestServer, click: CardClick): Promise<InvokeAnswer> {
  const thread = { ...CHANNEL, id: `${CHANNEL.id.split(";")[0]};messageid=${click.messageId}` };
  const response = await server.post({
    type: "invoke",
    name: "adaptiveCard/action",
    id: click.id ?? `invoke-${++clicks}`,
    channelId: "msteams",
    serviceUrl: server.connector.url,
    from: click.from,
    conversation: click.conversation ?? thread,
    recipient: BOT,
    replyToId: click.messageId,
    value: { action: { type: "Action.Execute", id: "a1", verb: click.verb, data: click.data }, trigger: "manual" },
    channelData: { tenant: { id: "tenant-1" } },
  });
  if (response.status !== 200) throw new Error(`invoke ${click.verb} answered ${response.status}: ${response.text}`);
  return JSON.parse(response.text) as InvokeAnswer;
}
