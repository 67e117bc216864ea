// The composition root for `tandem serve`: one HTTP server carrying health, metrics,
// the ingest API, Slack (when configured) and Teams, plus the scheduler.
import { createHttpServer, type Route } from "../adapters/http/server.ts";
import { healthRoutes } from "../adapters/http/health.ts";
import { createIngestRoute } from "../adapters/http/ingest.ts";
import { createMetrics, type HttpMetrics } from "../adapters/http/metrics.ts";
import { createSlack } from "../adapters/slack/slack-app.ts";
import type { AppContext } from "./context.ts";

export type RunningServer = {
  port: number;
  metrics: HttpMetrics;
  /** graceful: stop accepting, finish in-flight requests, stop chat transports */
  stop(): Promise<void>;
};

export function hasChatCredentials(env: AppContext["env"]): boolean {
  return Boolean(
    (env.SLACK_SIGNING_SECRET && (env.SLACK_BOT_TOKEN || env.SLACK_CLIENT_ID)) || env.SLACK_APP_TOKEN || env.MicrosoftAppId,
  );
}

export async function startServer(ctx: AppContext, options: { port?: number; host?: string } = {}): Promise<RunningServer> {
  const metrics = createMetrics();
  const routes: Route[] = [
    ...healthRoutes({ db: ctx.db, metrics, startedAt: ctx.clock.now() }),
    createIngestRoute({ db: ctx.db, metrics, logger: ctx.logger }),
  ];
  const slack = createSlack(ctx, { metrics });
  if (slack) routes.push(...slack.routes);

  const http = createHttpServer(routes, { logger: ctx.logger, metrics });
  const port = await http.listen(options.port ?? ctx.env.PORT, options.host);
  await slack?.start();
  ctx.logger.info("tandem listening", {
    port,
    database: ctx.db.dialect,
    slack: slack ? "on" : "off",
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
