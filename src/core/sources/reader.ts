// What every source kind implements (SOURCES.md): a reader that pages through the
// vendor's records since a cursor and says, for each record, every fact it yields
// now. The sync engine (sync-source.ts) mirrors them: a record's facts replace its
// stored ones, a record with no facts left loses them, and a whole read removes the
// facts of records it no longer saw, within what the read covers.
import type { Fact } from "../facts/fact.ts";

/**
 * One vendor record and the facts it yields now (an empty list removes its facts).
 * `key` is "<source name>:<record type>:<record id>"; each fact's externalId is
 * "<key>:<fact kind>" (plus ":<date>" where one record yields several of a kind).
 */
export type SourceRecord = { key: string; facts: Fact[] };

/** A record that yields nothing usable, and why (shown to the operator, never logged as structure). */
export type SkippedRecord = { key: string; reason: string };

/**
 * One batch, committed atomically with its cursor. `cursor` is where to resume after
 * this page (opaque text the reader alone understands), or null to keep the stored one.
 */
export type SourcePage = { records: SourceRecord[]; skipped: SkippedRecord[]; cursor: string | null };

/**
 * What a read covers, for reconciliation once it has been read to the end:
 * - "changes": only the records read change (an incremental read by modification date);
 * - "all": every record of the source was read; facts of records not seen are removed;
 * - "window": every record with facts in [fromMs, toMs) was read (the ad platforms'
 *   lookback); this source's facts in the window whose record was not seen are removed.
 */
export type ReadCoverage = { kind: "changes" } | { kind: "all" } | { kind: "window"; fromMs: number; toMs: number };

export type ReadOptions = {
  /** re-read everything (`tandem sources sync --full`); the cursor given is then null */
  full: boolean;
  /** the sync's clock reading, for windows such as "the last 30 days" */
  nowMs: number;
};

export type SourceReader = {
  /** What a read from `cursor` with these options covers (asked before the first page). */
  coverage(cursor: string | null, options: ReadOptions): ReadCoverage;
  /** The pages, in order; an error thrown ends the sync (committed pages stay committed). */
  pages(cursor: string | null, options: ReadOptions): AsyncIterable<SourcePage>;
};

/** Joins a record key and a fact kind (and date part) into the fact's external id. */
export function factExternalId(recordKey: string, kind: string, datePart?: string): string {
  return datePart === undefined ? `${recordKey}:${kind}` : `${recordKey}:${kind}:${datePart}`;
}

/** "<source>:<type>:<id>" */
export function recordKey(source: string, type: string, id: string): string {
  return `${source}:${type}:${id}`;
}
