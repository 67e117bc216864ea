// One sync of one source (SOURCES.md, "How every source behaves"): claim the source
// in the database, page through its reader from the stored cursor (none with
// --full), commit each page with its cursor in one transaction, and, when the read
// covered everything (or a whole window), remove the facts of records it no longer
// saw. A failure half-way keeps every committed page and the cursor that goes with
// it, and is recorded as the source's last failure; the next sync carries on.
import { errorText } from "../describe-error.ts";
import type { Clock } from "../ports.ts";
import type { SourceState, SourceStore, SyncClaim, TimeWindow } from "./ports.ts";
import type { ReadCoverage, SkippedRecord, SourceReader, SourceRecord } from "./reader.ts";

// Each commit extends the lease, so it only has to outlast one page with its retries.
export const SYNC_LEASE_MS = 15 * 60_000;
export const MAX_REPORTED_SKIPS = 100;

export type SyncProgress = { records: number; written: number; removed: number; elapsedMs: number };

export type SyncReport = {
  source: string;
  full: boolean;
  /** records read */
  records: number;
  /** facts inserted */
  written: number;
  /** facts removed (replaced, or of records gone) */
  removed: number;
  /** facts not written because another origin already holds their external id */
  conflicts: number;
  skippedCount: number;
  /** the first MAX_REPORTED_SKIPS skipped records and why */
  skipped: SkippedRecord[];
};

export type SyncDeps = {
  store: SourceStore;
  reader: SourceReader;
  clock: Clock;
  /** who claims the source: process and host, say */
  holder: string;
  leaseMs?: number;
  onProgress?(progress: SyncProgress): void;
};

export class SourceBusyError extends Error {
  override name = "SourceBusyError";
}

export async function syncSource(source: SourceState, options: { full: boolean }, deps: SyncDeps): Promise<SyncReport> {
  const nowMs = () => deps.clock.now().getTime();
  const claim: SyncClaim = { holder: deps.holder, leaseMs: deps.leaseMs ?? SYNC_LEASE_MS, nowMs };
  if (!(await deps.store.claim(source, claim)))
    throw new SourceBusyError(`${source.name}: another sync of this source is running; try again when it is done`);
  const started = nowMs();
  const report: SyncReport = {
    source: source.name,
    full: options.full,
    records: 0,
    written: 0,
    removed: 0,
    conflicts: 0,
    skippedCount: 0,
    skipped: [],
  };
  try {
    const cursor = options.full ? null : source.cursor;
    const readOptions = { full: options.full, nowMs: started };
    const coverage = deps.reader.coverage(cursor, readOptions);
    const seen = coverage.kind === "changes" ? null : new Set<string>();
    for await (const page of deps.reader.pages(cursor, readOptions)) {
      const records = withSkippedEmptied(page.records, page.skipped);
      const result = await deps.store.commitPage(source, records, page.cursor, claim);
      report.records += records.length;
      report.written += result.written;
      report.removed += result.removed;
      report.conflicts += result.conflicts;
      for (const skip of page.skipped) {
        report.skippedCount++;
        if (report.skipped.length < MAX_REPORTED_SKIPS) report.skipped.push(skip);
      }
      if (seen !== null) for (const record of records) if (record.facts.length > 0) seen.add(record.key);
      deps.onProgress?.({
        records: report.records,
        written: report.written,
        removed: report.removed,
        elapsedMs: nowMs() - started,
      });
    }
    if (seen !== null) report.removed += await removeUnseen(source, deps.store, coverage, seen);
    await deps.store.recordSuccess(source, new Date(nowMs()));
    return report;
  } catch (error) {
    await deps.store.recordFailure(source, new Date(nowMs()), errorText(error)).catch(() => undefined);
    throw error;
  } finally {
    await deps.store.release(source, deps.holder).catch(() => undefined);
  }
}

/** A skipped record yields nothing now: the facts it yielded before go too. */
function withSkippedEmptied(records: SourceRecord[], skipped: SkippedRecord[]): SourceRecord[] {
  if (skipped.length === 0) return records;
  const present = new Set(records.map((record) => record.key));
  const emptied = skipped.filter((skip) => !present.has(skip.key)).map((skip) => ({ key: skip.key, facts: [] }));
  // one record skipped for two reasons is emptied once
  const unique = [...new Map(emptied.map((record) => [record.key, record])).values()];
  return [...records, ...unique];
}

async function removeUnseen(
  source: SourceState,
  store: SourceStore,
  coverage: ReadCoverage,
  seen: Set<string>,
): Promise<number> {
  const window: TimeWindow | undefined =
    coverage.kind === "window" ? { fromMs: coverage.fromMs, toMs: coverage.toMs } : undefined;
  const stored = await store.recordKeys(source, window);
  const gone = stored.filter((key) => !seen.has(key));
  return store.removeRecords(source, gone, window);
}
