// The digest's chart as data: the shared metrics over the last periods, one panel per
// unit (counts, money, rates, …) so each line has a scale that means something. Pure;
// src/adapters/chart/render-chart.ts draws it. The alt text carries each line's first
// and last value, so the picture has a text equivalent.
import { formatValue } from "../kpi/format.ts";
import type { Period, Unit } from "../kpi/types.ts";
import { clip } from "../messages/model.ts";
import { type DigestMetric, PULSE_METRICS } from "./digest-types.ts";

export const CHART_PERIODS = 8;
/** lines a panel holds before its legend stops being readable */
const SERIES_PER_PANEL = 6;
const MAX_PANELS = 6;
/** Slack's limit for a file's alt text */
export const ALT_TEXT_CHARS = 1_000;
/** a panel whose lines differ by more than this factor gets a logarithmic axis */
const LOG_SPREAD = 50;

export type ChartSeries = { key: string; label: string; values: (number | null)[] };
export type ChartPanel = {
  title: string;
  unit: Unit;
  scale: "linear" | "logarithmic";
  /** values as drawn: percentages in points (31.4, not 0.314) */
  series: ChartSeries[];
};
export type ChartSpec = { title: string; labels: string[]; panels: ChartPanel[]; altText: string; filename: string };

export type SeriesPoint = { period: Period; values: Record<string, number | null> };

const PANEL_TITLES: Record<Unit, string> = {
  count: "Volumes",
  currency: "Money",
  percent: "Rates (%)",
  days: "Days",
  score: "Scores",
  ratio: "Ratios",
};
const UNIT_ORDER: Unit[] = ["count", "percent", "currency", "days", "ratio", "score"];
/** a change of a change, and a breakdown's total that repeats another line */
const LEFT_OUT: ReadonlySet<string> = new Set(["new_revenue_growth", "mrr_growth", "revenue_by_channel"]);

/** The metrics worth a line: shared, not pulse scores (they have their own section), not repeats. */
export function chartMetrics(metrics: DigestMetric[]): DigestMetric[] {
  return metrics.filter((m) => !PULSE_METRICS.has(m.key) && !LEFT_OUT.has(m.key) && m.breakdown === null);
}

function scaleOf(series: ChartSeries[]): ChartPanel["scale"] {
  const values = series.flatMap((s) => s.values).filter((v): v is number => v !== null && Number.isFinite(v));
  if (values.length === 0 || values.some((v) => v <= 0)) return "linear";
  return Math.max(...values) / Math.min(...values) > LOG_SPREAD ? "logarithmic" : "linear";
}

export function digestChartSpec(input: {
  title: string;
  metrics: DigestMetric[];
  series: SeriesPoint[];
}): ChartSpec | null {
  const metrics = chartMetrics(input.metrics);
  const points = input.series.slice(-CHART_PERIODS);
  if (metrics.length === 0 || points.length < 2) return null;
  const labels = points.map((p) => p.period.key);
  const drawn = (metric: DigestMetric, value: number | null) =>
    value === null || !Number.isFinite(value) ? null : metric.unit === "percent" ? value * 100 : value;

  const panels: ChartPanel[] = [];
  for (const unit of UNIT_ORDER) {
    const ofUnit = metrics.filter((m) => m.unit === unit);
    for (let i = 0; i < ofUnit.length; i += SERIES_PER_PANEL) {
      const chunk = ofUnit.slice(i, i + SERIES_PER_PANEL);
      const series = chunk.map((m) => ({
        key: m.key,
        label: m.name,
        values: points.map((p) => drawn(m, p.values[m.key] ?? null)),
      }));
      if (series.every((s) => s.values.every((v) => v === null))) continue;
      const part = ofUnit.length > SERIES_PER_PANEL ? ` (${i / SERIES_PER_PANEL + 1})` : "";
      panels.push({ title: `${PANEL_TITLES[unit]}${part}`, unit, scale: scaleOf(series), series });
    }
  }
  const shown = panels.slice(0, MAX_PANELS);
  if (shown.length === 0) return null;
  const first = points[0]?.period;
  const last = points[points.length - 1]?.period;
  return {
    title: input.title,
    labels,
    panels: shown,
    altText: altText(shown, metrics, points, first, last),
    filename: `tandem-digest-${last?.key ?? "chart"}.png`,
  };
}

function altText(
  panels: ChartPanel[],
  metrics: DigestMetric[],
  points: SeriesPoint[],
  first: Period | undefined,
  last: Period | undefined,
): string {
  const grain = last?.grain ?? "period";
  const head = `Line charts of the shared metrics over the last ${points.length} ${grain}s (${first?.key} to ${last?.key}), one panel per unit.`;
  const byKey = new Map(metrics.map((m) => [m.key, m]));
  const parts = panels.map((panel) => {
    const lines = panel.series.map((s) => {
      const metric = byKey.get(s.key);
      const raw = points.map((p) => p.values[s.key] ?? null);
      const known = raw.filter((v): v is number => v !== null && Number.isFinite(v));
      const from = known[0];
      const to = known[known.length - 1];
      if (!metric || from === undefined || to === undefined) return `${s.label} n/a`;
      return `${s.label} ${formatValue(from, metric.unit, metric.decimals)} to ${formatValue(to, metric.unit, metric.decimals)}`;
    });
    return `${panel.title}: ${lines.join(", ")}.`;
  });
  return clip([head, ...parts].join(" "), ALT_TEXT_CHARS);
}
