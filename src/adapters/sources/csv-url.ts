// Reads a `csv_url` source: downloads the CSV (redirects followed, at most
// MAX_CSV_BYTES), validates every row as `tandem import` does (nothing is written
// when a row is bad, unless skip_invalid), then pages the records out. The whole
// file is the source, so every read covers "all": rows gone from it lose their facts.
import { readCsvFacts } from "../../core/facts/read-facts.ts";
import { csvUrlProblem } from "../../core/sources/csv-url.ts";
import { badRowKey, createRowMapper, type RowError } from "../../core/sources/fact-rows.ts";
import type { SkippedRecord, SourceReader, SourceRecord } from "../../core/sources/reader.ts";
import { InvalidRowsError } from "./invalid-rows.ts";
import type { ReaderContext } from "./reader-context.ts";

export const MAX_CSV_BYTES = 50 * 1024 * 1024;
const PAGE_ROWS = 1000;

// One download a sync.
export const CSV_URL_REQUESTS_PER_SECOND = 1;

type CsvSettings = { url?: string; url_env?: string; skip_invalid?: boolean };

export function createCsvUrlReader(ctx: ReaderContext): SourceReader {
  const settings = ctx.settings as CsvSettings;
  const mapping = { source: ctx.name, zone: ctx.zone, requireExternalId: false };
  return {
    coverage: () => ({ kind: "all" }),
    async *pages() {
      const url = settings.url ?? ctx.secret("url_env");
      const problem = csvUrlProblem(url);
      if (problem !== undefined)
        throw new Error(`the CSV URL${settings.url_env ? ` in ${settings.url_env}` : ""}: ${problem}`);
      const text = await ctx.http.text({
        method: "GET",
        url,
        headers: { accept: "text/csv" },
        followRedirects: true,
      });
      if (text.length > MAX_CSV_BYTES)
        throw new Error(
          `the CSV is larger than ${MAX_CSV_BYTES / 1024 / 1024} MB: split it, or load it with tandem import`,
        );
      const validate = createRowMapper(mapping);
      const bad: RowError[] = [];
      let badRows = 0;
      for await (const row of readCsvFacts([text])) {
        const outcome = validate(row);
        if (outcome.ok) continue;
        badRows++;
        bad.push(...outcome.errors);
        if ("errors" in row && row.fatal) break;
      }
      const fatal = bad.some((e) => e.field === "header" || e.field === "document");
      if (badRows > 0 && (fatal || settings.skip_invalid !== true)) throw new InvalidRowsError(badRows, bad, "line");

      const map = createRowMapper(mapping);
      let records: SourceRecord[] = [];
      let skipped: SkippedRecord[] = [];
      for await (const row of readCsvFacts([text])) {
        const outcome = map(row);
        if (outcome.ok) records.push({ key: outcome.record.key, facts: outcome.record.facts });
        else
          skipped.push({
            key: badRowKey(ctx.name, row),
            reason: outcome.errors.map((e) => `line ${e.line}: ${e.field}: ${e.message}`).join("; "),
          });
        if (records.length + skipped.length >= PAGE_ROWS) {
          yield { records, skipped, cursor: null };
          records = [];
          skipped = [];
        }
      }
      yield { records, skipped, cursor: null };
    },
  };
}
