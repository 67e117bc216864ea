// Periods of docs/metrics.md: half-open [start, end) between local midnights in the
// workspace zone. Boundaries are computed in calendar units with luxon, so a week
// containing a daylight-saving change lasts 167 or 169 hours, never 168 by accident.
import { DateTime, type DateTimeUnit } from "luxon";
import { AppError, ErrorCode } from "../errors.ts";
import { inRange, readPeriodWords } from "./period-words.ts";
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

export const PERIOD_FORMS_HELP =
  "a day (2026-09-14), a week (2026-W38, W38), a month (2026-09, september, sep 2026), " +
  "a quarter (2026-Q3, Q3, Q3 2026), a year (2026); " +
  "week, month, quarter or year, or last week, last month, … (the last complete one), yesterday; " +
  "today, this week, this month, this quarter, this year (the current one). " +
  "A month, quarter or week without a year is the most recent one that has started";

/** True when `text` names a period Tandem can read, numbers in range (it may still be an impossible date). */
export function isPeriodText(text: string): boolean {
  const spec = readPeriodWords(text);
  return spec !== null && inRange(spec);
}

function invalid(message: string): AppError {
  return new AppError(ErrorCode.InvalidInput, message);
}

/** Zones already found valid (a zone's validity does not change while the process runs). */
const validZones = new Set<string>();

function checkZone(zone: string): void {
  if (validZones.has(zone)) return;
  if (!DateTime.now().setZone(zone).isValid) throw invalid(`unknown time zone “${zone}”`);
  validZones.add(zone);
}

/** Shifted periods already computed (every answer shifts the same few); forgotten past the bound. */
const shifted = new Map<string, Period>();
const MAX_SHIFTED = 4_096;

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

/** The last period periodOf found per grain and zone: the next instant asked usually falls in it. */
const lastFound = new Map<string, Period>();

/** The period of `grain` that contains the instant. */
export function periodOf(grain: Grain, instantMs: number, zone: string): Period {
  const key = `${grain} ${zone}`;
  let found = lastFound.get(key);
  if (!found || instantMs < found.startMs || instantMs >= found.endMs) {
    checkZone(zone);
    found = periodFrom(grain, DateTime.fromMillis(instantMs, { zone }));
    if (lastFound.size >= MAX_SHIFTED) lastFound.clear();
    lastFound.set(key, found);
  }
  return { ...found };
}

/** The period `n` periods of the same grain after `p` (before, for negative `n`). */
export function shiftPeriod(p: Period, n: number): Period {
  const key = `${p.grain} ${p.zone} ${p.startMs} ${n}`;
  let result = shifted.get(key);
  if (!result) {
    const start = DateTime.fromMillis(p.startMs, { zone: p.zone });
    result = periodFrom(p.grain, start.plus({ [PLURAL[p.grain]]: n }));
    if (shifted.size >= MAX_SHIFTED) shifted.clear();
    shifted.set(key, result);
  }
  return { ...result };
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

/** Parses a period as people type it (case-insensitive); anything else → AppError(InvalidInput) with an example that works. */
export function parsePeriod(text: string, now: Date, zone: string): Period {
  // What a text means changes only at the zone's midnights (no period starts elsewhere).
  const key = `${zone} ${periodOf("day", now.getTime(), zone).startMs} ${text}`;
  let period = parsed.get(key);
  if (!period) {
    period = parseAnew(text, now, zone);
    if (parsed.size >= MAX_PARSED) parsed.clear();
    parsed.set(key, period);
  }
  return { ...period };
}

/** Texts parsed today, per zone; past this many the memory starts over. */
const MAX_PARSED = 1_000;
const parsed = new Map<string, Period>();

function parseAnew(text: string, now: Date, zone: string): Period {
  checkZone(zone);
  const shown = clip(text.trim(), SHOWN_CHARS);
  const spec = readPeriodWords(text);
  if (spec === null || spec.kind === "unreadable") {
    const hint = spec?.hint ? `Did you mean ${spec.hint}? ` : "";
    throw invalid(`I don't understand the period “${shown}”. ${hint}Try ${examples(now, zone)}.`);
  }
  switch (spec.kind) {
    case "relative":
      return shiftPeriod(periodOf(spec.grain, now.getTime(), zone), spec.offset);
    case "day": {
      const day = DateTime.fromObject({ year: spec.year, month: spec.month, day: spec.day }, { zone });
      if (!day.isValid) throw invalid(`${shown} is not a real date: try ${lastComplete("day", now, zone).key}.`);
      return periodFrom("day", day);
    }
    case "week": {
      const weekYear = spec.year ?? local(now, zone).weekYear;
      const weeks = weeksIn(weekYear, zone);
      if (spec.week < 1 || spec.week > (spec.year === null ? 53 : weeks)) {
        const example = lastComplete("week", now, zone);
        const problem =
          spec.year === null
            ? `${shown} is not a week (weeks are W01 to W53)`
            : `${spec.year} has no ISO week ${spec.week} (its weeks are W01 to W${weeks})`;
        throw invalid(`${problem}: try W${example.key.slice(-2)} or ${example.key}.`);
      }
      return mostRecentStarted(spec.year, local(now, zone).weekYear, now, (y) =>
        spec.week > weeksIn(y, zone)
          ? null
          : periodFrom("week", DateTime.fromObject({ weekYear: y, weekNumber: spec.week, weekday: 1 }, { zone })),
      );
    }
    case "month": {
      if (spec.month < 1 || spec.month > 12) {
        const example = lastComplete("month", now, zone);
        throw invalid(
          `${shown} is not a real month (months are 01 to 12): try ${example.key} or ${monthName(example)}.`,
        );
      }
      return mostRecentStarted(spec.year, local(now, zone).year, now, (y) =>
        periodFrom("month", DateTime.fromObject({ year: y, month: spec.month, day: 1 }, { zone })),
      );
    }
    case "quarter": {
      if (spec.quarter < 1 || spec.quarter > 4) {
        const example = lastComplete("quarter", now, zone);
        throw invalid(
          `${shown} is not a quarter (quarters are Q1 to Q4): try ${example.key.slice(-2)} or ${example.key}.`,
        );
      }
      return mostRecentStarted(spec.year, local(now, zone).year, now, (y) =>
        periodFrom("quarter", DateTime.fromObject({ year: y, month: spec.quarter * 3 - 2, day: 1 }, { zone })),
      );
    }
    case "year":
      if (spec.year < 1) throw invalid(`${shown} is not a year: try ${lastComplete("year", now, zone).key}.`);
      return periodFrom("year", DateTime.fromObject({ year: spec.year, month: 1, day: 1 }, { zone }));
  }
}

/** Written periods are echoed back in errors; never more than this much of them. */
const SHOWN_CHARS = 40;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function local(now: Date, zone: string): DateTime {
  return DateTime.fromMillis(now.getTime(), { zone });
}

function weeksIn(weekYear: number, zone: string): number {
  // 28 December always lies in the last ISO week of its year.
  return DateTime.fromObject({ year: weekYear, month: 12, day: 28 }, { zone }).weekNumber;
}

/**
 * With a year, that year's period; without one (`Q3`, `september`, `W38`), the most
 * recent one that has started by `now`: this year's if it has begun, else last year's.
 */
function mostRecentStarted(
  year: number | null,
  thisYear: number,
  now: Date,
  inYear: (year: number) => Period | null,
): Period {
  // W53 comes every five or six years: look back far enough to find the last one.
  const candidates = year !== null ? [year] : Array.from({ length: 7 }, (_, i) => thisYear - i);
  for (const y of candidates) {
    const period = inYear(y);
    if (period !== null && (year !== null || period.startMs <= now.getTime())) return period;
  }
  throw invalid("that period has not started in the last seven years");
}

function monthName(p: Period): string {
  return DateTime.fromMillis(p.startMs, { zone: p.zone, locale: "en-US" }).toFormat("LLLL yyyy").toLowerCase();
}

/** Periods that work right now, for error messages: last month, the last complete quarter, this week's month. */
function examples(now: Date, zone: string): string {
  const month = lastComplete("month", now, zone);
  const quarter = lastComplete("quarter", now, zone);
  return `last month, ${month.key}, ${monthName(month)}, ${quarter.key.slice(-2)} or this quarter`;
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

/** A period as a chart's axis names it: `16 Nov` (a day, or a week by its Monday), `Nov 2026`, `Q3 2026`, `2026`. */
export function shortLabel(p: Period): string {
  const start = DateTime.fromMillis(p.startMs, { zone: p.zone, locale: "en-US" });
  switch (p.grain) {
    case "day":
    case "week":
      return start.toFormat("d LLL");
    case "month":
      return start.toFormat("LLL yyyy");
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
