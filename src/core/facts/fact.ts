// The fact format of docs/facts.md, and its validation. Raw records come from
// CSV (every field a string) or JSON (typed values); both go through parseFact,
// which reports every problem as { field, message } so importers can say
// "line N: field: what is wrong".
import { DateTime } from "luxon";
import { asName, quoted } from "../messages/user-text.ts";

export const FACT_KINDS = ["lead", "mql", "sql", "opportunity", "won", "lost", "spend", "mrr", "nps", "csat"] as const;
export type FactKind = (typeof FACT_KINDS)[number];
export const SEGMENTS = ["new", "upsell", "cross_sell"] as const;
export type Segment = (typeof SEGMENTS)[number];
export const FACT_FIELDS = [
  "occurred_at",
  "kind",
  "entity_id",
  "value",
  "channel",
  "department",
  "segment",
  "external_id",
] as const;

/** A validated fact. `occurredMs` is the instant in epoch milliseconds. */
export type Fact = {
  occurredMs: number;
  kind: FactKind;
  entityId: string | null;
  value: number | null;
  channel: string | null;
  department: string | null;
  segment: Segment | null;
  externalId: string | null;
};

export type FieldError = { field: string; message: string };
export type ParseResult = { ok: true; fact: Fact } | { ok: false; errors: FieldError[] };

const MAX_TEXT = 200;
const BARE_DATE = /^\d{4}-\d{2}-\d{2}$/;
// An instant must carry its offset (Z or ±hh:mm): a local date-time without one is
// ambiguous, so it is refused rather than guessed.
const INSTANT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)$/i;

// ISO 8601 allows any year and offsets up to ±99:59; facts need neither. Real zones span
// UTC−12:00 to UTC+14:00 (Kiritimati), so ±14:00 is the widest offset accepted; years
// start at 1900, which keeps out placeholders such as 0000-01-01.
export const MIN_YEAR = 1900;
const MAX_OFFSET_MINUTES = 14 * 60;
const OFFSET = /([+-])(\d{2}):?(\d{2})?$/;

/** Why a well-formed date or instant is still refused, or null. */
function outOfRange(text: string, instant: boolean): string | null {
  const year = text.slice(0, 4);
  if (Number(year) < MIN_YEAR) return `year ${year} is out of range (${MIN_YEAR} to 9999)`;
  const last = text[text.length - 1];
  const offset = instant && last !== "Z" && last !== "z" ? OFFSET.exec(text) : null;
  if (offset) {
    const hours = Number(offset[2]);
    const minutes = Number(offset[3] ?? 0);
    if (minutes > 59 || hours * 60 + minutes > MAX_OFFSET_MINUTES)
      return `UTC offset ${offset[0]} is out of range (-14:00 to +14:00)`;
  }
  return null;
}

/** Parses `occurred_at`: an ISO instant with offset, or a bare date (local midnight in `zone`). */
export function parseOccurredAt(text: string, zone: string): number | string {
  const trimmed = text.trim();
  const bare = BARE_DATE.test(trimmed);
  if (!bare && !INSTANT.test(trimmed))
    return `expected an ISO 8601 instant with offset (2026-09-14T10:30:00Z) or a date (2026-09-14), got ${quoted(trimmed)}`;
  const refused = outOfRange(trimmed, !bare);
  if (refused !== null) return refused;
  if (bare) {
    const key = `${zone} ${trimmed}`;
    const cached = bareDates.get(key);
    if (cached !== undefined) return cached;
    const day = DateTime.fromISO(trimmed, { zone });
    const result = day.isValid ? day.startOf("day").toMillis() : `not a real date: ${quoted(trimmed)}`;
    if (bareDates.size >= 10_000) bareDates.clear();
    bareDates.set(key, result);
    return result;
  }
  const fast = plainInstantMs(trimmed);
  if (fast !== undefined) return fast;
  const instant = DateTime.fromISO(trimmed.replace(" ", "T"), { setZone: true });
  return instant.isValid ? instant.toMillis() : `not a real date-time: ${quoted(trimmed)}`;
}

// Imports parse millions of timestamps and luxon costs ~10 µs each, most of an
// import's time. Bare dates repeat (a year has 365), so they are cached per zone; an
// instant whose every part is in the ordinary range is computed directly, with the
// same arithmetic as luxon (fraction truncated to milliseconds); anything unusual
// (hour 24, odd offsets, day 31 of a short month) still goes through luxon, which
// decides and words the outcome. test/unit/core/facts/parse-fact.test.ts checks the
// fast path against luxon.
const bareDates = new Map<string, number | string>();
const INSTANT_PARTS =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):?(\d{2})?)$/i;
const DAY_MS = 86_400_000;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Epoch ms of an ordinary ISO instant, or undefined to leave the case to luxon. */
export function plainInstantMs(text: string): number | undefined {
  const m = INSTANT_PARTS.exec(text);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const offsetHours = m[9] === undefined ? 0 : Number(m[9]);
  const offsetMinutes = m[10] === undefined ? 0 : Number(m[10]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  const millis = m[7] === undefined ? 0 : Math.floor(Number.parseFloat(`0.${m[7]}`) * 1000);
  const offset = (m[8] === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  return (
    daysFromCivil(year, month, day) * DAY_MS +
    hour * 3_600_000 +
    minute * 60_000 +
    second * 1000 +
    millis -
    offset * 60_000
  );
}

function text(raw: unknown): string | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === "string") return raw.trim() === "" ? null : raw.trim();
  if (typeof raw === "number" || typeof raw === "boolean") return String(raw);
  return null;
}

function numberOf(raw: unknown): number | string | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === "number") return Number.isFinite(raw) ? raw : "expected a finite number";
  if (typeof raw === "string") {
    const trimmed = raw.trim();
    if (trimmed === "") return null;
    // Number("") is 0 and Number("0x10") is 16: accept plain decimals only.
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return `expected a number, got ${quoted(trimmed)}`;
    const value = Number(trimmed);
    return Number.isFinite(value) ? value : "expected a finite number";
  }
  return `expected a number, got ${typeof raw}`;
}

export function parseFact(raw: Record<string, unknown>, zone: string): ParseResult {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ field, message });

  const occurredText = text(raw.occurred_at);
  let occurredMs = 0;
  if (occurredText === null) fail("occurred_at", "required");
  else {
    const parsed = parseOccurredAt(occurredText, zone);
    if (typeof parsed === "string") fail("occurred_at", parsed);
    else occurredMs = parsed;
  }

  const kindText = text(raw.kind)?.toLowerCase() ?? null;
  let kind: FactKind | null = null;
  if (kindText === null) fail("kind", "required");
  else if ((FACT_KINDS as readonly string[]).includes(kindText)) kind = kindText as FactKind;
  else fail("kind", `expected one of ${FACT_KINDS.join(", ")}, got ${quoted(kindText)}`);

  const entityId = text(raw.entity_id);
  if (entityId === null && kind !== null && kind !== "spend") fail("entity_id", `required for kind ${kind}`);
  if (entityId !== null && entityId.length > MAX_TEXT) fail("entity_id", `longer than ${MAX_TEXT} characters`);

  const parsedValue = numberOf(raw.value);
  let value: number | null = null;
  if (typeof parsedValue === "string") fail("value", parsedValue);
  else value = parsedValue;
  if (kind !== null && typeof parsedValue !== "string") {
    const needsValue = kind === "won" || kind === "spend" || kind === "mrr" || kind === "nps" || kind === "csat";
    if (needsValue && value === null) fail("value", `required for kind ${kind}`);
    else if (value !== null) {
      if ((kind === "won" || kind === "spend" || kind === "mrr") && value < 0)
        fail("value", `must be ≥ 0 for kind ${kind}, got ${value}`);
      if (kind === "nps" && !(Number.isInteger(value) && value >= 0 && value <= 10))
        fail("value", `must be an integer 0–10 for kind nps, got ${value}`);
      if (kind === "csat" && !(value >= 1 && value <= 5))
        fail("value", `must be between 1 and 5 for kind csat, got ${value}`);
    }
  }

  const channel = text(raw.channel)?.toLowerCase() ?? null;
  if (channel !== null && channel.length > MAX_TEXT) fail("channel", `longer than ${MAX_TEXT} characters`);

  const department = text(raw.department)?.toLowerCase() ?? null;
  if (department === null && kind === "spend") fail("department", "required for kind spend (marketing, sales, …)");
  if (department !== null && !/^[a-z0-9][a-z0-9_-]{0,49}$/.test(department))
    fail("department", `expected a department key like marketing or sales, got ${quoted(department)}`);

  const segmentText = text(raw.segment)?.toLowerCase() ?? null;
  let segment: Segment | null = null;
  if (segmentText !== null) {
    if (!(SEGMENTS as readonly string[]).includes(segmentText))
      fail("segment", `expected one of ${SEGMENTS.join(", ")}, got ${quoted(segmentText)}`);
    else if (kind !== null && kind !== "won") fail("segment", `only applies to kind won, not ${kind}`);
    else segment = segmentText as Segment;
  }
  if (kind === "won" && segment === null) segment = "new";

  const externalId = text(raw.external_id);
  if (externalId !== null && externalId.length > MAX_TEXT) fail("external_id", `longer than ${MAX_TEXT} characters`);

  for (const key of Object.keys(raw)) {
    if (!(FACT_FIELDS as readonly string[]).includes(key))
      fail(asName(key), `unknown field (expected ${FACT_FIELDS.join(", ")})`);
  }

  if (errors.length > 0 || kind === null) return { ok: false, errors };
  return { ok: true, fact: { occurredMs, kind, entityId, value, channel, department, segment, externalId } };
}
