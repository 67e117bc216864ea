// The figures of an outcome check, from the KPI engine: the metric over the check's
// window, its target, and its value for the period the decision was about. When the
// window is part of a period, metrics that add up over time (targets.ts) compare pro
// rata: the target and the baseline are scaled to the share of the period measured.
import { AppError, ErrorCode } from "../errors.ts";
import { buildCatalog } from "../kpi/catalog.ts";
import { computeSnapshot } from "../kpi/engine.ts";
import type { KpiSnapshotDeps } from "../kpi/get-kpi-snapshot.ts";
import { ADDITIVE_METRICS } from "../kpi/targets.ts";
import type { Direction, MetricResult, Period, TargetSource, Unit } from "../kpi/types.ts";
import { type CheckWindow, checkWindow } from "./check-date.ts";
import { judgeOutcome } from "./judge-outcome.ts";
import type { Verdict } from "./types.ts";

export type MeasuredOutcome = {
  metric: { key: string; name: string; unit: Unit; better: Direction; decimals?: number; currency?: string };
  window: CheckWindow;
  /** the period the ritual was opened for */
  baselinePeriod: Period;
  value: number | null;
  /** in force for the window: pro rata when `prorated` */
  target: number | null;
  /** the target for the whole period of the window's grain, and where it came from */
  wholeTarget: number | null;
  targetFrom: TargetSource | null;
  /** the baseline period's value, pro rata when `prorated` */
  baseline: number | null;
  wholeBaseline: number | null;
  /** true when an additive metric is measured over part of a period */
  prorated: boolean;
  verdict: Verdict;
};

export async function measureOutcome(
  kpi: KpiSnapshotDeps,
  request: { workspaceId: number; metricKey: string; baselinePeriod: Period; dueAt: Date; zone: string },
): Promise<MeasuredOutcome> {
  const settings = await kpi.settingsSource.load(request.workspaceId);
  const catalog = buildCatalog(settings);
  const def = catalog.get(request.metricKey);
  if (!def) throw new AppError(ErrorCode.NotFound, `the metric ${request.metricKey} is no longer defined`);
  const window = checkWindow(request.baselinePeriod.grain, request.dueAt, request.zone);
  const engine = { stats: kpi.stats, settings, catalog };
  const one = async (period: Period): Promise<MetricResult | undefined> =>
    (await computeSnapshot(engine, { workspaceId: request.workspaceId, period, metricKeys: [def.key] })).metrics[0];
  const [now, then] = await Promise.all([one(window.period), one(request.baselinePeriod)]);
  const prorated = !window.complete && ADDITIVE_METRICS.has(def.key);
  const scale = (n: number | null | undefined) =>
    n === null || n === undefined ? null : prorated ? n * window.fraction : n;
  const value = now?.value ?? null;
  const target = scale(now?.target);
  const baseline = scale(then?.value);
  return {
    metric: {
      key: def.key,
      name: def.name,
      unit: def.unit,
      better: def.better,
      ...(def.decimals !== undefined ? { decimals: def.decimals } : {}),
      ...(def.unit === "currency" ? { currency: settings.currency } : {}),
    },
    window,
    baselinePeriod: request.baselinePeriod,
    value,
    target,
    wholeTarget: now?.target ?? null,
    targetFrom: now?.targetFrom ?? null,
    baseline,
    wholeBaseline: then?.value ?? null,
    prorated,
    verdict: judgeOutcome({ value, target, baseline, better: def.better }),
  };
}
