// Chat display of KPI-DEFINITIONS.md "Display". JSON carries unrounded numbers; only
// what people read goes through here. Locale is fixed (en-US separators) so every
// surface and every test shows the same text whatever the server's locale.
import type { Direction, Status, Unit } from "./types.ts";

export type Tone = "good" | "bad" | "neutral";

const NOT_AVAILABLE = "n/a";

function fixed(value: number, decimals: number): string {
  const text = new Intl.NumberFormat("en-US", {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  }).format(value);
  // A tiny negative rounds to "-0.0": show it as zero rather than as a loss.
  return /^-0(\.0+)?$/.test(text) ? text.slice(1) : text;
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
 * Percent values are fractions (0.314 → "31.4%").
 */
export function formatValue(value: number | null | undefined, unit: Unit, decimals?: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NOT_AVAILABLE;
  const places = decimals ?? DEFAULT_DECIMALS[unit];
  switch (unit) {
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
