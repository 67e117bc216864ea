// Wiring of alerts: the rule store, the KPI engine and the platforms' messenger for the
// evaluator; the scheduler's job; and the one "facts changed" hook every writer of facts
// is given (the ingest API, `tandem import`, source syncs): it stamps the change in the
// database, so a serving process evaluates within its next tick whichever process wrote,
// and, in the serving process, evaluates that workspace at once.
import type { SchedulerJob } from "../adapters/scheduler/scheduler.ts";
import type { AppContext } from "../app/context.ts";
import { cacheBound, kpiDeps } from "../app/kpi.ts";
import type { FactsChanged } from "../core/alerts/ports.ts";
import { type AlertReport, type RunAlertsDeps, runAlerts } from "../core/alerts/run-alerts.ts";
import { createAlertWatch } from "../core/alerts/watch-alerts.ts";
import type { Messenger } from "../core/delivery/ports.ts";
import type { RetryPolicy } from "../core/delivery/retries.ts";
import { describeError } from "../core/describe-error.ts";
import { createAlertRuleStore, factsVersions, markFactsChanged } from "../store/alert-rules.ts";
import { workerName } from "./digest-job.ts";

type AlertContext = Pick<AppContext, "db" | "clock" | "logger"> & Partial<Pick<AppContext, "env">>;

export type AlertServices = {
  /** evaluates one workspace's rules now, or every workspace's */
  evaluate(workspaceId?: number): Promise<AlertReport[]>;
  /** the scheduler's job: changed workspaces each tick, all of them hourly */
  job: SchedulerJob;
  /** what writers call after committing facts */
  factsChanged: FactsChanged;
  /** resolves once evaluations started by factsChanged have finished (tests, shutdown) */
  idle(): Promise<void>;
};

export function alertRunDeps(
  ctx: AlertContext,
  options: { messenger: Messenger; worker?: string; retry?: RetryPolicy },
): RunAlertsDeps {
  const kpi = kpiDeps(ctx.db, ctx.clock, undefined, cacheBound(ctx.env));
  return {
    rules: createAlertRuleStore(ctx.db),
    stats: kpi.stats,
    settingsSource: kpi.settingsSource,
    zoneOf: async (workspaceId) =>
      (await ctx.db.prisma.workspace.findUnique({ where: { id: workspaceId }, select: { timezone: true } }))
        ?.timezone ?? "UTC",
    messenger: options.messenger,
    clock: ctx.clock,
    logger: ctx.logger,
    worker: options.worker ?? workerName(),
    ...(options.retry ? { retry: options.retry } : {}),
  };
}

export function createAlertServices(
  ctx: AlertContext,
  options: { messenger: Messenger; worker?: string; retry?: RetryPolicy; onReport?: (reports: AlertReport[]) => void },
): AlertServices {
  const deps = alertRunDeps(ctx, options);
  const evaluate = async (workspaceId?: number) => {
    const reports = await runAlerts(deps, workspaceId === undefined ? {} : { workspaceId });
    options.onReport?.(reports);
    return reports;
  };
  const watch = createAlertWatch({ versions: () => factsVersions(ctx.db.prisma), evaluate, clock: ctx.clock });
  const running = new Set<Promise<unknown>>();
  return {
    evaluate,
    job: () => watch.tick(),
    factsChanged: async (workspaceId) => {
      await markFactsChanged(ctx.db.prisma, workspaceId, ctx.clock.now());
      // the writer's answer does not wait for the evaluation
      const run = evaluate(workspaceId)
        .catch((error: unknown) =>
          ctx.logger.error("alerts after a facts change failed", { workspaceId, error: describeError(error) }),
        )
        .finally(() => running.delete(run));
      running.add(run);
    },
    idle: async () => {
      await Promise.all([...running]);
    },
  };
}

/** The hook for a process that only writes (`tandem import`): the serving process evaluates. */
export function stampFactsChanged(ctx: AlertContext): FactsChanged {
  return (workspaceId) => markFactsChanged(ctx.db.prisma, workspaceId, ctx.clock.now());
}
