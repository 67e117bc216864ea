// Wiring of the KPI use case to the store: SQL measures and the workspace's settings.
import type { KpiSnapshotDeps } from "../core/kpi/get-kpi-snapshot.ts";
import type { Clock } from "../core/ports.ts";
import type { Database } from "../store/database.ts";
import { createSqlFactStats } from "../store/kpi-measures.ts";
import { createKpiSettingsSource } from "../store/kpi-settings.ts";

export function kpiDeps(db: Database, clock: Clock): KpiSnapshotDeps {
  return { stats: createSqlFactStats(db), settingsSource: createKpiSettingsSource(db.prisma), clock };
}
