// Microsoft Teams through botbuilder's CloudAdapter at POST /api/messages. Who is let in
// is teams-access.ts's decision: Bot Framework-authenticated activities with a
// MicrosoftAppId, else the unauthenticated local mode on loopback only, else nobody.
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type Activity,
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type InvokeResponse,
  type TurnContext,
  TurnContext as TurnContextClass,
} from "botbuilder";
import { z } from "zod";
import type { ChatCommands } from "../../app/chat/chat-commands.ts";
import { chatCommandLabel } from "../../app/chat/command-label.ts";
import type { ChatCaller } from "../../app/chat/types.ts";
import type { AppContext } from "../../app/context.ts";
import type { Env } from "../../config/env.ts";
import { describeError } from "../../core/describe-error.ts";
import { ErrorCode, isAppError } from "../../core/errors.ts";
import type { Message } from "../../core/messages/model.ts";
import type { Logger } from "../../core/ports.ts";
import {
  ADAPTIVE_CARD_CONTENT_TYPE,
  type AdaptiveCard,
  toAdaptiveCard,
  toTeamsActivity,
} from "../../render/teams/render.ts";
import { saveConversationReference } from "../../store/conversation-refs.ts";
import { MB, readBody, sendJson } from "../http/body.ts";
import type { HttpMetrics } from "../http/metrics.ts";
import type { Route } from "../http/server.ts";
import { channelOf, channelReference } from "./conversation-id.ts";
import { type AuthenticatedRequest, admitActivity, type TeamsAccess } from "./teams-access.ts";

// Just enough shape to refuse malformed activities with 400 before botbuilder sees
// them (its own parser throws, which would otherwise become a 500).
const ActivitySchema = z
  .object({
    type: z.string().min(1),
    id: z.string().optional(),
    serviceUrl: z.string().url().optional(),
    channelId: z.string().optional(),
    from: z.object({ id: z.string() }).passthrough().optional(),
    conversation: z.object({ id: z.string() }).passthrough().optional(),
    recipient: z.object({ id: z.string() }).passthrough().optional(),
    text: z.string().optional(),
  })
  .passthrough()
  .superRefine((activity, issue) => {
    if (activity.type !== "message" && activity.type !== "invoke" && activity.type !== "conversationUpdate") return;
    for (const field of ["serviceUrl", "conversation", "from"] as const) {
      if (activity[field] === undefined)
        issue.addIssue({ code: "custom", path: [field], message: `required for ${activity.type} activities` });
    }
  });

/**
 * The bot's connection to the Bot Framework: what answers activities (createTeams) and
 * what posts proactively (createTeamsMessenger) share.
 */
export type TeamsBot = { adapter: TeamsAdapter; appId: string; auth: ConfigurationBotFrameworkAuthentication };

/** CloudAdapter, answering a request teams-access.ts has already authenticated. */
class TeamsAdapter extends CloudAdapter {
  answer(
    request: AuthenticatedRequest,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(request, activity, logic);
  }
}

export type TeamsApp = TeamsBot & { route: Route };

/** A click on an Action.Execute button (Universal Actions): the verb and data the renderer put there. */
export type CardAction = {
  verb: string;
  data: Record<string, unknown>;
  caller: ChatCaller;
  /** the activity id of the message carrying the card, when Teams sends it */
  messageId: string | null;
};

/**
 * The card that replaces the clicked one for the person who clicked (Teams shows an
 * Action.Execute's answer to that person only): a neutral message, or a card the
 * adapter built itself (one with inputs, which the neutral model does not have).
 */
export type CardActionResult = { message: Message } | { card: AdaptiveCard };

/** Answers a card action; null when the verb is not the handler's. */
export type CardActionHandler = (action: CardAction) => Promise<CardActionResult | null>;

/** One handler from several features' (pulses, rituals): the first that knows the verb answers. */
export function firstCardAction(...handlers: CardActionHandler[]): CardActionHandler {
  return async (action) => {
    for (const handler of handlers) {
      const result = await handler(action);
      if (result) return result;
    }
    return null;
  };
}

export type TeamsDeps = {
  /** who is let in (teams-access.ts's teamsAccess) */
  access: TeamsAccess;
  chat: ChatCommands;
  metrics?: HttpMetrics;
  /** pulse votes and other card buttons; without it, clicks get a polite "not available" */
  onCardAction?: CardActionHandler;
};

const CARD_ACTION_INVOKE = "adaptiveCard/action";
const MESSAGE_RESPONSE_TYPE = "application/vnd.microsoft.activity.message";
const ERROR_RESPONSE_TYPE = "application/vnd.microsoft.error";

const CardActionValueSchema = z.object({
  action: z.object({
    type: z.literal("Action.Execute"),
    verb: z.string().min(1),
    data: z.record(z.string(), z.unknown()).nullish(),
  }),
});

/**
 * Who typed or clicked, and where: the Azure AD object id when Teams sends one (stable
 * across bots), else the Teams user id; the channel without the thread part.
 */
export function teamsCaller(activity: Partial<Activity>): ChatCaller {
  const caller: ChatCaller = {
    platform: "teams",
    userId: activity.from?.aadObjectId ?? activity.from?.id ?? "unknown",
    channelId: activity.conversation?.id ? channelOf(activity.conversation.id) : "unknown",
  };
  if (activity.from?.name) caller.displayName = activity.from.name;
  return caller;
}

/** Text typed to the bot, without the @mention and a leading slash ("/kpi" works too). */
export function commandText(activity: Partial<Activity>): string {
  const withoutMention = TurnContextClass.removeRecipientMention(activity) ?? activity.text ?? "";
  return withoutMention
    .replace(/<at>[^<]*<\/at>/gi, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^\//, "");
}

/** Where Bot Framework tokens are checked: Microsoft's public cloud, or the OpenID metadata the operator names. */
function cloudSettings(env: Env): Record<string, string> {
  const metadata = env.ToBotFromChannelOpenIdMetadataUrl;
  if (!metadata) return {};
  // botbuilder takes a custom cloud only whole: the public cloud's values but the key source
  return {
    ToBotFromChannelOpenIdMetadataUrl: metadata,
    ToBotFromEmulatorOpenIdMetadataUrl: metadata,
    ToChannelFromBotLoginUrl: "https://login.microsoftonline.com/botframework.com",
    ToChannelFromBotOAuthScope: "https://api.botframework.com",
    ToBotFromChannelTokenIssuer: "https://api.botframework.com",
    OAuthUrl: "https://api.botframework.com",
    CallerId: "urn:botframework:azure",
  };
}

/**
 * The bot's Bot Framework connection. Tests pass `credentialsFactory` so that replies reach
 * a fake connector without a Microsoft token.
 */
export function createTeamsBot(
  env: Env,
  logger: Logger,
  options: { credentialsFactory?: ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[1] } = {},
): TeamsBot {
  const appId = env.MicrosoftAppId ?? "";
  const auth = new ConfigurationBotFrameworkAuthentication(
    {
      MicrosoftAppId: appId,
      MicrosoftAppPassword: env.MicrosoftAppPassword ?? "",
      MicrosoftAppType: env.MicrosoftAppType ?? (appId ? "MultiTenant" : ""),
      MicrosoftAppTenantId: env.MicrosoftAppTenantId ?? "",
      ...cloudSettings(env),
    },
    options.credentialsFactory,
  );
  const adapter = new TeamsAdapter(auth);
  adapter.onTurnError = async (context, error) => {
    logger.error("teams turn failed", { error: describeError(error) });
    await context
      .sendActivity("Sorry, something went wrong answering that. The team has the details in the log.")
      .catch(() => undefined);
  };
  return { adapter, appId, auth };
}

/** POST /api/messages: typed text through the chat layer, card buttons to `onCardAction`. */
export function createTeams(
  ctx: Pick<AppContext, "db" | "workspace" | "logger">,
  bot: TeamsBot,
  deps: TeamsDeps,
): TeamsApp {
  const { adapter, appId } = bot;
  // the local mode answers anyone who reaches loopback: nobody is an admin there
  const callerOf = (activity: Partial<Activity>): ChatCaller =>
    deps.access.mode === "local" ? { ...teamsCaller(activity), isAdmin: async () => false } : teamsCaller(activity);

  const onTurn = async (context: TurnContext) => {
    const activity = context.activity;
    const reference = channelReference(TurnContextClass.getConversationReference(activity));
    await saveConversationReference(ctx.db.prisma, ctx.workspace.id, "teams", reference);
    if (activity.type === ActivityTypes.Message) {
      const text = commandText(activity);
      deps.metrics?.chatCommands.inc({ platform: "teams", command: chatCommandLabel(text) });
      const message = await deps.chat.handle(text === "" ? "help" : text, callerOf(activity));
      await context.sendActivity(toTeamsActivity(message) as Partial<Activity>);
      return;
    }
    if (activity.type === ActivityTypes.Invoke && activity.name === CARD_ACTION_INVOKE) {
      await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: await answerCardAction(context) });
      return;
    }
    if (activity.type === ActivityTypes.ConversationUpdate) {
      const botAdded = (activity.membersAdded ?? []).some((member) => member.id === activity.recipient?.id);
      if (botAdded) {
        const message = await deps.chat.handle("help", callerOf(activity));
        await context.sendActivity(toTeamsActivity(message) as Partial<Activity>);
      }
    }
  };

  /** The invoke response body: Teams shows its `value` card in place of the clicked one. */
  const answerCardAction = async (context: TurnContext): Promise<{ status: number; body: unknown }> => {
    const activity = context.activity;
    const reply = (body: Record<string, unknown>) => ({ status: 200, body });
    const parsed = CardActionValueSchema.safeParse(activity.value);
    if (!parsed.success) {
      return reply({
        statusCode: 400,
        type: ERROR_RESPONSE_TYPE,
        value: { code: "BadRequest", message: "not an Action.Execute: value.action.verb is missing" },
      });
    }
    const { verb, data } = parsed.data.action;
    // one label for every button: verbs carry ids, which would grow the series without bound
    deps.metrics?.chatCommands.inc({ platform: "teams", command: "card_action" });
    if (!deps.onCardAction) {
      return reply({ statusCode: 200, type: MESSAGE_RESPONSE_TYPE, value: "This button is not available here." });
    }
    try {
      const result = await deps.onCardAction({
        verb,
        data: data ?? {},
        caller: callerOf(activity),
        messageId: activity.replyToId ?? null,
      });
      if (!result) {
        return reply({ statusCode: 200, type: MESSAGE_RESPONSE_TYPE, value: "This button is no longer in use." });
      }
      const card = "card" in result ? result.card : toAdaptiveCard(result.message);
      return reply({ statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: card });
    } catch (error) {
      // A refusal the person can act on (closed pulse, bad input) is shown to them;
      // anything else is logged and answered without internals.
      if (isAppError(error) && error.code !== ErrorCode.Internal) {
        return reply({ statusCode: 200, type: MESSAGE_RESPONSE_TYPE, value: error.message });
      }
      ctx.logger.error("teams card action failed", { verb, error: describeError(error) });
      return reply({
        statusCode: 500,
        type: ERROR_RESPONSE_TYPE,
        value: { code: "InternalError", message: "Something went wrong; the team has the details in the log." },
      });
    }
  };

  const route: Route = {
    method: "POST",
    path: "/api/messages",
    handler: async (req: IncomingMessage, res: ServerResponse) => {
      const raw = await readBody(req, MB);
      let body: unknown;
      try {
        body = JSON.parse(raw.toString("utf8"));
      } catch {
        sendJson(res, 400, { error: "body is not JSON" });
        return;
      }
      const parsed = ActivitySchema.safeParse(body);
      if (!parsed.success) {
        const first = parsed.error.issues[0];
        sendJson(res, 400, {
          error: `not a Bot Framework activity: ${first?.path.join(".") || "body"}: ${first?.message}`,
        });
        return;
      }
      const activity = parsed.data as unknown as Activity;
      const admission = await admitActivity(deps.access, bot.auth, activity, req.headers.authorization);
      if (!admission.admitted) {
        ctx.logger.warn("teams activity refused", {
          status: admission.status,
          reason: admission.reason,
          ...(admission.cause === undefined ? {} : { error: describeError(admission.cause) }),
        });
        sendJson(res, admission.status, { error: admission.error });
        return;
      }
      const answer = await adapter.answer(admission.request, activity, onTurn);
      if (answer?.body === undefined) res.writeHead(answer?.status ?? 200).end();
      else sendJson(res, answer.status, answer.body);
    },
  };
  return { route, adapter, appId, auth: bot.auth };
}
