// Rows in the import format (a warehouse query's rows, a published CSV) → records,
// validated exactly as `tandem import` validates them (parseFact). Each row is one
// record: its external_id names it; a CSV row without one is named by a digest of
// its content, so an unchanged row keeps its identity from one sync to the next and
// a changed row replaces the old one.
import { createHash } from "node:crypto";
import { type Fact, type FieldError, parseFact } from "../facts/fact.ts";
import type { RawRow } from "../facts/import-facts.ts";
import { quoted } from "../messages/user-text.ts";
import type { MappedRecord } from "./mapped-record.ts";

export type RowError = { line: number; field: string; message: string };
export type RowOutcome = { ok: true; record: MappedRecord } | { ok: false; errors: RowError[] };

export type RowMapping = {
  source: string;
  zone: string;
  /** `sql` requires an external_id on every row; `csv_url` names rows without one by their content */
  requireExternalId: boolean;
  /** columns read but not facts' (the incremental cursor column) */
  ignore?: string[];
};

function contentId(fact: Fact): string {
  const { occurredMs, kind, entityId, value, channel, department, segment } = fact;
  const text = JSON.stringify([occurredMs, kind, entityId, value, channel, department, segment]);
  return `sha-${createHash("sha256").update(text).digest("hex").slice(0, 20)}`;
}

/**
 * A function that maps the rows of one read, in order. It remembers the ids it has
 * seen: a repeated external_id is an error naming the first row, and repeated content
 * without an external_id gets a counted id (sha-…-2), so identical rows stay distinct facts.
 */
export function createRowMapper(mapping: RowMapping): (row: RawRow) => RowOutcome {
  const firstLine = new Map<string, number>();
  const contentCount = new Map<string, number>();
  const ignored = new Set(mapping.ignore ?? []);
  return (row) => {
    if (!("record" in row)) return { ok: false, errors: row.errors.map((error) => ({ line: row.line, ...error })) };
    const raw = ignored.size === 0 ? row.record : withoutColumns(row.record, ignored);
    const parsed = parseFact(raw, mapping.zone);
    const errors: FieldError[] = parsed.ok ? [] : [...parsed.errors];
    const given = parsed.ok ? parsed.fact.externalId : namedId(raw);
    if (mapping.requireExternalId && given === null && !errors.some((e) => e.field === "external_id"))
      errors.push({ field: "external_id", message: "required: it names the row from one sync to the next" });
    if (given !== null) {
      const first = firstLine.get(given);
      if (first !== undefined)
        errors.push({ field: "external_id", message: `${quoted(given)} repeats the one of line ${first}` });
      else firstLine.set(given, row.line);
    }
    if (!parsed.ok || errors.length > 0) return { ok: false, errors: errors.map((e) => ({ line: row.line, ...e })) };
    const fact = parsed.fact;
    let id = given;
    if (id === null) {
      const digest = contentId(fact);
      const count = (contentCount.get(digest) ?? 0) + 1;
      contentCount.set(digest, count);
      id = count === 1 ? digest : `${digest}-${count}`;
    }
    const key = `${mapping.source}:row:${id}`;
    return { ok: true, record: { key, facts: [{ ...fact, externalId: `${key}:${fact.kind}` }], skipped: [] } };
  };
}

/** The external_id a row gives, when it gives a usable one (for a row that is invalid otherwise). */
function namedId(raw: Record<string, unknown>): string | null {
  const id = raw.external_id;
  if (typeof id === "number") return String(id);
  return typeof id === "string" && id.trim() !== "" && id.trim().length <= 200 ? id.trim() : null;
}

function withoutColumns(record: Record<string, unknown>, ignored: Set<string>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(record)) if (!ignored.has(column)) kept[column] = value;
  return kept;
}

/**
 * The key a bad row is reported under: its record's key when it names itself (so a row
 * that turned invalid loses the facts it had), else its line.
 */
export function badRowKey(source: string, row: RawRow): string {
  const id = "record" in row ? namedId(row.record) : null;
  return id === null ? `${source}:row:line-${row.line}` : `${source}:row:${id}`;
}
