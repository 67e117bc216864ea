// The KPI engine: metric values for periods, from the FactStats port. Each window's
// measures are fetched at most once per call, all in parallel, and only the inputs
// the asked metrics (and the custom metrics they use) need. A growth metric's previous
// value reaches back to the period before the previous one; only new revenue and the
// mrr at one instant are read there, never full measures.
import { AppError, ErrorCode } from "../errors.ts";
import type { FactStats } from "../ports.ts";
import { batchedCalls } from "./batch-calls.ts";
import { BUILTIN_METRICS, type Catalog } from "./catalog.ts";
import { type CompiledMetric, compileCustomMetrics } from "./custom-formula.ts";
import { METRIC_INPUTS, METRIC_PARTS, type MetricInput, metricBreakdowns, metricValues } from "./formulas.ts";
import { monthBefore, previousPeriod, shiftPeriod } from "./periods.ts";
import { emptyMeasures, emptyRecurring } from "./reference-measures.ts";
import { changeOf, statusFor } from "./status.ts";
import { resolveTarget } from "./targets.ts";
import {
  type KpiSettings,
  MEASURE_PARTS,
  type MeasurePart,
  type Measures,
  type MetricResult,
  type Period,
  type RecurringMeasures,
  type Snapshot,
  type Window,
} from "./types.ts";

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
  const plan = planFor(deps, req.metricKeys, { valuesOnly: false });
  const fetch = windowFetcher(deps.stats, req.workspaceId, plan.parts);
  // The previous period asks first, so the current one's growth reuses its measures.
  const previousValues = valuesAt(deps, plan, fetch, previousPeriod(req.period));
  const [current, previous] = await Promise.all([valuesAt(deps, plan, fetch, req.period), previousValues]);
  const breakdowns = metricBreakdowns(current.measures, deps.settings.pulseMinGroupSize);
  const department = req.department ?? null;

  const metrics = defs.map((def): MetricResult => {
    const value = current.values[def.key] ?? null;
    const prior = previous.values[def.key] ?? null;
    const resolved = resolveTarget(deps.settings.targets, def.key, req.period.grain, department);
    const target = resolved?.value ?? null;
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
      ...(resolved?.from ? { targetFrom: resolved.from } : {}),
      ...(def.unit === "currency" ? { currency: deps.settings.currency } : {}),
    };
  });
  return { period: req.period, metrics };
}

/** The metric's value for the last `count` periods ending with `period`, oldest first. */
export async function computeSeries(
  deps: KpiEngineDeps,
  req: SeriesRequest,
): Promise<{ period: Period; value: number | null }[]> {
  const points = await computeSeriesValues(deps, { ...req, metricKeys: [req.metricKey] });
  return points.map((point) => ({ period: point.period, value: point.values[req.metricKey] ?? null }));
}

/**
 * Several metrics' values for the last `count` periods ending with `period`, oldest
 * first: one fetcher for all of them, so each window is read once however many metrics
 * and periods use it (a period's growth reuses its predecessor's measures).
 */
export async function computeSeriesValues(
  deps: KpiEngineDeps,
  req: Omit<SeriesRequest, "metricKey"> & { metricKeys: string[] },
): Promise<{ period: Period; values: Record<string, number | null> }[]> {
  for (const key of req.metricKeys) metricDef(deps.catalog, key);
  // Values only: no breakdowns, and no previous-period values beyond what a growth needs.
  const plan = planFor(deps, req.metricKeys, { valuesOnly: true });
  const fetch = windowFetcher(deps.stats, req.workspaceId, plan.parts);
  const periods = Array.from({ length: Math.max(0, req.count) }, (_, i) => shiftPeriod(req.period, i - req.count + 1));
  // Oldest first, so each period's growth reuses the newRevenue its predecessor asked for.
  const all = await Promise.all(periods.map((period) => valuesAt(deps, plan, fetch, period)));
  return periods.map((period, i) => ({
    period,
    values: Object.fromEntries(req.metricKeys.map((key) => [key, all[i]?.values[key] ?? null])),
  }));
}

function metricDef(catalog: Catalog, key: string) {
  const def = catalog.get(key);
  if (!def) throw new AppError(ErrorCode.NotFound, `unknown metric ${JSON.stringify(key)}`);
  return def;
}

type Plan = {
  inputs: Set<MetricInput>;
  customs: CompiledMetric[];
  /** fetch newRevenue alone where the metrics would fetch measures */
  newRevenueOnly: boolean;
  /** the parts of the measures the metrics read; undefined: all of them */
  parts: MeasurePart[] | undefined;
};

/** Built-in metrics whose value reads nothing of the measures but newRevenue. */
const NEW_REVENUE_METRICS = new Set(["new_revenue", "new_revenue_growth", "revenue_by_channel"]);

/**
 * Which inputs the asked metrics need, following custom formulas down to built-in metrics.
 * `valuesOnly` (a series) may answer the new-revenue metrics from newRevenue alone; a
 * snapshot keeps full measures for its breakdowns and for values that sum revenue per
 * channel exactly as before.
 */
function planFor(deps: KpiEngineDeps, metricKeys: string[], options: { valuesOnly: boolean }): Plan {
  const customDefs = deps.catalog.all.filter((def) => def.formula !== undefined);
  const compiled = compileCustomMetrics(
    customDefs,
    BUILTIN_METRICS.map((def) => def.key),
  );
  if (!compiled.ok) throw new AppError(ErrorCode.InvalidInput, compiled.error);
  const customByKey = new Map(compiled.ordered.map((metric) => [metric.def.key, metric]));

  const inputs = new Set<MetricInput>();
  const usedCustoms = new Set<string>();
  let newRevenueOnly = options.valuesOnly;
  const parts = new Set<MeasurePart>();
  const visit = (key: string) => {
    const custom = customByKey.get(key);
    if (custom) {
      if (usedCustoms.has(key)) return;
      usedCustoms.add(key);
      for (const ref of custom.formula.refs) visit(ref);
      return;
    }
    const needs = METRIC_INPUTS[key] ?? [];
    if (needs.includes("measures") && !NEW_REVENUE_METRICS.has(key)) newRevenueOnly = false;
    if (needs.includes("measures")) for (const part of METRIC_PARTS[key] ?? MEASURE_PARTS) parts.add(part);
    for (const input of needs) inputs.add(input);
  };
  for (const key of metricKeys) visit(key);
  return {
    inputs,
    customs: compiled.ordered.filter((metric) => usedCustoms.has(metric.def.key)),
    newRevenueOnly,
    parts: parts.size === MEASURE_PARTS.length ? undefined : MEASURE_PARTS.filter((part) => parts.has(part)),
  };
}

type WindowFetcher = {
  measures(window: Window): Promise<Measures>;
  /** the window's newRevenue: from its measures when those are asked for anyway */
  newRevenue(window: Window): Promise<number>;
  recurring(startMs: number, endMs: number): Promise<RecurringMeasures>;
  /** the mrr at an instant, as a recurring call so it shares the batch's instants */
  mrrAt(ms: number): Promise<number>;
};

/**
 * Memoises the port per window for one call, so overlapping needs share one query; the
 * windows asked in the same turn go to the port together when it can read them in one pass.
 */
function windowFetcher(stats: FactStats, workspaceId: number, parts: MeasurePart[] | undefined): WindowFetcher {
  const { measuresMany, newRevenueMany } = stats;
  const readMeasures = measuresMany
    ? batchedCalls((windows: Window[]) => measuresMany.call(stats, workspaceId, windows, parts))
    : (window: Window) => stats.measures(workspaceId, window, parts);
  const readNewRevenue = newRevenueMany
    ? batchedCalls((windows: Window[]) => newRevenueMany.call(stats, workspaceId, windows))
    : stats.newRevenue
      ? (window: Window) => stats.newRevenue?.(workspaceId, window) ?? Promise.resolve(0)
      : null;
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
  const newRevenue = new Map<string, Promise<number>>();
  /** recurring calls by their end: each one's mrrAtEnd is the mrr at that instant */
  const recurringByEnd = new Map<number, Promise<RecurringMeasures>>();
  const fetcher: WindowFetcher = {
    measures: ({ startMs, endMs }) => memo(measures, `${startMs}:${endMs}`, () => readMeasures({ startMs, endMs })),
    newRevenue: ({ startMs, endMs }) => {
      const key = `${startMs}:${endMs}`;
      const asked = measures.get(key);
      if (asked) return asked.then((m) => m.newRevenue);
      return memo(newRevenue, key, () =>
        readNewRevenue
          ? readNewRevenue({ startMs, endMs })
          : fetcher.measures({ startMs, endMs }).then((m) => m.newRevenue),
      );
    },
    recurring: (startMs, endMs) => {
      const hit = memo(recurring, `${startMs}:${endMs}`, () => stats.recurring(workspaceId, startMs, endMs));
      if (!recurringByEnd.has(endMs)) recurringByEnd.set(endMs, hit);
      return hit;
    },
    mrrAt: (ms) => (recurringByEnd.get(ms) ?? fetcher.recurring(ms, ms)).then((r) => r.mrrAtEnd),
  };
  return fetcher;
}

async function valuesAt(deps: KpiEngineDeps, plan: Plan, fetch: WindowFetcher, period: Period): Promise<PeriodValues> {
  const needs = (input: MetricInput) => plan.inputs.has(input);
  const before = needs("previousMeasures") || needs("previousRecurring") ? previousPeriod(period) : null;
  // Inputs no asked metric uses stay empty: their values are computed but never read.
  // `current` first: a later period's `before` is this one, and reuses its measures.
  const [current, recurring, churnWindow, previousNewRevenue, previousMrr] = await Promise.all([
    !needs("measures")
      ? emptyMeasures()
      : plan.newRevenueOnly
        ? fetch.newRevenue(period).then((newRevenue) => ({ ...emptyMeasures(), newRevenue }))
        : fetch.measures(period),
    needs("recurring") ? fetch.recurring(period.startMs, period.endMs) : emptyRecurring(),
    needs("churnWindow") ? fetch.recurring(monthBefore(period.endMs, period.zone), period.endMs) : emptyRecurring(),
    before && needs("previousMeasures") ? fetch.newRevenue(before) : null,
    // the mrr at the end of `before` is the mrr at the start of `period`
    before && needs("previousRecurring") ? fetch.mrrAt(before.endMs) : null,
  ]);
  const values = metricValues({
    current,
    recurring,
    churnWindow,
    previousNewRevenue,
    previousMrr,
    grossMargin: deps.settings.grossMargin,
    pulseMinGroupSize: deps.settings.pulseMinGroupSize,
  });
  for (const { def, formula } of plan.customs) values[def.key] = formula.evaluate(values);
  return { values, measures: current };
}
