// Microsoft Teams through botbuilder's CloudAdapter at POST /api/messages. With a
// MicrosoftAppId, Bot Framework's JWT validation applies; with none, the endpoint
// accepts unauthenticated activities (Bot Framework Emulator, local use).
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type Activity,
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConversationReference,
  type TurnContext,
  TurnContext as TurnContextClass,
} from "botbuilder";
import { z } from "zod";
import type { ChatCommands } from "../../app/chat-commands.ts";
import type { AppContext } from "../../app/context.ts";
import { toTeamsActivity } from "../../render/teams/render.ts";
import { saveConversationReference } from "../../store/conversation-refs.ts";
import { MB, readBody, sendJson } from "../http/body.ts";
import type { HttpMetrics } from "../http/metrics.ts";
import type { Route } from "../http/server.ts";

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

export type TeamsApp = {
  route: Route;
  adapter: CloudAdapter;
  appId: string;
};

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

export function createTeams(ctx: AppContext, deps: { chat: ChatCommands; metrics?: HttpMetrics }): TeamsApp {
  const appId = ctx.env.MicrosoftAppId ?? "";
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: appId,
    MicrosoftAppPassword: ctx.env.MicrosoftAppPassword ?? "",
    MicrosoftAppType: ctx.env.MicrosoftAppType ?? (appId ? "MultiTenant" : ""),
    MicrosoftAppTenantId: ctx.env.MicrosoftAppTenantId ?? "",
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context, error) => {
    ctx.logger.error("teams turn failed", { error: String((error as Error)?.stack ?? error) });
    await context
      .sendActivity("Sorry, something went wrong answering that. The team has the details in the log.")
      .catch(() => undefined);
  };

  const onTurn = async (context: TurnContext) => {
    const activity = context.activity;
    const reference = TurnContextClass.getConversationReference(activity) as ConversationReference;
    await saveConversationReference(ctx.db.prisma, ctx.workspace.id, "teams", reference);
    if (activity.type === ActivityTypes.Message) {
      const text = commandText(activity);
      deps.metrics?.chatCommands.inc({ platform: "teams", command: text.split(" ")[0] || "empty" });
      const message = await deps.chat.handle(text === "" ? "help" : text, {
        platform: "teams",
        userId: activity.from?.aadObjectId ?? activity.from?.id ?? "unknown",
        channelId: activity.conversation?.id ?? "unknown",
      });
      await context.sendActivity(toTeamsActivity(message) as Partial<Activity>);
      return;
    }
    if (activity.type === ActivityTypes.ConversationUpdate) {
      const botAdded = (activity.membersAdded ?? []).some((member) => member.id === activity.recipient?.id);
      if (botAdded) {
        const message = await deps.chat.handle("help", {
          platform: "teams",
          userId: activity.from?.id ?? "unknown",
          channelId: activity.conversation?.id ?? "unknown",
        });
        await context.sendActivity(toTeamsActivity(message) as Partial<Activity>);
      }
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
      await adapter.process(
        { body: parsed.data, headers: req.headers as Record<string, string>, method: req.method },
        nodeResponse(res),
        onTurn,
      );
    },
  };
  return { route, adapter, appId };
}

/** The small Express-like response surface botbuilder writes to. */
function nodeResponse(res: ServerResponse) {
  let status = 200;
  return {
    socket: res.socket,
    status(code: number) {
      status = code;
      return this;
    },
    header(name: string, value: unknown) {
      res.setHeader(name, String(value));
      return this;
    },
    send(body: unknown) {
      if (body === undefined || body === null) return this;
      const text = typeof body === "string" ? body : JSON.stringify(body);
      if (!res.headersSent) {
        res.statusCode = status;
        if (typeof body !== "string") res.setHeader("content-type", "application/json; charset=utf-8");
      }
      res.write(text);
      return this;
    },
    end() {
      if (!res.headersSent) res.statusCode = status;
      res.end();
      return this;
    },
  };
}
