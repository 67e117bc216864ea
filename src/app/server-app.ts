// The composition root for `tandem serve`: one HTTP server carrying health, metrics,
// the ingest API, Slack (when configured) and Teams, plus the scheduler.

import { healthRoutes } from "../adapters/http/health.ts";
import { createIngestRoute } from "../adapters/http/ingest.ts";
import { createMetrics, type HttpMetrics } from "../adapters/http/metrics.ts";
import { createHttpServer, type Route } from "../adapters/http/server.ts";
import { createSlack } from "../adapters/slack/slack-app.ts";
import { createTeams } from "../adapters/teams/teams-app.ts";
import type { ChatCommands, ChatFeatures } from "./chat-commands.ts";
import type { AppContext } from "./context.ts";

export type RunningServer = {
  port: number;
  metrics: HttpMetrics;
  /** graceful: stop accepting, finish in-flight requests, stop chat transports */
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
  options: { port?: number; host?: string; chat: ChatCommands; features: ChatFeatures },
): Promise<RunningServer> {
  const metrics = createMetrics();
  const routes: Route[] = [
    ...healthRoutes({ db: ctx.db, metrics, startedAt: ctx.clock.now() }),
    createIngestRoute({ db: ctx.db, metrics, logger: ctx.logger }),
  ];
  // Teams is always served: without a MicrosoftAppId it accepts unauthenticated
  // activities, as the Bot Framework Emulator sends them.
  const teams = createTeams(ctx, { metrics, chat: options.chat });
  routes.push(teams.route);
  const slack = createSlack(ctx, {
    metrics,
    ...(options.features.kpiSubcommands ? { kpiSubcommands: options.features.kpiSubcommands } : {}),
    ...(options.features.issueToken ? { issueToken: options.features.issueToken } : {}),
  });
  if (slack) routes.push(...slack.routes);

  const http = createHttpServer(routes, { logger: ctx.logger, metrics });
  const port = await http.listen(options.port ?? ctx.env.PORT, options.host);
  await slack?.start();
  ctx.logger.info("tandem listening", {
    port,
    database: ctx.db.dialect,
    slack: slack ? "on" : "off",
    teams: teams.appId ? "authenticated" : "unauthenticated (local)",
  });
  return {
    port,
    metrics,
    stop: async () => {
      await slack?.stop();
      await http.close();
    },
  };
}
