// The KPI engine: metric values for periods, from the FactStats port. Each window's
// measures are fetched at most once per call, all in parallel, and only the inputs
// the asked metrics (and the custom metrics they use) need.
import { AppError, ErrorCode } from "../errors.ts";
import type { FactStats } from "../ports.ts";
import { BUILTIN_METRICS, type Catalog } from "./catalog.ts";
import { type CompiledMetric, compileCustomMetrics } from "./custom-formula.ts";
import { METRIC_INPUTS, type MetricInput, metricBreakdowns, metricValues } from "./formulas.ts";
import { monthBefore, previousPeriod, shiftPeriod } from "./periods.ts";
import { emptyMeasures, emptyRecurring } from "./reference-measures.ts";
import { changeOf, statusFor, targetFor } from "./status.ts";
import type { KpiSettings, Measures, MetricResult, Period, RecurringMeasures, Snapshot } from "./types.ts";

export type KpiEngineDeps = { stats: FactStats; settings: KpiSettings; catalog: Catalog };

export type SnapshotRequest = {
  workspaceId: number;
  period: Period;
  metricKeys: string[];
  /** the department asking: picks its own targets over the company's */
  department?: string | null;
};

export type SeriesRequest = { workspaceId: number; metricKey: string; period: Period; count: number };

type PeriodValues = { values: Record<string, number | null>; measures: Measures };

export async function computeSnapshot(deps: KpiEngineDeps, req: SnapshotRequest): Promise<Snapshot> {
  const defs = req.metricKeys.map((key) => metricDef(deps.catalog, key));
  const plan = planFor(deps, req.metricKeys);
  const fetch = windowFetcher(deps.stats, req.workspaceId);
  const [current, previous] = await Promise.all([
    valuesAt(deps, plan, fetch, req.period),
    valuesAt(deps, plan, fetch, previousPeriod(req.period)),
  ]);
  const breakdowns = metricBreakdowns(current.measures);
  const department = req.department ?? null;

  const metrics = defs.map((def): MetricResult => {
    const value = current.values[def.key] ?? null;
    const prior = previous.values[def.key] ?? null;
    const target = targetFor(deps.settings, def.key, req.period.grain, department);
    return {
      key: def.key,
      name: def.name,
      unit: def.unit,
      value,
      previous: prior,
      change: changeOf(value, prior),
      target,
      status: statusFor(value, target, def.better),
      owners: [...def.owners],
      breakdown: def.hasBreakdown && !def.formula ? (breakdowns[def.key] ?? {}) : null,
    };
  });
  return { period: req.period, metrics };
}

/** The metric's value for the last `count` periods ending with `period`, oldest first. */
export async function computeSeries(
  deps: KpiEngineDeps,
  req: SeriesRequest,
): Promise<{ period: Period; value: number | null }[]> {
  metricDef(deps.catalog, req.metricKey);
  const plan = planFor(deps, [req.metricKey]);
  const fetch = windowFetcher(deps.stats, req.workspaceId);
  const periods = Array.from({ length: Math.max(0, req.count) }, (_, i) => shiftPeriod(req.period, i - req.count + 1));
  const all = await Promise.all(periods.map((period) => valuesAt(deps, plan, fetch, period)));
  return periods.map((period, i) => ({ period, value: all[i]?.values[req.metricKey] ?? null }));
}

function metricDef(catalog: Catalog, key: string) {
  const def = catalog.get(key);
  if (!def) throw new AppError(ErrorCode.NotFound, `unknown metric ${JSON.stringify(key)}`);
  return def;
}

type Plan = { inputs: Set<MetricInput>; customs: CompiledMetric[] };

/** Which inputs the asked metrics need, following custom formulas down to built-in metrics. */
function planFor(deps: KpiEngineDeps, metricKeys: string[]): Plan {
  const customDefs = deps.catalog.all.filter((def) => def.formula !== undefined);
  const compiled = compileCustomMetrics(
    customDefs,
    BUILTIN_METRICS.map((def) => def.key),
  );
  if (!compiled.ok) throw new AppError(ErrorCode.InvalidInput, compiled.error);
  const customByKey = new Map(compiled.ordered.map((metric) => [metric.def.key, metric]));

  const inputs = new Set<MetricInput>();
  const usedCustoms = new Set<string>();
  const visit = (key: string) => {
    const custom = customByKey.get(key);
    if (custom) {
      if (usedCustoms.has(key)) return;
      usedCustoms.add(key);
      for (const ref of custom.formula.refs) visit(ref);
      return;
    }
    for (const input of METRIC_INPUTS[key] ?? []) inputs.add(input);
  };
  for (const key of metricKeys) visit(key);
  return { inputs, customs: compiled.ordered.filter((metric) => usedCustoms.has(metric.def.key)) };
}

type WindowFetcher = {
  measures(period: { startMs: number; endMs: number }): Promise<Measures>;
  recurring(startMs: number, endMs: number): Promise<RecurringMeasures>;
};

/** Memoises the port per window for one call, so overlapping needs share one query. */
function windowFetcher(stats: FactStats, workspaceId: number): WindowFetcher {
  const measures = new Map<string, Promise<Measures>>();
  const recurring = new Map<string, Promise<RecurringMeasures>>();
  const memo = <T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> => {
    let hit = cache.get(key);
    if (!hit) {
      hit = load();
      cache.set(key, hit);
    }
    return hit;
  };
  return {
    measures: ({ startMs, endMs }) =>
      memo(measures, `${startMs}:${endMs}`, () => stats.measures(workspaceId, { startMs, endMs })),
    recurring: (startMs, endMs) =>
      memo(recurring, `${startMs}:${endMs}`, () => stats.recurring(workspaceId, startMs, endMs)),
  };
}

async function valuesAt(deps: KpiEngineDeps, plan: Plan, fetch: WindowFetcher, period: Period): Promise<PeriodValues> {
  const needs = (input: MetricInput) => plan.inputs.has(input);
  const before = needs("previousMeasures") || needs("previousRecurring") ? previousPeriod(period) : null;
  // Inputs no asked metric uses stay empty: their values are computed but never read.
  const [current, recurring, churnWindow, previousMeasures, previousRecurring] = await Promise.all([
    needs("measures") ? fetch.measures(period) : emptyMeasures(),
    needs("recurring") ? fetch.recurring(period.startMs, period.endMs) : emptyRecurring(),
    needs("churnWindow") ? fetch.recurring(monthBefore(period.endMs, period.zone), period.endMs) : emptyRecurring(),
    before && needs("previousMeasures") ? fetch.measures(before) : null,
    before && needs("previousRecurring") ? fetch.recurring(before.startMs, before.endMs) : null,
  ]);
  const values = metricValues({
    current,
    recurring,
    churnWindow,
    previousNewRevenue: previousMeasures?.newRevenue ?? null,
    previousMrr: previousRecurring?.mrrAtEnd ?? null,
    grossMargin: deps.settings.grossMargin,
  });
  for (const { def, formula } of plan.customs) values[def.key] = formula.evaluate(values);
  return { values, measures: current };
}
