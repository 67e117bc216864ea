// Chat display, as docs/metrics.md "How numbers are shown" describes it. JSON carries unrounded numbers; only
// what people read goes through here. Locale is fixed (en-US separators) so every
// surface and every test shows the same text whatever the server's locale; money is
// in the workspace's currency, with the symbol or code en-US writes for it.
import type { Direction, Grain, Status, TargetSource, Unit } from "./types.ts";

export type Tone = "good" | "bad" | "neutral";

const NOT_AVAILABLE = "n/a";

/** One formatter per number of decimals: making one costs more than formatting with it. */
const fixedFormats = new Map<number, Intl.NumberFormat>();

function fixed(value: number, decimals: number): string {
  let format = fixedFormats.get(decimals);
  if (!format) {
    format = new Intl.NumberFormat("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    fixedFormats.set(decimals, format);
  }
  const text = format.format(value);
  // A tiny negative rounds to "-0.0": show it as zero rather than as a loss.
  return /^-0(\.0+)?$/.test(text) ? text.slice(1) : text;
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** `$157,500`, `€157,500`, `CHF 157,500`: no decimals, as for every currency value. */
function money(value: number, currency: string): string {
  let format = moneyFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat("en-US", {
      style: "currency",
      currency,
      minimumFractionDigits: 0,
      maximumFractionDigits: 0,
    });
    moneyFormats.set(currency, format);
  }
  // A tiny negative rounds to "-$0": show it as zero rather than as a loss.
  return format.format(Math.round(value) === 0 ? 0 : value);
}

const DEFAULT_DECIMALS: Record<Unit, number> = {
  currency: 0,
  percent: 1,
  days: 1,
  ratio: 1,
  score: 1,
  count: 0,
};

/**
 * `decimals` overrides the unit's default; MetricDef.decimals passes 0 for NPS.
 * Percent values are fractions (0.314 → "31.4%"). Money without a `currency` is a bare number.
 */
export function formatValue(
  value: number | null | undefined,
  unit: Unit,
  decimals?: number,
  currency?: string,
): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NOT_AVAILABLE;
  const places = decimals ?? DEFAULT_DECIMALS[unit];
  switch (unit) {
    case "currency":
      return currency ? money(value, currency) : fixed(value, places);
    case "percent":
      return `${fixed(value * 100, places)}%`;
    case "days":
      return `${fixed(value, places)} days`;
    case "ratio":
      return `${fixed(value, places)}×`;
    default:
      return fixed(value, places);
  }
}

/** The change against the previous period (a fraction), with an arrow and a tone that respects `better`. */
export function formatChange(change: number | null | undefined, better: Direction): { text: string; tone: Tone } {
  if (change === null || change === undefined || !Number.isFinite(change))
    return { text: NOT_AVAILABLE, tone: "neutral" };
  const shown = fixed(Math.abs(change) * 100, 1);
  // Decide on the rounded figure so "→ 0.0%" never comes with a good or bad tone.
  if (Number(shown.replace(/,/g, "")) === 0) return { text: "→ 0.0%", tone: "neutral" };
  const up = change > 0;
  return { text: `${up ? "▲" : "▼"} ${shown}%`, tone: up === (better === "up") ? "good" : "bad" };
}

/** What a metric's numbers need to be shown: its unit, decimals and currency. */
export type ValueFormat = { unit: Unit; decimals?: number | undefined; currency?: string | undefined };

/** A value in the metric's unit, decimals and currency. */
export function formatMetricValue(metric: ValueFormat, value: number | null | undefined): string {
  return formatValue(value, metric.unit, metric.decimals, metric.currency);
}

/**
 * The change against the previous period as people should read it: a percent metric's
 * in percentage points (`▼ 0.8 pp`: 37.8% → 37.0%), every other metric's relative
 * (`▲ 12.3%`). Undefined when there is nothing to compare.
 */
export function formatMetricChange(
  metric: { unit: Unit; value: number | null; previous: number | null; change: number | null },
  better: Direction,
): { text: string; tone: Tone } | undefined {
  if (metric.unit !== "percent") return metric.change === null ? undefined : formatChange(metric.change, better);
  const { value, previous } = metric;
  if (value === null || previous === null || !Number.isFinite(value) || !Number.isFinite(previous)) return undefined;
  const points = (value - previous) * 100;
  const shown = fixed(Math.abs(points), 1);
  if (Number(shown.replace(/,/g, "")) === 0) return { text: "→ 0.0 pp", tone: "neutral" };
  const up = points > 0;
  return { text: `${up ? "▲" : "▼"} ${shown} pp`, tone: up === (better === "up") ? "good" : "bad" };
}

/** The words chat uses for a change's tone. */
export function toneWord(tone: Tone): "better" | "worse" | "" {
  return tone === "good" ? "better" : tone === "bad" ? "worse" : "";
}

export const GRAIN_ADVERB: Record<Grain, string> = {
  day: "daily",
  week: "weekly",
  month: "monthly",
  quarter: "quarterly",
  year: "yearly",
};

/**
 * The target as shown: `$200,000`, or, derived from another grain's target,
 * `$45,997, pro rata from the monthly $200,000` / `38.0%, from the monthly target`.
 */
export function formatTarget(
  metric: ValueFormat & { target: number | null; targetFrom?: TargetSource | null },
): string {
  const text = formatMetricValue(metric, metric.target);
  const from = metric.targetFrom;
  if (!from || metric.target === null) return text;
  const adverb = GRAIN_ADVERB[from.grain];
  return from.rule === "pro_rata"
    ? `${text}, pro rata from the ${adverb} ${formatMetricValue(metric, from.value)}`
    : `${text}, from the ${adverb} target`;
}

export function formatStatus(status: Status | null | undefined): string {
  switch (status) {
    case "on_track":
      return "on track";
    case "at_risk":
      return "at risk";
    case "off_track":
      return "off track";
    default:
      return "";
  }
}

const BARS = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"] as const;

/** One character per value, scaled between the series' min and max; a missing value is a space. */
export function sparkline(values: (number | null)[]): string {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (known.length === 0) return values.map(() => " ").join("");
  const min = Math.min(...known);
  const span = Math.max(...known) - min;
  return values
    .map((v) => {
      if (v === null || !Number.isFinite(v)) return " ";
      // A flat series sits in the middle rather than pretending to be at the floor.
      const index = span === 0 ? 3 : Math.round(((v - min) / span) * (BARS.length - 1));
      return BARS[index] ?? " ";
    })
    .join("");
}
