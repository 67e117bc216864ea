// The composition root of `tandem serve`: the only place that knows every adapter.
// One HTTP server carries health, metrics, the ingest API, Slack (when configured) and
// Teams; one scheduler posts digests (and opens, reminds and closes pulses) exactly once.
// Built in plain order: each platform's messenger first, then the chat layer that posts
// through them, then the surfaces that answer through the chat layer.

import type { AddressInfo } from "node:net";
import type { CliCommand } from "../adapters/cli/io.ts";
import { runConsole } from "../adapters/console/console.ts";
import { healthRoutes } from "../adapters/http/health.ts";
import { createIngestRoute } from "../adapters/http/ingest.ts";
import { legalPageRoutes } from "../adapters/http/legal-pages.ts";
import { createMetrics, type HttpMetrics } from "../adapters/http/metrics.ts";
import { createHttpServer, type Route } from "../adapters/http/server.ts";
import { createScheduler } from "../adapters/scheduler/scheduler.ts";
import { registerAlertActions } from "../adapters/slack/listeners/alert-actions.ts";
import { pulseRegistration } from "../adapters/slack/listeners/pulse-listeners.ts";
import { createSlack, type SlackAdapter, slackSetup } from "../adapters/slack/slack-app.ts";
import { createAlertCardActions } from "../adapters/teams/alert-card-actions.ts";
import { createPulseCardActions, type PulseCardActions } from "../adapters/teams/pulse-card-actions.ts";
import { createRitualCardActions } from "../adapters/teams/ritual-card-actions.ts";
import { checkTeamsSetup, type TeamsAccess, teamsAccess } from "../adapters/teams/teams-access.ts";
import { createTeams, createTeamsBot, firstCardAction, type TeamsApp } from "../adapters/teams/teams-app.ts";
import { createTeamsMessenger } from "../adapters/teams/teams-messenger.ts";
import { alertActionDeps } from "../app/alert-actions.ts";
import type { ChatCommands } from "../app/chat/chat-commands.ts";
import { type AppContext, openContext } from "../app/context.ts";
import { cacheBound, servingKpiDeps } from "../app/kpi.ts";
import { isDatabaseEmpty, loadDemo } from "../app/load-demo.ts";
import { openRituals, pulseJob } from "../app/pulse.ts";
import { loadEnv } from "../config/env.ts";
import type { KpiAdminStore } from "../core/admin/ports.ts";
import { type BlockingSignal, createBlockingSignal } from "../core/blocking-signal.ts";
import { routeMessenger } from "../core/delivery/route-messenger.ts";
import { isAppError } from "../core/errors.ts";
import type { KpiSnapshotDeps } from "../core/kpi/get-kpi-snapshot.ts";
import { createLogger } from "../core/logger.ts";
import { tellAdminsOnTransition } from "../core/sources/failure-notice.ts";
import { loadAdminRecipients } from "../store/admin-recipients.ts";
import { SERVER_WRITE_WAIT_MS } from "../store/busy.ts";
import { type AlertServices, createAlertServices } from "./alert-job.ts";
import { type Chat, createChat } from "./chat.ts";
import { type Messengers, platformMessengers } from "./delivery.ts";
import { digestJob } from "./digest-job.ts";
import { outcomeJob } from "./outcome-job.ts";
import { logProcessOutput } from "./process-logging.ts";
import { sourcesJob } from "./sources-job.ts";

export type RunningServer = {
  port: number;
  /** the address actually bound (`127.0.0.1`, `::`, …) */
  address: string;
  metrics: HttpMetrics;
  /** the chat command layer, for the local console */
  chat: ChatCommands;
  /** graceful: stop accepting, let in-flight requests finish, then stop the scheduler and the background work */
  stop(): Promise<void>;
};

export function hasChatCredentials(env: AppContext["env"]): boolean {
  return Boolean(
    (env.SLACK_SIGNING_SECRET && (env.SLACK_BOT_TOKEN || env.SLACK_CLIENT_ID)) ||
      env.SLACK_APP_TOKEN ||
      env.MicrosoftAppId,
  );
}

/** Local mode stays on this machine unless HOST says otherwise; with credentials, every interface. */
export function bindHost(env: AppContext["env"]): string | undefined {
  return env.HOST ?? (hasChatCredentials(env) ? undefined : "127.0.0.1");
}

/** What answers people: the chat layer, and the Teams and Slack surfaces in front of it. */
export type Surfaces = {
  chat: Chat;
  messengers: Messengers;
  teams: TeamsApp;
  /** null when Slack is not configured */
  slack: SlackAdapter | null;
  pulseActions: PulseCardActions;
  /** alert rules: evaluation, the scheduler's job, the "facts changed" hook */
  alerts: AlertServices;
};

export function createSurfaces(
  ctx: AppContext,
  options: {
    metrics?: HttpMetrics;
    /** tests: another admin store, the respondent-key secret, Slack's acknowledgement budget */
    admin?: KpiAdminStore;
    secret?: Buffer;
    slackAckBudgetMs?: number;
    /** who Teams lets in; by default decided from the environment and the address bound */
    teamsAccess?: TeamsAccess;
    /** benches: the KPI engine's store (default: servingKpiDeps), and the signal it warns before blocking */
    kpi?: KpiSnapshotDeps;
    blocking?: BlockingSignal;
  } = {},
): Surfaces {
  const { metrics } = options;
  // Slack hears it only when the KPI store it answers from warns it
  const blocking = options.kpi ? options.blocking : (options.blocking ?? createBlockingSignal());
  const teamsBot = createTeamsBot(ctx.env, ctx.logger);
  const messengers = platformMessengers(
    ctx,
    createTeamsMessenger({
      adapter: teamsBot.adapter,
      appId: teamsBot.appId,
      prisma: ctx.db.prisma,
      logger: ctx.logger,
    }),
  );
  const chat = createChat(ctx, {
    messengers,
    kpi: options.kpi ?? servingKpiDeps(ctx.db, ctx.clock, ctx.logger, { ...cacheBound(ctx.env), blocking }),
    ...(options.admin ? { admin: options.admin } : {}),
    ...(options.secret ? { secret: options.secret } : {}),
  });
  const pulseActions = createPulseCardActions(chat.pulses, ctx.workspace.id);
  const alertActions = alertActionDeps(ctx.db, chat.pulses);
  const teams = createTeams(ctx, teamsBot, {
    access: options.teamsAccess ?? teamsAccess(ctx.env, bindHost(ctx.env)),
    chat: chat.commands,
    onCardAction: firstCardAction(
      pulseActions.handle,
      createRitualCardActions(chat.pulses),
      createAlertCardActions(alertActions, ctx.workspace.id),
    ),
    ...(metrics ? { metrics } : {}),
  });
  const slack = createSlack(ctx, {
    chat: chat.commands,
    kpi: chat.kpi,
    register: [pulseRegistration(chat.pulses), (app, env) => registerAlertActions(app, env, alertActions)],
    ...(metrics ? { metrics } : {}),
    ...(options.slackAckBudgetMs !== undefined ? { ackBudgetMs: options.slackAckBudgetMs } : {}),
    ...(blocking ? { blocking } : {}),
  });
  const alerts = createAlertServices(ctx, {
    messenger: routeMessenger(messengers),
    onReport: (reports) => {
      for (const report of reports) {
        if (report.outcome === "posted" || report.outcome === "failed")
          metrics?.deliveries.inc({ platform: report.platform, kind: "alert", outcome: report.outcome });
      }
    },
  });
  return { chat, messengers, teams, slack, pulseActions, alerts };
}

export async function startServer(
  ctx: AppContext,
  options: { port?: number; host?: string; scheduler?: boolean } = {},
): Promise<RunningServer> {
  const metrics = createMetrics();
  const host = options.host ?? bindHost(ctx.env);
  const access = teamsAccess(ctx.env, host);
  const { chat, messengers, teams, slack, pulseActions, alerts } = createSurfaces(ctx, {
    metrics,
    teamsAccess: access,
  });
  ctx.logger.info("pulse answers keyed", { source: chat.pulses.keySource });

  const routes: Route[] = [
    ...healthRoutes({ db: ctx.db, metrics, startedAt: ctx.clock.now() }),
    ...legalPageRoutes(ctx.env),
    createIngestRoute({
      db: ctx.db,
      metrics,
      logger: ctx.logger,
      keepDemo: ctx.env.TANDEM_KEEP_DEMO,
      onFactsChanged: alerts.factsChanged,
    }),
    teams.route,
    ...(slack?.routes ?? []),
  ];
  const http = createHttpServer(routes, { logger: ctx.logger, metrics });
  const port = await http.listen(options.port ?? ctx.env.PORT, host);
  const address = (http.server.address() as AddressInfo).address;
  await slack?.start();

  const scheduler = createScheduler({ clock: ctx.clock, logger: ctx.logger });
  const tellAdmins = tellAdminsOnTransition({
    messenger: routeMessenger(messengers),
    admins: (workspaceId) => loadAdminRecipients(ctx.db.prisma, workspaceId),
    logger: ctx.logger,
  });
  const sources = sourcesJob(ctx, {
    // a synced source's new numbers are evaluated by the alerts at once, as an ingest call's are
    async afterSync(ran) {
      await tellAdmins(ran);
      if (ran.error === null || ran.error === undefined) await alerts.factsChanged(ran.after.workspaceId);
    },
  });
  if (options.scheduler !== false) {
    scheduler.add(
      "digests",
      await digestJob(ctx, {
        messenger: routeMessenger(messengers),
        afterPost: async ({ digest, target, messageId, period }) => {
          await openRituals(chat.pulses, {
            workspaceId: target.workspaceId,
            platform: target.platform,
            channelId: target.channelId,
            threadId: messageId,
            period,
            offTrackSharedMetrics: digest.metrics.filter((metric) => metric.status === "off_track"),
          });
        },
        onReport: (reports) => {
          for (const report of reports) {
            metrics.deliveries.inc({ platform: report.platform, kind: "digest", outcome: report.outcome });
          }
        },
      }),
    );
    scheduler.add("pulses", pulseJob(chat.pulses));
    scheduler.add(
      "outcomes",
      outcomeJob(ctx, {
        messenger: routeMessenger(messengers),
        onReport: (reports) => {
          for (const { platform, outcome } of reports) {
            if (platform) metrics.deliveries.inc({ platform, kind: "outcome", outcome });
          }
        },
      }),
    );
    scheduler.add("sources", sources.job);
    // after every facts change (whichever process wrote them) and at least hourly
    scheduler.add("alerts", alerts.job);
    // the first tick catches up on runs missed while Tandem was down
    void scheduler.start();
  }
  if (access.mode === "off" && !ctx.env.MicrosoftAppId) ctx.logger.info("teams not served", { reason: access.reason });
  ctx.logger.info("tandem listening", {
    port,
    host: address,
    database: ctx.db.dialect,
    slack: slack ? "on" : "off",
    teams: { authenticated: "authenticated", local: "unauthenticated (local, loopback only)", off: "off" }[access.mode],
  });
  return {
    port,
    address,
    metrics,
    chat: chat.commands,
    stop: async () => {
      // new requests are refused first; the work they started finishes before the jobs stop
      await http.close();
      await scheduler.stop();
      await sources.idle();
      await pulseActions.idle();
      await alerts.idle();
      await slack?.stop();
    },
  };
}

/** The URL a person types for an address the server bound (IPv6 in brackets). */
export function urlOf(address: string, port: number): string {
  return `http://${address.includes(":") ? `[${address}]` : address}:${port}`;
}

/** `tandem serve` (what `npm start` runs). Without chat credentials: local mode, with the demo and a console. */
export const serveCommand: CliCommand = {
  name: "serve",
  usage: "tandem serve",
  summary: "run the bot (what npm start runs)",
  async run(_args, io) {
    const env = loadEnv();
    // half a chat set-up stops here, before anything is written, never falling back to the local mode
    slackSetup(env);
    checkTeamsSetup(env);
    const logger = createLogger(env.LOG_LEVEL);
    logProcessOutput(logger);
    // The server never waits long for SQLite's write lock (store/busy.ts).
    const ctx = await openContext({ env, logger, writeWaitMs: SERVER_WRITE_WAIT_MS });
    const local = !hasChatCredentials(ctx.env);
    if (local && (await isDatabaseEmpty(ctx.db, ctx.workspace.id))) {
      try {
        const loaded = await loadDemo(ctx);
        ctx.logger.info("local mode: loaded the demo data set", { inserted: loaded.inserted });
      } catch (error) {
        // An import is writing to the empty database: serve it as it is.
        if (!isAppError(error) || error.code !== "unavailable") throw error;
        ctx.logger.warn("local mode: the demo data set was not loaded, the database is busy", {
          error: error.message,
        });
      }
    }
    const server = await startServer(ctx).catch(async (error: unknown) => {
      // e.g. the port is taken: nothing must keep the process alive after the one-line error
      await ctx.close();
      throw error;
    });
    if (local) {
      io.err(
        `Tandem is running in local mode (no Slack or Teams credentials) on ${urlOf(server.address, server.port)}\n` +
          "  GET /healthz · GET /metrics · POST /api/v1/facts · POST /api/messages",
      );
    }

    let stopping: Promise<void> | null = null;
    const shutdown = (signal: string) => {
      stopping ??= (async () => {
        ctx.logger.info("shutting down", { signal });
        try {
          await server.stop();
        } finally {
          await ctx.close();
        }
      })();
      return stopping;
    };
    const interactive = local && process.stdin.isTTY === true;
    await new Promise<void>((resolve, reject) => {
      const stop = (reason: string) => void shutdown(reason).then(resolve, reject);
      process.once("SIGTERM", () => stop("SIGTERM"));
      process.once("SIGINT", () => stop("SIGINT"));
      if (interactive)
        void runConsole(ctx, server.chat, { input: process.stdin, output: process.stdout }, server.metrics).then(() =>
          stop("console closed"),
        );
    });
    return 0;
  },
};
