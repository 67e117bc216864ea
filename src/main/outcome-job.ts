// Wiring of the outcome checks' scheduled job: the Prisma stores, the KPI engine and the
// platforms' messenger. `tandem serve` adds `outcomeJob(...)` to the scheduler.
import type { SchedulerJob } from "../adapters/scheduler/scheduler.ts";
import type { AppContext } from "../app/context.ts";
import { cacheBound, kpiDeps } from "../app/kpi.ts";
import type { Messenger } from "../core/delivery/ports.ts";
import type { RetryPolicy } from "../core/delivery/retries.ts";
import { type OutcomeReport, type RunDueOutcomesDeps, runDueOutcomes } from "../core/rituals/run-due-outcomes.ts";
import { createOutcomeStore } from "../store/ritual-outcomes.ts";
import { createRitualStore } from "../store/rituals.ts";
import { workerName } from "./digest-job.ts";

export type OutcomeJobOptions = {
  /** the platforms' messenger (the runner retries through it) */
  messenger: Messenger;
  worker?: string;
  retry?: Partial<RetryPolicy>;
  leaseMs?: number;
  /** called with what each check did (for metrics) */
  onReport?: (reports: OutcomeReport[]) => void;
};

export function outcomeRunDeps(
  ctx: Pick<AppContext, "db" | "clock" | "logger"> & Partial<Pick<AppContext, "env">>,
  options: OutcomeJobOptions,
): RunDueOutcomesDeps {
  return {
    outcomes: createOutcomeStore(ctx.db.prisma),
    rituals: createRitualStore(ctx.db),
    kpi: kpiDeps(ctx.db, ctx.clock, undefined, cacheBound(ctx.env)),
    messenger: options.messenger,
    clock: ctx.clock,
    logger: ctx.logger,
    worker: options.worker ?? workerName(),
    ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
  };
}

/** The scheduler job: posts the outcome checks due at the tick's time. */
export function outcomeJob(
  ctx: Pick<AppContext, "db" | "clock" | "logger"> & Partial<Pick<AppContext, "env">>,
  options: OutcomeJobOptions,
): SchedulerJob {
  const deps = outcomeRunDeps(ctx, options);
  return async (now) => {
    const reports = await runDueOutcomes(deps, now);
    options.onReport?.(reports);
    return reports;
  };
}
