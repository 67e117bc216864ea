// Wiring of the sources' scheduled job: every due source synced once across replicas
// (src/core/sources/run-due-syncs.ts), each with its kind's reader in its workspace's
// zone and currency. A sync can take minutes, so the job starts a round in the
// background and returns: the digests and pulses on the same ticks are never held
// up by a vendor. A process runs one round at a time; `idle()` waits for it.
import type { SchedulerJob } from "../adapters/scheduler/scheduler.ts";
import type { AppContext } from "../app/context.ts";
import { describeError } from "../core/describe-error.ts";
import { AppError, ErrorCode } from "../core/errors.ts";
import { type DueSyncReport, type RunDueSyncsDeps, runDueSyncs } from "../core/sources/run-due-syncs.ts";
import { loadKpiSettings } from "../store/kpi-settings.ts";
import { createSourceStore } from "../store/sources.ts";
import { workerName } from "./digest-job.ts";
import { createSourceReader, type ReaderOptions } from "./sources.ts";

type SourcesContext = Pick<AppContext, "db" | "clock" | "logger">;

export type SourcesJobOptions = {
  worker?: string;
  leaseMs?: number;
  /** tests: the environment the secrets are read from, another HTTP policy */
  reader?: ReaderOptions;
  afterSync?: RunDueSyncsDeps["afterSync"];
  /** called with what each round did (for metrics) */
  onReport?: (reports: DueSyncReport[]) => void;
};

export function sourcesRunDeps(ctx: SourcesContext, options: SourcesJobOptions = {}): RunDueSyncsDeps {
  return {
    store: createSourceStore(ctx.db),
    clock: ctx.clock,
    logger: ctx.logger,
    holder: options.worker ?? workerName(),
    ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
    ...(options.afterSync ? { afterSync: options.afterSync } : {}),
    async readerFor(source) {
      const workspace = await ctx.db.prisma.workspace.findUnique({ where: { id: source.workspaceId } });
      if (workspace === null) throw new AppError(ErrorCode.NotFound, `${source.name}: its workspace is gone`);
      const { currency } = await loadKpiSettings(ctx.db.prisma, workspace.id);
      return createSourceReader(source, { timezone: workspace.timezone, currency }, options.reader);
    },
  };
}

export type SourcesJob = { job: SchedulerJob; idle(): Promise<void> };

export function sourcesJob(ctx: SourcesContext, options: SourcesJobOptions = {}): SourcesJob {
  const deps = sourcesRunDeps(ctx, options);
  let round: Promise<void> | null = null;
  return {
    job: async (now) => {
      if (round) return; // the previous round is still syncing: its sources are claimed anyway
      round = runDueSyncs(deps, now)
        .then((reports) => options.onReport?.(reports))
        .catch((error: unknown) => ctx.logger.error("source syncs failed", { error: describeError(error) }))
        .finally(() => {
          round = null;
        });
    },
    idle: async () => {
      await round;
    },
  };
}
