// The digest's chart as data: small multiples, one panel per shared metric, each on its
// own axis (a CAC of 4,400 and new revenue of 90,000 cannot share one), with the
// target the digest judged it against as a dashed line. Pure;
// src/adapters/chart/render-chart.ts draws it with straight lines between the points.
// The alt text names every panel with its first and last value and its target, so the
// picture has a complete text equivalent.
import { formatMetricValue, formatTarget } from "../kpi/format.ts";
import { shortLabel } from "../kpi/periods.ts";
import type { Unit } from "../kpi/types.ts";
import { clip } from "../messages/model.ts";
import { type DigestMetric, PULSE_METRICS, type SeriesPoint } from "./digest-types.ts";

export type { SeriesPoint } from "./digest-types.ts";

export const CHART_PERIODS = 8;
/** three columns of six: every shared metric of the default catalog */
export const MAX_PANELS = 18;
/** Slack's limit for a file's alt text */
export const ALT_TEXT_CHARS = 1_000;

export type ChartPanel = {
  key: string;
  title: string;
  unit: Unit;
  currency?: string;
  /** values as drawn: percentages in points (31.4, not 0.314) */
  values: (number | null)[];
  /** the target line, in the same units as `values`; null without a target */
  target: number | null;
  /** the target line's legend: `Target $45,997, pro rata from the monthly $200,000` */
  targetLabel: string | null;
};
export type ChartSpec = { title: string; labels: string[]; panels: ChartPanel[]; altText: string; filename: string };

/** a change of a change, and a breakdown's total that repeats another line */
const LEFT_OUT: ReadonlySet<string> = new Set(["new_revenue_growth", "mrr_growth", "revenue_by_channel"]);

/** The metrics worth a panel: shared, not pulse scores (they have their own section), not repeats. */
export function chartMetrics(metrics: DigestMetric[]): DigestMetric[] {
  return metrics.filter((m) => !PULSE_METRICS.has(m.key) && !LEFT_OUT.has(m.key) && m.breakdown === null);
}

const drawn = (metric: DigestMetric, value: number | null) =>
  value === null || !Number.isFinite(value) ? null : metric.unit === "percent" ? value * 100 : value;

export function digestChartSpec(input: {
  title: string;
  metrics: DigestMetric[];
  series: SeriesPoint[];
}): ChartSpec | null {
  const points = input.series.slice(-CHART_PERIODS);
  if (points.length < 2) return null;
  const withData = chartMetrics(input.metrics).filter((m) =>
    points.some((p) => drawn(m, p.values[m.key] ?? null) !== null),
  );
  const shown = withData.slice(0, MAX_PANELS);
  if (shown.length === 0) return null;
  const panels = shown.map(
    (m): ChartPanel => ({
      key: m.key,
      title: m.name,
      unit: m.unit,
      ...(m.currency ? { currency: m.currency } : {}),
      values: points.map((p) => drawn(m, p.values[m.key] ?? null)),
      target: drawn(m, m.target),
      targetLabel: m.target === null ? null : `Target ${formatTarget(m)}`,
    }),
  );
  const last = points[points.length - 1]?.period;
  return {
    title: input.title,
    labels: points.map((p) => shortLabel(p.period)),
    panels,
    altText: altText(shown, points, withData.length - shown.length),
    filename: `tandem-digest-${last?.key ?? "chart"}.png`,
  };
}

function altText(metrics: DigestMetric[], points: SeriesPoint[], notDrawn: number): string {
  const first = points[0]?.period;
  const last = points[points.length - 1]?.period;
  const range = first && last ? ` (${shortLabel(first)} to ${shortLabel(last)})` : "";
  const head =
    `Line charts of ${metrics.length} shared metrics over the last ${points.length} ${last?.grain ?? "period"}s${range}, ` +
    "one panel per metric on its own axis; a dashed line is the target.";
  const describe = (m: DigestMetric, withTarget: boolean) => {
    const known = points
      .map((p) => p.values[m.key] ?? null)
      .filter((v): v is number => v !== null && Number.isFinite(v));
    const from = known[0];
    const to = known[known.length - 1];
    const values =
      from === undefined || to === undefined ? "n/a" : `${formatMetricValue(m, from)} to ${formatMetricValue(m, to)}`;
    const target = withTarget && m.target !== null ? ` (target ${formatMetricValue(m, m.target)})` : "";
    return `${m.name} ${values}${target}`;
  };
  const tail = notDrawn > 0 ? ` ${notDrawn} more shared metrics are in the text.` : "";
  // Every panel is named; targets are dropped before anything is cut.
  for (const withTarget of [true, false]) {
    const text = `${head} ${metrics.map((m) => describe(m, withTarget)).join("; ")}.${tail}`;
    if (text.length <= ALT_TEXT_CHARS) return text;
  }
  return clip(`${head} ${metrics.map((m) => describe(m, false)).join("; ")}.${tail}`, ALT_TEXT_CHARS);
}
