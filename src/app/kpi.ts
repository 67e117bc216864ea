// Wiring of the KPI use case to the store: SQL measures, kept in the database's measure
// cache, and the workspace's settings.
import type { KpiSnapshotDeps } from "../core/kpi/get-kpi-snapshot.ts";
import type { Clock, FactStats, Logger } from "../core/ports.ts";
import type { Database } from "../store/database.ts";
import { createSqlFactStats } from "../store/kpi-measures.ts";
import { createKpiSettingsSource } from "../store/kpi-settings.ts";
import { cachedFactStats } from "../store/measure-cache.ts";
import { yieldingStats } from "../store/yielding-stats.ts";

/** The database's measure cache over the computed measures. */
function kept(db: Database, computed: FactStats, logger?: Logger): FactStats {
  return cachedFactStats(db, computed, logger ? { logger } : {});
}

export function kpiDeps(db: Database, clock: Clock, logger?: Logger): KpiSnapshotDeps {
  const stats = kept(db, createSqlFactStats(db), logger);
  return { stats, settingsSource: createKpiSettingsSource(db.prisma), clock };
}

/**
 * For the server, where requests wait on each other: on SQLite every aggregate runs after
 * a turn of the event loop, so a long answer never keeps another request from being read.
 * The cache's look-ups are not queued behind them: a cached answer needs no aggregate.
 */
export function servingKpiDeps(db: Database, clock: Clock, logger?: Logger): KpiSnapshotDeps {
  const sql = createSqlFactStats(db);
  const computed = db.dialect === "sqlite" ? yieldingStats(sql) : sql;
  const stats = kept(db, computed, logger);
  return { stats, settingsSource: createKpiSettingsSource(db.prisma), clock };
}
