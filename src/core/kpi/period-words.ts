// Periods as people type them, read into a spec without a clock: `Q3`, `2026 Q3`,
// `q3 2026`, `last month`, `this quarter`, `september`, `sep 2026`, `yesterday`,
// and the written forms of docs/metrics.md (`2026-09`, `2026-W38`, `2026-Q3`, …).
// periods.ts turns a spec into a Period for a given moment and zone; numbers are
// range-checked there too, so `Q5` is still recognised here as an attempt at a period
// and can be answered as a period error rather than as an unknown metric.
import { distance } from "fastest-levenshtein";
import { GRAINS, type Grain } from "./types.ts";

/** The most words a period phrase has (`week 38 2026`): callers never look further. */
export const MAX_PERIOD_WORDS = 3;
/** Longer text is never a period; checked before any pattern runs. */
const MAX_PERIOD_CHARS = 40;

export type PeriodSpec =
  | { kind: "relative"; grain: Grain; offset: 0 | -1 }
  | { kind: "day"; year: number; month: number; day: number }
  /** `year: null` means the most recent one that has started */
  | { kind: "week"; year: number | null; week: number }
  | { kind: "month"; year: number | null; month: number }
  | { kind: "quarter"; year: number | null; quarter: number }
  | { kind: "year"; year: number }
  /** shaped like a period but not one: `last fortnight`, `next month`, `septmber` */
  | { kind: "unreadable"; hint: string | null };

const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
] as const;

function monthNumber(word: string): number | null {
  const w = word.replace(/\.$/, "");
  if (w === "sept") return 9;
  const index = MONTHS.findIndex((name) => name === w || (w.length === 3 && name.startsWith(w)));
  return index < 0 ? null : index + 1;
}

/** A month name with a typo (`septmber`): one edit for names up to six letters, two beyond. */
function misspeltMonth(word: string): string | null {
  if (word.length < 5) return null;
  for (const name of MONTHS) {
    if (name.length < 5) continue;
    const allowed = name.length <= 6 ? 1 : 2;
    if (Math.abs(name.length - word.length) <= allowed && distance(word, name) <= allowed) return name;
  }
  return null;
}

const GRAIN_WORDS: Record<string, Grain> = Object.fromEntries(GRAINS.map((grain) => [grain, grain]));
const THIS = new Set(["this", "current"]);
const LAST = new Set(["last", "previous", "past"]);
const FUTURE = new Set(["next", "coming"]);

const YEAR = /^(\d{4})$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const NUMERIC_MONTH = /^(\d{4})-(\d{1,2})$/;
const YEAR_QUARTER = /^(\d{4})-?q(\d{1,2})$/;
const YEAR_WEEK = /^(\d{4})-?w(\d{1,3})$/;
const QUARTER = /^q(\d{1,2})$/;
const WEEK = /^w(\d{1,3})$/;
const NUMBER = /^(\d{1,3})$/;

const year = (word: string | undefined): number | null => {
  const m = word === undefined ? null : YEAR.exec(word);
  return m ? Number(m[1]) : null;
};

/** Lower case, single spaces, `this-month` → `this month`; null when too long to be a period. */
function words(text: string): string[] | null {
  if (text.length > MAX_PERIOD_CHARS * 4) return null;
  const t = text.trim().toLowerCase().replace(/,/g, " ");
  if (t === "" || t.length > MAX_PERIOD_CHARS) return null;
  const out = t.split(/\s+/).flatMap((word) => {
    const m = /^(this|current|last|previous|past|next|coming)-(.+)$/.exec(word);
    return m?.[1] && m[2] ? [m[1], m[2]] : [word];
  });
  return out.length > MAX_PERIOD_WORDS ? null : out;
}

// A bare grain (`month`) or `last …` is the last COMPLETE period: a half-finished month
// compared with a whole previous one would show every metric falling until it ends.
// `today` and `this …` ask explicitly for the current, incomplete one.
function oneWord(word: string): PeriodSpec | null {
  if (word === "today") return { kind: "relative", grain: "day", offset: 0 };
  if (word === "yesterday") return { kind: "relative", grain: "day", offset: -1 };
  const grain = GRAIN_WORDS[word];
  if (grain) return { kind: "relative", grain, offset: -1 };
  let m = DAY.exec(word);
  if (m) return { kind: "day", year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  m = NUMERIC_MONTH.exec(word);
  if (m) return { kind: "month", year: Number(m[1]), month: Number(m[2]) };
  m = YEAR_QUARTER.exec(word);
  if (m) return { kind: "quarter", year: Number(m[1]), quarter: Number(m[2]) };
  m = YEAR_WEEK.exec(word);
  if (m) return { kind: "week", year: Number(m[1]), week: Number(m[2]) };
  m = QUARTER.exec(word);
  if (m) return { kind: "quarter", year: null, quarter: Number(m[1]) };
  m = WEEK.exec(word);
  if (m) return { kind: "week", year: null, week: Number(m[1]) };
  const y = year(word);
  if (y !== null) return { kind: "year", year: y };
  const month = monthNumber(word);
  if (month !== null) return { kind: "month", year: null, month };
  const typo = misspeltMonth(word);
  if (typo !== null) return { kind: "unreadable", hint: typo };
  return null;
}

/** A spec with the year filled in (`Q3 2026`, `2026 Q3`, `sep 2026`), or null. */
function withYear(spec: PeriodSpec | null, y: number | null): PeriodSpec | null {
  if (spec === null || y === null) return null;
  if ((spec.kind === "quarter" || spec.kind === "week" || spec.kind === "month") && spec.year === null) {
    return { ...spec, year: y };
  }
  return null;
}

function relative(first: string, second: string): PeriodSpec | null {
  const isThis = THIS.has(first);
  const isLast = LAST.has(first);
  if (!isThis && !isLast && !FUTURE.has(first)) return null;
  const grain = GRAIN_WORDS[second];
  if (FUTURE.has(first)) {
    return { kind: "unreadable", hint: grain ? `this ${grain} or last ${grain}` : null };
  }
  if (!grain) return { kind: "unreadable", hint: null };
  return { kind: "relative", grain, offset: isThis ? 0 : -1 };
}

/**
 * The period `text` names, as a spec; null when the text is not an attempt at a period
 * (it may be a metric's name). Never throws.
 */
export function readPeriodWords(text: string): PeriodSpec | null {
  const w = words(text);
  if (w === null) return null;
  const [a = "", b, c] = w;
  if (b === undefined) return oneWord(a);
  if (c === undefined) {
    const rel = relative(a, b);
    if (rel) return rel;
    // `week 38`
    if (a === "week" && NUMBER.test(b)) return { kind: "week", year: null, week: Number(b) };
    // `Q3 2026`, `sep 2026`, `W38 2026`, then `2026 Q3`
    return withYear(oneWord(a), year(b)) ?? withYear(oneWord(b), year(a));
  }
  // `week 38 2026`
  if (a === "week" && NUMBER.test(b) && year(c) !== null) return { kind: "week", year: year(c), week: Number(b) };
  // `last 7 days`, `this fiscal year`: meant as a period, not one Tandem reads
  if (THIS.has(a) || LAST.has(a) || FUTURE.has(a)) return { kind: "unreadable", hint: null };
  return null;
}

/** Numbers within their ranges (a date may still not exist: 2026-02-30; an ISO year may lack W53). */
export function inRange(spec: PeriodSpec): boolean {
  switch (spec.kind) {
    case "day":
      return spec.month >= 1 && spec.month <= 12 && spec.day >= 1 && spec.day <= 31;
    case "week":
      return spec.week >= 1 && spec.week <= 53;
    case "month":
      return spec.month >= 1 && spec.month <= 12;
    case "quarter":
      return spec.quarter >= 1 && spec.quarter <= 4;
    case "year":
      return spec.year >= 1;
    case "relative":
      return true;
    case "unreadable":
      return false;
  }
}

/** True when `text` is a period's shape, readable or not: worth a period error rather than a metric one. */
export function looksLikePeriod(text: string): boolean {
  return readPeriodWords(text) !== null;
}
