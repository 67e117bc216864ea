// The values of some metrics over the last `count` periods ending with `period`, for the
// digest's headline and chart: values only, every window read once.
import { buildCatalog } from "../kpi/catalog.ts";
import { computeSeriesValues } from "../kpi/engine.ts";
import type { KpiSnapshotDeps } from "../kpi/get-kpi-snapshot.ts";
import type { Period } from "../kpi/types.ts";
import type { SeriesPoint } from "./digest-types.ts";

export async function loadDigestSeries(
  deps: KpiSnapshotDeps,
  request: { workspaceId: number; period: Period; metricKeys: string[]; count: number },
): Promise<SeriesPoint[]> {
  if (request.metricKeys.length === 0 || request.count <= 0) return [];
  const settings = await deps.settingsSource.load(request.workspaceId);
  return computeSeriesValues(
    { stats: deps.stats, settings, catalog: buildCatalog(settings) },
    { workspaceId: request.workspaceId, period: request.period, metricKeys: request.metricKeys, count: request.count },
  );
}
