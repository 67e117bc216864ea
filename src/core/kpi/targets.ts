// The target in force for a metric at a grain (docs/metrics.md, "Targets and status"):
// a target set for one grain also serves the grains that have none of their own.
// Metrics that add up over time are pro-rated by the grains' average lengths; every
// other metric keeps the same number. A department's own targets come before the
// company's, and a target set for the grain before one derived from another grain.
import type { Grain, TargetSource, TargetSpec } from "./types.ts";

/** Average length of each grain in days (the Gregorian calendar's 400-year averages). */
export const GRAIN_DAYS: Record<Grain, number> = {
  day: 1,
  week: 7,
  month: 30.436875,
  quarter: 91.310625,
  year: 365.2425,
};

/** Built-in metrics whose value over a longer period is the sum over its parts. */
export const ADDITIVE_METRICS: ReadonlySet<string> = new Set([
  "leads",
  "mqls",
  "sqls",
  "opportunities",
  "deals_won",
  "deals_lost",
  "new_customers",
  "new_revenue",
  "marketing_spend",
  "sales_spend",
]);

export type ResolvedTarget = { value: number; from: TargetSource | null };

/** How far apart two grains are, on a log scale: a week is nearer a month than a quarter. */
const gap = (a: Grain, b: Grain) => Math.abs(Math.log(GRAIN_DAYS[a] / GRAIN_DAYS[b]));

/** The target value a `from` target means for `grain`. */
export function deriveTarget(metric: string, value: number, from: Grain, grain: Grain): number {
  return ADDITIVE_METRICS.has(metric) ? (value * GRAIN_DAYS[grain]) / GRAIN_DAYS[from] : value;
}

export function resolveTarget(
  targets: readonly TargetSpec[],
  metric: string,
  grain: Grain,
  department: string | null,
): ResolvedTarget | null {
  const forMetric = targets.filter((t) => t.metric === metric);
  const own = department === null ? [] : forMetric.filter((t) => t.department === department);
  const pool = own.length > 0 ? own : forMetric.filter((t) => t.department === null);
  if (pool.length === 0) return null;
  const exact = pool.findLast((t) => t.grain === grain);
  if (exact) return { value: exact.value, from: null };
  // the nearest grain; of several targets for it, the last set (as for an exact one)
  const nearest = pool.reduce((best, t) => (gap(t.grain, grain) < gap(best.grain, grain) ? t : best));
  const source = pool.findLast((t) => t.grain === nearest.grain) ?? nearest;
  return {
    value: deriveTarget(metric, source.value, source.grain, grain),
    from: { grain: source.grain, value: source.value, rule: ADDITIVE_METRICS.has(metric) ? "pro_rata" : "same" },
  };
}
