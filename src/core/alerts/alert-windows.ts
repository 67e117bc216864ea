// The periods a rule compares: the window it watches (running to date, or the last
// complete period), and for a change the base it is compared with (the period before,
// or the same period a year earlier). Lengths are counted in calendar days in the
// workspace zone, so a DST week is 7 days and a leap February 29.
import { DateTime } from "luxon";
import { lastComplete, periodOf, shiftPeriod } from "../kpi/periods.ts";
import type { Period } from "../kpi/types.ts";
import type { AlertRule } from "./types.ts";

export type AlertWindows = {
  /** what the value is measured over: a running period ends now */
  current: Period;
  /** the whole period `current` belongs to */
  full: Period;
  /** the share of `full` that `current` covers: 1 for a complete period */
  elapsed: number;
  /** the period a change is compared with; null for other rules */
  base: Period | null;
  /** how many times longer `current` is than `base`: what an additive base is scaled by */
  baseScale: number;
};

/** Periods a year apart: 52 weeks (so weekdays line up), 12 months, 4 quarters. */
const YEAR_IN: Record<AlertRule["window"]["grain"], number> = { week: 52, month: 12, quarter: 4 };

function days(startMs: number, endMs: number, zone: string): number {
  const start = DateTime.fromMillis(startMs, { zone });
  return DateTime.fromMillis(endMs, { zone }).diff(start, "days").days;
}

export function alertWindows(rule: Pick<AlertRule, "window" | "condition">, now: Date, zone: string): AlertWindows {
  const { grain, toDate } = rule.window;
  const full = toDate ? periodOf(grain, now.getTime(), zone) : lastComplete(grain, now, zone);
  const current: Period = toDate ? { ...full, endMs: Math.max(full.startMs, now.getTime()) } : full;
  const currentDays = days(current.startMs, current.endMs, zone);
  const elapsed = toDate ? currentDays / days(full.startMs, full.endMs, zone) : 1;
  const condition = rule.condition;
  const base =
    condition.kind === "drops" || condition.kind === "rises"
      ? shiftPeriod(full, condition.vs === "year_ago" ? -YEAR_IN[grain] : -1)
      : null;
  const baseScale = base ? currentDays / days(base.startMs, base.endMs, zone) : 1;
  return { current, full, elapsed, base, baseScale };
}
