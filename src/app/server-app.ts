// The composition root for `tandem serve`: one HTTP server carrying health, metrics,
// the ingest API, Slack (when configured) and Teams, plus the scheduler that posts
// digests (and closes pulses) exactly once.
import { healthRoutes } from "../adapters/http/health.ts";
import { createIngestRoute } from "../adapters/http/ingest.ts";
import { createMetrics, type HttpMetrics } from "../adapters/http/metrics.ts";
import { createHttpServer, type Route } from "../adapters/http/server.ts";
import { digestJob, platformMessenger } from "../adapters/scheduler/digest-job.ts";
import { createScheduler } from "../adapters/scheduler/scheduler.ts";
import { schedulerSlackMessenger } from "../adapters/slack/pulse-messenger.ts";
import { createSlack } from "../adapters/slack/slack-app.ts";
import { installationBotTokens } from "../adapters/slack/slack-messenger.ts";
import { createPulseCardActions, type PulseCardActions } from "../adapters/teams/pulse-card-actions.ts";
import { createTeams } from "../adapters/teams/teams-app.ts";
import { createSecretBox } from "../core/crypto/secret-box.ts";
import type { PulseMessenger } from "../core/pulse/ports.ts";
import { type ChatCommands, createChatCommands } from "./chat-commands.ts";
import type { AppContext } from "./context.ts";
import { createFeatures } from "./features.ts";
import { createPulseServices, openRituals } from "./pulse.ts";

export type RunningServer = {
  port: number;
  metrics: HttpMetrics;
  /** the chat command layer, for the local console */
  chat: ChatCommands;
  /** graceful: stop the scheduler, stop accepting, finish in-flight requests */
  stop(): Promise<void>;
};

export function hasChatCredentials(env: AppContext["env"]): boolean {
  return Boolean(
    (env.SLACK_SIGNING_SECRET && (env.SLACK_BOT_TOKEN || env.SLACK_CLIENT_ID)) ||
      env.SLACK_APP_TOKEN ||
      env.MicrosoftAppId,
  );
}

export async function startServer(
  ctx: AppContext,
  options: { port?: number; host?: string; scheduler?: boolean } = {},
): Promise<RunningServer> {
  const metrics = createMetrics();
  // Teams answers through the chat layer, and the chat layer's features post through
  // Teams: the late-bound reference breaks that cycle.
  let chat: ChatCommands | undefined;
  const chatRef: ChatCommands = {
    handle: (...args) => {
      if (!chat) throw new Error("chat commands are not ready yet");
      return chat.handle(...args);
    },
  };
  // Pulses post and update through one messenger per platform, filled in below.
  const pulseMessengers: Record<string, PulseMessenger> = {};
  const pulses = createPulseServices({
    db: ctx.db,
    clock: ctx.clock,
    logger: ctx.logger,
    env: ctx.env,
    messengers: pulseMessengers,
  });
  ctx.logger.info("pulse answers keyed", { source: pulses.keySource });
  let pulseActions: PulseCardActions | undefined;
  // Teams is always served: without a MicrosoftAppId it accepts unauthenticated
  // activities, as the Bot Framework Emulator sends them.
  const teams = createTeams(ctx, {
    metrics,
    chat: chatRef,
    onCardAction: (action) => {
      if (!pulseActions) throw new Error("card actions are not ready yet");
      return pulseActions.handle(action);
    },
  });
  pulseMessengers.teams = teams.messenger;
  pulseActions = createPulseCardActions(pulses);
  const messenger = platformMessenger(ctx, teams.messenger);
  const features = createFeatures(ctx, { messenger, pulses });
  chat = createChatCommands(ctx, features);

  const routes: Route[] = [
    ...healthRoutes({ db: ctx.db, metrics, startedAt: ctx.clock.now() }),
    createIngestRoute({ db: ctx.db, metrics, logger: ctx.logger }),
    teams.route,
  ];
  const slack = createSlack(ctx, {
    metrics,
    ...(features.kpiSubcommands ? { kpiSubcommands: features.kpiSubcommands } : {}),
    ...(features.issueToken ? { issueToken: features.issueToken } : {}),
    ...(features.slackListeners ? { register: features.slackListeners } : {}),
  });
  if (slack) {
    routes.push(...slack.routes);
    const { SLACK_BOT_TOKEN, TANDEM_ENCRYPTION_KEY } = ctx.env;
    pulseMessengers.slack = schedulerSlackMessenger({
      client: slack.app.client,
      botToken: SLACK_BOT_TOKEN
        ? async () => SLACK_BOT_TOKEN
        : TANDEM_ENCRYPTION_KEY
          ? installationBotTokens(ctx.db.prisma, createSecretBox(TANDEM_ENCRYPTION_KEY))
          : async () => null,
    });
  }

  const http = createHttpServer(routes, { logger: ctx.logger, metrics });
  const port = await http.listen(options.port ?? ctx.env.PORT, options.host);
  await slack?.start();

  const scheduler = createScheduler({ clock: ctx.clock, logger: ctx.logger });
  if (options.scheduler !== false) {
    scheduler.add(
      "digests",
      await digestJob(ctx, {
        messenger,
        afterPost: async ({ digest, target, messageId, period }) => {
          await openRituals(pulses, {
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
    for (const [name, job] of Object.entries(features.scheduledJobs ?? {})) scheduler.add(name, job);
    // the first tick catches up on runs missed while Tandem was down
    void scheduler.start();
  }
  ctx.logger.info("tandem listening", {
    port,
    database: ctx.db.dialect,
    slack: slack ? "on" : "off",
    teams: teams.appId ? "authenticated" : "unauthenticated (local)",
  });
  return {
    port,
    metrics,
    chat,
    stop: async () => {
      await scheduler.stop();
      await pulseActions?.idle();
      await slack?.stop();
      await http.close();
    },
  };
}
