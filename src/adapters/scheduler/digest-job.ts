// Wiring of the digest's scheduled job: the Prisma stores, the KPI engine, the chart
// renderer (when its native canvas loads) and a messenger per configured platform.
// `tandem serve` adds `digestJob(...)` to the scheduler; `tandem digest run-due` runs it once.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { AppContext } from "../../app/context.ts";
import { kpiDeps } from "../../app/kpi.ts";
import { createSecretBox } from "../../core/crypto/secret-box.ts";
import { type RetryPolicy, routeMessenger } from "../../core/digest/delivery.ts";
import type { ChartRenderer } from "../../core/digest/ports.ts";
import { type DigestRunReport, type RunDueDigestsDeps, runDueDigests } from "../../core/digest/run-due-digests.ts";
import type { Logger, Messenger } from "../../core/ports.ts";
import { createDigestRunStore, createSubscriptionStore } from "../../store/digest-subscriptions.ts";
import { createSlackMessenger, installationBotTokens } from "../slack/slack-messenger.ts";
import type { SchedulerJob } from "./scheduler.ts";

type DigestContext = Pick<AppContext, "db" | "clock" | "logger" | "env">;

export type DigestJobOptions = {
  messenger: Messenger;
  worker?: string;
  /** null: no chart; absent: the canvas renderer if it loads */
  renderChart?: ChartRenderer | null;
  retry?: Partial<RetryPolicy>;
  leaseMs?: number;
  /** called with what each run did (for metrics) */
  onReport?: (reports: DigestRunReport[]) => void;
  /** after a digest is posted (rituals) */
  afterPost?: RunDueDigestsDeps["afterPost"];
};

/** host:pid:random, so a claim says which process holds it */
export function workerName(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
}

/**
 * The canvas renderer, loaded lazily: its native binary is an optional dependency, and a
 * machine without it still posts every digest, as text.
 */
export async function loadChartRenderer(logger: Logger): Promise<ChartRenderer | undefined> {
  try {
    return (await import("../chart/render-chart.ts")).renderChartPng;
  } catch (error) {
    logger.warn("digest charts are off: the canvas renderer did not load", { error: String(error) });
    return undefined;
  }
}

/** Slack's messenger when Slack is configured (one bot token, or OAuth installations); else null. */
export function slackMessenger(ctx: DigestContext): Messenger | null {
  const { env, logger } = ctx;
  const base = { logger, ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}) };
  if (env.SLACK_BOT_TOKEN) {
    const token = env.SLACK_BOT_TOKEN;
    return createSlackMessenger({ ...base, botToken: async () => token });
  }
  if (env.SLACK_CLIENT_ID && env.TANDEM_ENCRYPTION_KEY) {
    return createSlackMessenger({
      ...base,
      botToken: installationBotTokens(ctx.db.prisma, createSecretBox(env.TANDEM_ENCRYPTION_KEY)),
    });
  }
  return null;
}

/** A messenger for whichever platforms are configured; posting to another fails with a clear error. */
export function platformMessenger(ctx: DigestContext, teams?: Messenger | null): Messenger {
  const slack = slackMessenger(ctx);
  return routeMessenger({ ...(slack ? { slack } : {}), ...(teams ? { teams } : {}) });
}

export async function digestRunDeps(ctx: DigestContext, options: DigestJobOptions): Promise<RunDueDigestsDeps> {
  const renderChart = options.renderChart === undefined ? await loadChartRenderer(ctx.logger) : options.renderChart;
  return {
    subscriptions: createSubscriptionStore(ctx.db.prisma),
    runs: createDigestRunStore(ctx.db.prisma),
    kpi: kpiDeps(ctx.db, ctx.clock),
    messenger: options.messenger,
    clock: ctx.clock,
    logger: ctx.logger,
    worker: options.worker ?? workerName(),
    catchUpMs: ctx.env.TANDEM_CATCH_UP_HOURS * 60 * 60_000,
    ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(renderChart ? { renderChart } : {}),
    ...(options.afterPost ? { afterPost: options.afterPost } : {}),
  };
}

/** The scheduler job: posts the digests due at the tick's time. */
export async function digestJob(ctx: DigestContext, options: DigestJobOptions): Promise<SchedulerJob> {
  const deps = await digestRunDeps(ctx, options);
  return async (now) => {
    const reports = await runDueDigests(deps, now);
    options.onReport?.(reports);
    return reports;
  };
}
