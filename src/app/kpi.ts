// Wiring of the KPI use case to the store: SQL measures, kept in the database's measure
// cache, and the workspace's settings.
import type { Env } from "../config/env.ts";
import type { BlockingSignal } from "../core/blocking-signal.ts";
import type { DigestDeps } from "../core/digest/build-digest.ts";
import type { KpiSnapshotDeps } from "../core/kpi/get-kpi-snapshot.ts";
import type { Clock, FactStats, Logger } from "../core/ports.ts";
import type { Database } from "../store/database.ts";
import { createSqlFactStats } from "../store/kpi-measures.ts";
import { keptKpiSettingsSource } from "../store/kpi-settings.ts";
import { cachedFactStats, type MeasureCacheOptions } from "../store/measure-cache.ts";
import { createDecisionLog } from "../store/rituals.ts";
import { yieldingStats } from "../store/yielding-stats.ts";

/** How big the measure cache may grow: TANDEM_MEASURE_CACHE_ROWS; 0 turns it off. */
export type CacheBound = { maxRows?: number };

/** The environment's bound (the default one without an environment). */
export const cacheBound = (env?: Pick<Env, "TANDEM_MEASURE_CACHE_ROWS">): CacheBound =>
  env ? { maxRows: env.TANDEM_MEASURE_CACHE_ROWS } : {};

/** The database's measure cache over the computed measures. */
function kept(db: Database, computed: FactStats, logger?: Logger, bound: CacheBound = {}): FactStats {
  if (bound.maxRows === 0) return computed;
  const options: MeasureCacheOptions = { ...(logger && { logger }), ...(bound.maxRows && { maxRows: bound.maxRows }) };
  return cachedFactStats(db, computed, options);
}

export function kpiDeps(db: Database, clock: Clock, logger?: Logger, bound?: CacheBound): KpiSnapshotDeps {
  const stats = kept(db, createSqlFactStats(db), logger, bound);
  return { stats, settingsSource: keptKpiSettingsSource(db), clock };
}

/** The digest's: the KPI engine's, and the rituals' decisions with their outcomes. */
export function digestDeps(kpi: KpiSnapshotDeps, db: Database): DigestDeps {
  return { ...kpi, decisions: createDecisionLog(db.prisma) };
}

/**
 * For the server, where requests wait on each other: on SQLite every aggregate runs after
 * a turn of the event loop, so a long answer never keeps another request from being read,
 * and after `blocking` was warned, so a command owing its acknowledgement sends it first.
 * The cache's look-ups are not queued behind them: a cached answer needs no aggregate.
 */
export function servingKpiDeps(
  db: Database,
  clock: Clock,
  logger?: Logger,
  options: CacheBound & {
    /** benches: the measures computed from the facts (default: SQL) */
    sql?: FactStats;
    blocking?: BlockingSignal;
  } = {},
): KpiSnapshotDeps {
  const { sql = createSqlFactStats(db), blocking, ...bound } = options;
  const computed = db.dialect === "sqlite" ? yieldingStats(sql, blocking) : sql;
  const stats = kept(db, computed, logger, bound);
  return { stats, settingsSource: keptKpiSettingsSource(db), clock };
}
