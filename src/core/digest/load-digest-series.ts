// The values of some metrics over the last `count` periods ending with `period`, for the
// digest's chart: one snapshot per period, every metric of it from the same measures.
import { buildCatalog } from "../kpi/catalog.ts";
import { computeSnapshot } from "../kpi/engine.ts";
import type { KpiSnapshotDeps } from "../kpi/get-kpi-snapshot.ts";
import { shiftPeriod } from "../kpi/periods.ts";
import type { Period } from "../kpi/types.ts";
import type { SeriesPoint } from "./digest-types.ts";

export async function loadDigestSeries(
  deps: KpiSnapshotDeps,
  request: { workspaceId: number; period: Period; metricKeys: string[]; count: number },
): Promise<SeriesPoint[]> {
  if (request.metricKeys.length === 0 || request.count <= 0) return [];
  const settings = await deps.settingsSource.load(request.workspaceId);
  const engine = { stats: deps.stats, settings, catalog: buildCatalog(settings) };
  const periods = Array.from({ length: request.count }, (_, i) => shiftPeriod(request.period, i - request.count + 1));
  const snapshots = await Promise.all(
    periods.map((period) =>
      computeSnapshot(engine, { workspaceId: request.workspaceId, period, metricKeys: request.metricKeys }),
    ),
  );
  return snapshots.map((snapshot) => ({
    period: snapshot.period,
    values: Object.fromEntries(snapshot.metrics.map((m) => [m.key, m.value])),
  }));
}
