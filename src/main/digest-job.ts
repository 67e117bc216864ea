// Wiring of the digest's scheduled job: the Prisma stores, the KPI engine, the chart
// renderer (when its native canvas loads) and the platforms' messenger.
// `tandem serve` adds `digestJob(...)` to the scheduler; `tandem digest run-due` runs it once.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { SchedulerJob } from "../adapters/scheduler/scheduler.ts";
import type { AppContext } from "../app/context.ts";
import { cacheBound, digestDeps, kpiDeps } from "../app/kpi.ts";
import { freshnessOf } from "../app/sources-command.ts";
import type { Messenger } from "../core/delivery/ports.ts";
import type { RetryPolicy } from "../core/delivery/retries.ts";
import type { ChartRenderer } from "../core/digest/ports.ts";
import { type DigestRunReport, type RunDueDigestsDeps, runDueDigests } from "../core/digest/run-due-digests.ts";
import type { Logger } from "../core/ports.ts";
import { createDigestRunStore, createSubscriptionStore } from "../store/digest-subscriptions.ts";
import { createSourceStore, keptSourceList } from "../store/sources.ts";

type DigestContext = Pick<AppContext, "db" | "clock" | "logger" | "env">;

export type DigestJobOptions = {
  /** the platforms' messenger (the runner retries through it) */
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
    return (await import("../adapters/chart/render-chart.ts")).renderChartPng;
  } catch (error) {
    logger.warn("digest charts are off: the canvas renderer did not load", { error: String(error) });
    return undefined;
  }
}

export async function digestRunDeps(ctx: DigestContext, options: DigestJobOptions): Promise<RunDueDigestsDeps> {
  const renderChart = options.renderChart === undefined ? await loadChartRenderer(ctx.logger) : options.renderChart;
  return {
    subscriptions: createSubscriptionStore(ctx.db.prisma),
    runs: createDigestRunStore(ctx.db.prisma),
    kpi: digestDeps(kpiDeps(ctx.db, ctx.clock, ctx.logger, cacheBound(ctx.env)), ctx.db),
    messenger: options.messenger,
    clock: ctx.clock,
    logger: ctx.logger,
    worker: options.worker ?? workerName(),
    freshness: freshnessOf(keptSourceList(ctx.db, createSourceStore(ctx.db)), ctx.clock),
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
