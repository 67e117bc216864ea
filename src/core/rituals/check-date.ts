// When a decision's outcome is checked, and over which window. By default at the end of
// the first period of the ritual's grain that ends after the decision (a September
// ritual decided on 5 October is checked when October ends); the team may pick a day
// instead. A check at a period's end measures that whole period; one in the middle of a
// period measures the period so far, and additive metrics are then compared pro rata.
import { DateTime } from "luxon";
import { AppError, ErrorCode, isAppError } from "../errors.ts";
import { parsePeriod, periodOf } from "../kpi/periods.ts";
import type { Grain, Period } from "../kpi/types.ts";

/** the details of a refused check date, so a form shows the error next to the date */
export const CHECK_DATE_FIELD = { field: "checkOn" } as const;

export function isCheckDateError(error: unknown): boolean {
  return isAppError(error) && (error.details as { field?: string } | undefined)?.field === CHECK_DATE_FIELD.field;
}

/** The furthest a check may be put off: a year and a day. */
export const MAX_CHECK_DAYS = 366;

export function defaultCheckAt(grain: Grain, decidedAt: Date, zone: string): Date {
  return new Date(periodOf(grain, decidedAt.getTime(), zone).endMs);
}

/** The default check's day for a ritual decided `now`: what the decision forms show first. */
export function defaultCheckDay(periodKey: string, now: Date, zone: string): string {
  return localDate(defaultCheckAt(parsePeriod(periodKey, now, zone).grain, now, zone), zone);
}

/** The days a check may be put on, decided `now`: from tomorrow to MAX_CHECK_DAYS ahead (YYYY-MM-DD). */
export function checkDayBounds(now: Date, zone: string): { first: string; last: string } {
  const today = DateTime.fromMillis(now.getTime(), { zone }).startOf("day");
  return {
    first: today.plus({ days: 1 }).toISODate() ?? "",
    last: today.plus({ days: MAX_CHECK_DAYS }).toISODate() ?? "",
  };
}

/** `2026-11-01` in the workspace's zone: the check runs at that day's first instant. */
export function localDate(instant: Date, zone: string): string {
  return DateTime.fromMillis(instant.getTime(), { zone }).toISODate() ?? "";
}

/**
 * A check date as the team typed or picked it (YYYY-MM-DD, in the workspace's zone): the
 * check runs when that day starts and measures the days before it. Refused unless it is
 * after the day of the decision and within MAX_CHECK_DAYS.
 */
export function parseCheckDate(text: string, input: { decidedAt: Date; zone: string; grain: Grain }): Date {
  const trimmed = text.trim();
  const example = localDate(defaultCheckAt(input.grain, input.decidedAt, input.zone), input.zone);
  const day = /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? DateTime.fromISO(trimmed, { zone: input.zone }) : null;
  if (!day?.isValid) {
    throw new AppError(
      ErrorCode.InvalidInput,
      `“${trimmed.slice(0, 40)}” isn't a check date: write it as YYYY-MM-DD, e.g. ${example}.`,
      CHECK_DATE_FIELD,
    );
  }
  const bounds = checkDayBounds(input.decidedAt, input.zone);
  const picked = day.toISODate() ?? "";
  if (picked < bounds.first || picked > bounds.last) {
    throw new AppError(
      ErrorCode.InvalidInput,
      `Pick a check date from ${bounds.first} to ${bounds.last}, e.g. ${example}.`,
      CHECK_DATE_FIELD,
    );
  }
  return new Date(day.toMillis());
}

export type CheckWindow = {
  /** the period measured: a whole one, or one cut at the check (its key says "to date") */
  period: Period;
  /** the whole period of the grain the window lies in */
  whole: Period;
  /** the share of `whole` the window covers: 1 when the check is at its end */
  fraction: number;
  complete: boolean;
};

export function checkWindow(grain: Grain, dueAt: Date, zone: string): CheckWindow {
  const endMs = dueAt.getTime();
  const whole = periodOf(grain, endMs - 1, zone);
  if (whole.endMs === endMs) return { period: whole, whole, fraction: 1, complete: true };
  const lastDay = DateTime.fromMillis(endMs - 1, { zone }).toISODate();
  return {
    period: { ...whole, endMs, key: `${whole.key} to ${lastDay}` },
    whole,
    fraction: (endMs - whole.startMs) / (whole.endMs - whole.startMs),
    complete: false,
  };
}
