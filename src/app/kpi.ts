// Wiring of the KPI use case to the store: SQL measures and the workspace's settings.
import type { DigestDeps } from "../core/digest/build-digest.ts";
import type { KpiSnapshotDeps } from "../core/kpi/get-kpi-snapshot.ts";
import type { Clock } from "../core/ports.ts";
import type { Database } from "../store/database.ts";
import { createSqlFactStats } from "../store/kpi-measures.ts";
import { createKpiSettingsSource } from "../store/kpi-settings.ts";
import { createDecisionLog } from "../store/rituals.ts";
import { yieldingStats } from "../store/yielding-stats.ts";

export function kpiDeps(db: Database, clock: Clock): KpiSnapshotDeps {
  return { stats: createSqlFactStats(db), settingsSource: createKpiSettingsSource(db.prisma), clock };
}

/** The digest's: the KPI engine's, and the rituals' decisions with their outcomes. */
export function digestDeps(kpi: KpiSnapshotDeps, db: Database): DigestDeps {
  return { ...kpi, decisions: createDecisionLog(db.prisma) };
}

/**
 * For the server, where requests wait on each other: on SQLite every query runs after a
 * turn of the event loop, so a long answer never keeps another request from being read.
 */
export function servingKpiDeps(db: Database, clock: Clock): KpiSnapshotDeps {
  const deps = kpiDeps(db, clock);
  return db.dialect === "sqlite" ? { ...deps, stats: yieldingStats(deps.stats) } : deps;
}
