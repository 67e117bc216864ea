// Reads a `sql` source from PostgreSQL. The whole read happens in ONE read-only,
// repeatable-read transaction: a first pass validates every row (nothing is written
// when a row is bad, unless skip_invalid), a second pass over the same snapshot pages
// the records out. Rows stream through a server-side cursor, so a large table never
// sits whole in memory. Every value is read as PostgreSQL writes it as text (the
// session in UTC), so rows are validated exactly as `tandem import` validates a CSV.
import pg from "pg";
import { FACT_FIELDS } from "../../core/facts/fact.ts";
import type { RawRow } from "../../core/facts/import-facts.ts";
import { badRowKey, createRowMapper, type RowError } from "../../core/sources/fact-rows.ts";
import type { ReadCoverage, SkippedRecord, SourcePage, SourceReader, SourceRecord } from "../../core/sources/reader.ts";
import { cursorComparer } from "../../core/sources/sql.ts";
import { InvalidRowsError } from "./invalid-rows.ts";
import type { ReaderContext } from "./reader-context.ts";

const PAGE_ROWS = 1000;
const STATEMENT_TIMEOUT = "10min";
const asText = { getTypeParser: () => (value: string) => value };

// The query goes to PostgreSQL, not over HTTP: the client's rate is moot.
export const SQL_REQUESTS_PER_SECOND = 1;

type SqlSettings = { url_env: string; query: string; cursor_column?: string; skip_invalid?: boolean };

export function createSqlReader(ctx: ReaderContext): SourceReader {
  const settings = ctx.settings as SqlSettings;
  const cursorColumn = settings.cursor_column;
  const skipInvalid = settings.skip_invalid === true;
  const incremental = (full: boolean) => cursorColumn !== undefined && !full;

  return {
    coverage: (_cursor, options): ReadCoverage => (incremental(options.full) ? { kind: "changes" } : { kind: "all" }),
    async *pages(cursor, options) {
      const client = new pg.Client({
        connectionString: ctx.secret("url_env"),
        application_name: "tandem-source",
      });
      try {
        await client.connect();
      } catch (error) {
        throw new Error(`cannot connect to the database named by ${settings.url_env}: ${(error as Error).message}`);
      }
      const params = cursorColumn === undefined ? [] : [incremental(options.full) ? cursor : null];
      try {
        await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        await client.query(`SET LOCAL statement_timeout = '${STATEMENT_TIMEOUT}'`);
        await client.query("SET LOCAL TIME ZONE 'UTC'");
        const ignore =
          cursorColumn !== undefined && !(FACT_FIELDS as readonly string[]).includes(cursorColumn)
            ? [cursorColumn]
            : [];
        const mapping = { source: ctx.name, zone: ctx.zone, requireExternalId: true, ignore };

        // Pass 1: validate everything, note where the cursor ends.
        const validate = createRowMapper(mapping);
        const bad: RowError[] = [];
        let badRows = 0;
        let last: string | null = null;
        for await (const rows of fetchRows(client, settings.query, params, cursorColumn)) {
          for (const row of rows.rows) {
            const outcome = validate(row);
            if (!outcome.ok) {
              badRows++;
              bad.push(...outcome.errors);
            }
          }
          if (rows.cursorMax !== null && (last === null || rows.compare(rows.cursorMax, last) > 0))
            last = rows.cursorMax;
        }
        if (badRows > 0 && !skipInvalid) throw new InvalidRowsError(badRows, bad, "row");

        // Pass 2: the same snapshot, paged out.
        const map = createRowMapper(mapping);
        let page: { records: SourceRecord[]; skipped: SkippedRecord[] } = { records: [], skipped: [] };
        for await (const rows of fetchRows(client, settings.query, params, cursorColumn)) {
          for (const row of rows.rows) {
            const outcome = map(row);
            if (outcome.ok) page.records.push({ key: outcome.record.key, facts: outcome.record.facts });
            else
              page.skipped.push({
                key: badRowKey(ctx.name, row),
                reason: outcome.errors.map((e) => `row ${e.line}: ${e.field}: ${e.message}`).join("; "),
              });
          }
          if (page.records.length + page.skipped.length >= PAGE_ROWS) {
            yield { ...page, cursor: null } satisfies SourcePage;
            page = { records: [], skipped: [] };
          }
        }
        // The cursor moves only with the last page: the query need not be ordered by it.
        yield { ...page, cursor: cursorColumn === undefined ? null : (last ?? cursor) } satisfies SourcePage;
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        if (error instanceof InvalidRowsError) throw error;
        throw new Error(`the query failed: ${(error as Error).message}`);
      } finally {
        await client.end().catch(() => {});
      }
    },
  };
}

type FetchedRows = { rows: RawRow[]; cursorMax: string | null; compare: (a: string, b: string) => number };

/** The query's rows, PAGE_ROWS at a time, numbered from 1, through a server-side cursor. */
async function* fetchRows(
  client: pg.Client,
  query: string,
  params: unknown[],
  cursorColumn: string | undefined,
): AsyncGenerator<FetchedRows> {
  await client.query({ text: `DECLARE tandem_rows NO SCROLL CURSOR FOR ${query}`, values: params });
  let line = 0;
  let compare: ((a: string, b: string) => number) | undefined;
  try {
    for (;;) {
      const result = await client.query({ text: `FETCH ${PAGE_ROWS} FROM tandem_rows`, types: asText });
      if (cursorColumn !== undefined && compare === undefined) {
        const field = result.fields.find((f) => f.name === cursorColumn);
        if (field === undefined)
          throw new Error(
            `the query returns no column ${cursorColumn} (cursor_column); it returns ${result.fields.map((f) => f.name).join(", ")}`,
          );
        compare = cursorComparer(field.dataTypeID);
      }
      if (result.rows.length === 0) break;
      let cursorMax: string | null = null;
      const rows: RawRow[] = result.rows.map((record: Record<string, unknown>) => {
        line++;
        const value = cursorColumn === undefined ? null : record[cursorColumn];
        if (typeof value === "string" && compare && (cursorMax === null || compare(value, cursorMax) > 0))
          cursorMax = value;
        return { line, record };
      });
      yield { rows, cursorMax, compare: compare ?? (() => 0) };
    }
  } finally {
    await client.query("CLOSE tandem_rows").catch(() => {});
  }
}
