// Importing facts: validate every row, write the valid ones in batches inside ONE
// transaction. All-or-nothing by default: once a row is invalid nothing more is
// written, the rest is still validated (so every bad row is reported), and the
// transaction is rolled back at the end. With skipInvalid, valid rows are committed
// and bad ones reported. Rows stream through; only one batch is held at a time.
import type { FactSink } from "../ports.ts";
import { type Fact, type FieldError, parseFact } from "./fact.ts";

/**
 * One row of an import: a raw record to validate, or the problems a reader found (a
 * line that is not JSON, a CSV row with the wrong number of columns). A `fatal`
 * problem (a header naming unknown columns) ends the import: nothing is written.
 */
export type RawRow =
  | { line: number; record: Record<string, unknown> }
  | { line: number; errors: FieldError[]; fatal?: boolean };

export type ImportError = { line: number; field: string; message: string };

export type ImportReport = {
  /** rows written (0 unless committed) */
  inserted: number;
  /** valid rows skipped because their external_id was already stored or earlier in the import */
  duplicates: number;
  /** invalid rows */
  rejected: number;
  /** valid rows seen, whether written or not */
  valid: number;
  /** the problems, in order, at most MAX_REPORTED_ERRORS of them */
  errors: ImportError[];
  /** problems found but not listed in `errors` */
  omittedErrors: number;
  /** whether anything was committed (false: the database is unchanged) */
  committed: boolean;
};

export type ImportOptions = { skipInvalid: boolean; batchSize?: number };

export const MAX_REPORTED_ERRORS = 1000;
// Measured with the Prisma JSON insert (src/store/fact-repository.ts): 2,000 → 5,000
// rows a batch still paid off, 5,000 → 20,000 did not; small batches keep memory flat.
export const DEFAULT_BATCH_SIZE = 5000;

class RollBack extends Error {}

export async function importFacts(
  rows: AsyncIterable<RawRow> | Iterable<RawRow>,
  deps: { sink: FactSink; zone: string },
  options: ImportOptions,
): Promise<ImportReport> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const report: ImportReport = {
    inserted: 0,
    duplicates: 0,
    rejected: 0,
    valid: 0,
    errors: [],
    omittedErrors: 0,
    committed: false,
  };
  const note = (line: number, error: FieldError) => {
    if (report.errors.length < MAX_REPORTED_ERRORS) report.errors.push({ line, ...error });
    else report.omittedErrors++;
  };

  try {
    await deps.sink.transaction(async (writer) => {
      let batch: Fact[] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        const facts = batch;
        batch = [];
        const { inserted } = await writer.insert(facts);
        report.inserted += inserted;
        report.duplicates += facts.length - inserted;
      };
      let fatal = false;
      for await (const row of rows) {
        if (!("record" in row)) {
          report.rejected++;
          for (const error of row.errors) note(row.line, error);
          if (row.fatal) {
            fatal = true;
            break;
          }
          continue;
        }
        const parsed = parseFact(row.record, deps.zone);
        if (!parsed.ok) {
          report.rejected++;
          for (const error of parsed.errors) note(row.line, error);
          continue;
        }
        const fact = parsed.fact;
        report.valid++;
        // Everything will be rolled back: stop writing, keep validating.
        if (report.rejected > 0 && !options.skipInvalid) continue;
        batch.push(fact);
        if (batch.length >= batchSize) await flush();
      }
      if (fatal || (report.rejected > 0 && !options.skipInvalid)) throw new RollBack();
      await flush();
    });
    report.committed = true;
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
    report.inserted = 0;
    report.duplicates = 0;
  }
  return report;
}
