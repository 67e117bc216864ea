// Periods of KPI-DEFINITIONS.md: half-open [start, end) between local midnights in the
// workspace zone. Boundaries are computed in calendar units with luxon, so a week
// containing a daylight-saving change lasts 167 or 169 hours, never 168 by accident.
import { DateTime, type DateTimeUnit } from "luxon";
import { AppError, ErrorCode } from "../errors.ts";
import type { Grain, Period } from "./types.ts";

const UNIT: Record<Grain, DateTimeUnit> = {
  day: "day",
  week: "week",
  month: "month",
  quarter: "quarter",
  year: "year",
};
const PLURAL: Record<Grain, "days" | "weeks" | "months" | "quarters" | "years"> = {
  day: "days",
  week: "weeks",
  month: "months",
  quarter: "quarters",
  year: "years",
};

// Relative words: the bare grain (and `last-…`) is the last COMPLETE period, because a
// snapshot of a half-finished month compared to a whole previous month misleads;
// `today` / `this-…` ask explicitly for the current, incomplete one.
const RELATIVE: Record<string, { grain: Grain; offset: 0 | -1 }> = {
  day: { grain: "day", offset: -1 },
  yesterday: { grain: "day", offset: -1 },
  week: { grain: "week", offset: -1 },
  month: { grain: "month", offset: -1 },
  quarter: { grain: "quarter", offset: -1 },
  year: { grain: "year", offset: -1 },
  "last-day": { grain: "day", offset: -1 },
  "last-week": { grain: "week", offset: -1 },
  "last-month": { grain: "month", offset: -1 },
  "last-quarter": { grain: "quarter", offset: -1 },
  "last-year": { grain: "year", offset: -1 },
  today: { grain: "day", offset: 0 },
  "this-day": { grain: "day", offset: 0 },
  "this-week": { grain: "week", offset: 0 },
  "this-month": { grain: "month", offset: 0 },
  "this-quarter": { grain: "quarter", offset: 0 },
  "this-year": { grain: "year", offset: 0 },
};

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const WEEK = /^(\d{4})-w(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;
const QUARTER = /^(\d{4})-q(\d)$/;
const YEAR = /^(\d{4})$/;

export const PERIOD_FORMS_HELP =
  "a day (2026-09-14), an ISO week (2026-W38), a month (2026-09), a quarter (2026-Q3), a year (2026), " +
  "week, month, quarter or year (the last complete one), yesterday, " +
  "or today, this-week, this-month, this-quarter, this-year (the current one)";

/** True when `text` has the shape of a period (it may still name an impossible date). */
export function isPeriodText(text: string): boolean {
  const t = text.trim().toLowerCase();
  return t in RELATIVE || [DAY, WEEK, MONTH, QUARTER, YEAR].some((form) => form.test(t));
}

function invalid(message: string): AppError {
  return new AppError(ErrorCode.InvalidInput, message);
}

function checkZone(zone: string): void {
  if (!DateTime.now().setZone(zone).isValid) throw invalid(`unknown time zone “${zone}”`);
}

function periodFrom(grain: Grain, localStart: DateTime): Period {
  // startOf again: a zone whose midnight does not exist on that date starts the day at
  // the first instant that does.
  const start = localStart.startOf(UNIT[grain]);
  const end = start.plus({ [PLURAL[grain]]: 1 }).startOf(UNIT[grain]);
  return {
    grain,
    startMs: start.toMillis(),
    endMs: end.toMillis(),
    zone: start.zoneName ?? "UTC",
    key: keyOf(grain, start),
  };
}

function keyOf(grain: Grain, start: DateTime): string {
  switch (grain) {
    case "day":
      return start.toFormat("yyyy-MM-dd");
    case "week":
      return `${String(start.weekYear).padStart(4, "0")}-W${String(start.weekNumber).padStart(2, "0")}`;
    case "month":
      return start.toFormat("yyyy-MM");
    case "quarter":
      return `${start.toFormat("yyyy")}-Q${start.quarter}`;
    case "year":
      return start.toFormat("yyyy");
  }
}

/** The period of `grain` that contains the instant. */
export function periodOf(grain: Grain, instantMs: number, zone: string): Period {
  checkZone(zone);
  return periodFrom(grain, DateTime.fromMillis(instantMs, { zone }));
}

/** The period `n` periods of the same grain after `p` (before, for negative `n`). */
export function shiftPeriod(p: Period, n: number): Period {
  const start = DateTime.fromMillis(p.startMs, { zone: p.zone });
  return periodFrom(p.grain, start.plus({ [PLURAL[p.grain]]: n }));
}

export function previousPeriod(p: Period): Period {
  return shiftPeriod(p, -1);
}

/** The last period of `grain` that has fully ended at `now`. */
export function lastComplete(grain: Grain, now: Date, zone: string): Period {
  return previousPeriod(periodOf(grain, now.getTime(), zone));
}

/** `endMs` minus one calendar month in `zone` (the LTV churn window's start). */
export function monthBefore(endMs: number, zone: string): number {
  return DateTime.fromMillis(endMs, { zone }).minus({ months: 1 }).toMillis();
}

/** Parses a written period (case-insensitive); unknown text → AppError(InvalidInput). */
export function parsePeriod(text: string, now: Date, zone: string): Period {
  checkZone(zone);
  const t = text.trim().toLowerCase();
  const relative = RELATIVE[t];
  if (relative !== undefined) {
    return shiftPeriod(periodOf(relative.grain, now.getTime(), zone), relative.offset);
  }
  let m = DAY.exec(t);
  if (m) {
    const day = DateTime.fromObject({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }, { zone });
    if (!day.isValid) throw invalid(`${text.trim()} is not a real date.`);
    return periodFrom("day", day);
  }
  m = WEEK.exec(t);
  if (m) {
    const weekYear = Number(m[1]);
    const weekNumber = Number(m[2]);
    // 28 December always lies in the last ISO week of its year.
    const weeks = DateTime.fromObject({ year: weekYear, month: 12, day: 28 }, { zone }).weekNumber;
    if (weekNumber < 1 || weekNumber > weeks) {
      throw invalid(`${weekYear} has no ISO week ${weekNumber} (its weeks are W01 to W${weeks}).`);
    }
    return periodFrom("week", DateTime.fromObject({ weekYear, weekNumber, weekday: 1 }, { zone }));
  }
  m = MONTH.exec(t);
  if (m) {
    const month = Number(m[2]);
    if (month < 1 || month > 12) throw invalid(`${text.trim()} is not a real month (months are 01 to 12).`);
    return periodFrom("month", DateTime.fromObject({ year: Number(m[1]), month, day: 1 }, { zone }));
  }
  m = QUARTER.exec(t);
  if (m) {
    const quarter = Number(m[2]);
    if (quarter < 1 || quarter > 4) throw invalid(`${text.trim()} is not a real quarter (quarters are Q1 to Q4).`);
    return periodFrom("quarter", DateTime.fromObject({ year: Number(m[1]), month: quarter * 3 - 2, day: 1 }, { zone }));
  }
  m = YEAR.exec(t);
  if (m) return periodFrom("year", DateTime.fromObject({ year: Number(m[1]), month: 1, day: 1 }, { zone }));
  throw invalid(`I don't understand the period “${text.trim()}”. Use ${PERIOD_FORMS_HELP}.`);
}

/** A human label: "September 2026", "Week 38 2026 (14–20 Sep)", "Q3 2026", "2026", "Mon 14 Sep 2026". */
export function describePeriod(p: Period): string {
  const start = DateTime.fromMillis(p.startMs, { zone: p.zone, locale: "en-US" });
  switch (p.grain) {
    case "day":
      return start.toFormat("ccc d LLL yyyy");
    case "week": {
      const last = DateTime.fromMillis(p.endMs, { zone: p.zone, locale: "en-US" }).minus({ days: 1 });
      const range =
        start.month === last.month
          ? `${start.day}–${last.toFormat("d LLL")}`
          : `${start.toFormat("d LLL")}–${last.toFormat("d LLL")}`;
      return `Week ${start.weekNumber} ${start.weekYear} (${range})`;
    }
    case "month":
      return start.toFormat("LLLL yyyy");
    case "quarter":
      return `Q${start.quarter} ${start.year}`;
    case "year":
      return String(start.year);
  }
}

/** The public JSON form: instants in UTC ISO 8601 with milliseconds. */
export function periodJson(p: Period): { grain: Grain; start: string; end: string } {
  return { grain: p.grain, start: new Date(p.startMs).toISOString(), end: new Date(p.endMs).toISOString() };
}
