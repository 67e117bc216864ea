// Tandem in Slack: a Bolt App on the shared HTTP server (POST /slack/events) or in
// Socket Mode (SLACK_APP_TOKEN), for one workspace (SLACK_BOT_TOKEN) or many
// through the OAuth install (SLACK_CLIENT_ID/SECRET/STATE_SECRET).
import { App, type Authorize, webApi } from "@slack/bolt";
import type { ChatCommands } from "../../app/chat/chat-commands.ts";
import type { AppContext } from "../../app/context.ts";
import type { Env } from "../../config/env.ts";
import type { BlockingSignal } from "../../core/blocking-signal.ts";
import { createSecretBox } from "../../core/crypto/secret-box.ts";
import { describeError } from "../../core/describe-error.ts";
import { AppError, ErrorCode } from "../../core/errors.ts";
import type { KpiSnapshotDeps } from "../../core/kpi/get-kpi-snapshot.ts";
import type { Logger } from "../../core/ports.ts";
import type { HttpMetrics } from "../http/metrics.ts";
import type { Route } from "../http/server.ts";
import { toBoltLogger } from "./bolt-logger.ts";
import { createInstallationStore } from "./installation-store.ts";
import { registerAppHome } from "./listeners/app-home.ts";
import { registerKpiCommand } from "./listeners/kpi-command.ts";
import { registerShareAction } from "./listeners/share-action.ts";
import { createSlackOAuth } from "./oauth.ts";
import { RouteReceiver } from "./receiver.ts";
import type { SlackEnv } from "./slack-env.ts";
import { workspaceMiddleware } from "./workspace.ts";

export type SlackDeps = {
  /** the chat layer: `/kpi`, `/pulse` and the Share button answer through it */
  chat: ChatCommands;
  /** the KPI use cases' store, for the App Home */
  kpi: KpiSnapshotDeps;
  metrics?: HttpMetrics;
  /**
   * more listeners, called with the app and the shared environment: `/pulse` and its
   * buttons (registerPulseCommand, registerPulseActions with the PulseServices)
   */
  register?: ((app: App, env: SlackEnv) => void)[];
  /**
   * compute budget before a command is acknowledged empty (default 2 s; 0 on SQLite
   * without `blocking`, where nothing could interrupt a long aggregate)
   */
  ackBudgetMs?: number;
  /** SQLite: warned before an aggregate blocks the event loop (servingKpiDeps' signal) */
  blocking?: BlockingSignal;
};

export type SlackAdapter = {
  app: App;
  env: SlackEnv;
  mode: "single" | "oauth";
  transport: "http" | "socket";
  /** POST /slack/events, and the install routes in OAuth mode */
  routes: Route[];
  start(): Promise<void>;
  stop(): Promise<void>;
};

/** Bot identity is looked up once, lazily; a Web API that cannot say (a proxy, a fake) does not stop commands. */
function singleWorkspaceAuthorize(token: string, client: webApi.WebClient, logger: Logger): Authorize<boolean> {
  let identity: Promise<{ botUserId?: string; botId?: string }> | null = null;
  return async () => {
    identity ??= client.auth
      .test({ token })
      .then((result) => ({ botUserId: result.user_id, botId: result.bot_id }))
      .catch((error: unknown) => {
        logger.warn("slack auth.test failed; continuing without the bot's identity", { error: String(error) });
        identity = null;
        return {};
      });
    return { botToken: token, ...(await identity) };
  };
}

/** How Slack is configured: null when not at all; throws (one clear line) when inconsistently or only half. */
export function slackSetup(env: Env): { oauth: boolean; socket: boolean } | null {
  const oauth = Boolean(env.SLACK_CLIENT_ID || env.SLACK_CLIENT_SECRET || env.SLACK_STATE_SECRET);
  const socket = Boolean(env.SLACK_APP_TOKEN);
  if (!env.SLACK_SIGNING_SECRET && !socket) {
    const set = (["SLACK_BOT_TOKEN", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_STATE_SECRET"] as const).filter(
      (name) => env[name],
    );
    if (set.length === 0) return null;
    // half a Slack set-up must not quietly become a server without Slack (or the local mode)
    throw new AppError(
      ErrorCode.InvalidInput,
      `Slack: ${set.join(", ")} ${set.length === 1 ? "is" : "are"} set but SLACK_SIGNING_SECRET is not; ` +
        `set SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode), or unset ${set.join(", ")} to run without Slack`,
    );
  }
  if (oauth && !(env.SLACK_CLIENT_ID && env.SLACK_CLIENT_SECRET && env.SLACK_STATE_SECRET)) {
    throw new AppError(
      ErrorCode.InvalidInput,
      "Slack OAuth install: set all three of SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET",
    );
  }
  if (oauth && env.SLACK_BOT_TOKEN) {
    throw new AppError(
      ErrorCode.InvalidInput,
      "Slack: SLACK_BOT_TOKEN (one workspace) and SLACK_CLIENT_ID (OAuth install, many workspaces) exclude each other; unset one",
    );
  }
  if (!oauth && !env.SLACK_BOT_TOKEN) {
    throw new AppError(
      ErrorCode.InvalidInput,
      "Slack: set SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID/SLACK_CLIENT_SECRET/SLACK_STATE_SECRET (OAuth install)",
    );
  }
  if (oauth && !env.TANDEM_ENCRYPTION_KEY) {
    throw new AppError(
      ErrorCode.InvalidInput,
      "TANDEM_ENCRYPTION_KEY: required for the Slack OAuth install, which stores each workspace's bot token " +
        "encrypted (openssl rand -base64 32)",
    );
  }
  return { oauth, socket };
}

/** Null when Slack is not configured; throws (one clear line) when it is configured inconsistently. */
export function createSlack(ctx: AppContext, deps: SlackDeps): SlackAdapter | null {
  const { env, logger } = ctx;
  const setup = slackSetup(env);
  if (setup === null) return null;
  const { oauth, socket } = setup;

  const boltLogger = toBoltLogger(logger);
  const clientOptions: webApi.WebClientOptions = {
    ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}),
    // a listener must not sit in Slack's default 30-minute retry schedule
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2_000 },
    timeout: 10_000,
  };
  const slackEnv: SlackEnv = {
    prisma: ctx.db.prisma,
    clock: ctx.clock,
    logger,
    kpi: deps.kpi,
    chat: deps.chat,
    metrics: deps.metrics,
    // better-sqlite3 runs each query synchronously: no timer fires while one runs, and on a
    // million facts one can take longer than Slack's 3 s. So on SQLite a command is
    // acknowledged empty the moment an aggregate is about to run (`blocking`) and answered
    // through response_url; one answered from kept numbers rides in the acknowledgement,
    // as every answer ready within 2 s does on PostgreSQL, which leaves the event loop free.
    ackBudgetMs: deps.ackBudgetMs ?? (ctx.db.dialect === "postgres" || deps.blocking ? 2_000 : 0),
    ...(deps.blocking ? { blocking: deps.blocking } : {}),
  };

  const receiver = socket ? undefined : new RouteReceiver({ signingSecret: env.SLACK_SIGNING_SECRET ?? "", logger });
  const installation = oauth
    ? createSlackOAuth({
        clientId: env.SLACK_CLIENT_ID ?? "",
        clientSecret: env.SLACK_CLIENT_SECRET ?? "",
        stateSecret: env.SLACK_STATE_SECRET ?? "",
        installationStore: createInstallationStore({
          prisma: ctx.db.prisma,
          box: createSecretBox(env.TANDEM_ENCRYPTION_KEY),
          timezone: env.TANDEM_TIMEZONE,
        }),
        clientOptions,
        logger,
        boltLogger,
      })
    : null;

  const app = new App({
    ...(receiver ? { receiver } : { socketMode: true, appToken: env.SLACK_APP_TOKEN }),
    logger: boltLogger,
    clientOptions,
    convoStore: false,
    authorize: installation
      ? (source) => installation.installer.authorize(source)
      : singleWorkspaceAuthorize(
          env.SLACK_BOT_TOKEN ?? "",
          new webApi.WebClient(undefined, { ...clientOptions, logger: boltLogger }),
          logger,
        ),
  });
  app.error(async (error) => {
    logger.error("slack listener failed", { error: describeError(error) });
  });
  app.use(
    workspaceMiddleware(
      installation
        ? { kind: "oauth", prisma: ctx.db.prisma, timezone: env.TANDEM_TIMEZONE }
        : { kind: "single", workspace: ctx.workspace },
    ),
  );
  registerKpiCommand(app, slackEnv);
  registerShareAction(app, slackEnv);
  registerAppHome(app, slackEnv);
  for (const register of deps.register ?? []) register(app, slackEnv);

  const routes: Route[] = [];
  if (receiver) routes.push({ method: "POST", path: "/slack/events", handler: receiver.handler });
  if (installation) routes.push(...installation.routes);

  return {
    app,
    env: slackEnv,
    mode: installation ? "oauth" : "single",
    transport: socket ? "socket" : "http",
    routes,
    // the HTTP receiver has nothing to start (the shared server carries it); Socket Mode connects here
    start: async () => {
      if (socket) await app.start();
    },
    stop: async () => {
      await app.stop();
    },
  };
}
