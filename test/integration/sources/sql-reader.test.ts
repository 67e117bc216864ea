// The sql kind against a real PostgreSQL: a warehouse table read through the query of
// the config, validated as `tandem import` validates rows, incremental on a cursor column.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSqlReader } from "../../../src/adapters/sources/sql.ts";
import type { SourcePage } from "../../../src/core/sources/reader.ts";
import { createEmptyDatabaseUrl } from "../../helpers/databases.ts";
import { testReaderContext } from "../../helpers/source-context.ts";

const POSTGRES = process.env.TEST_POSTGRES_URL;

async function readAll(reader: ReturnType<typeof createSqlReader>, cursor: string | null, full = false) {
  const pages: SourcePage[] = [];
  for await (const page of reader.pages(cursor, { full, nowMs: Date.now() })) pages.push(page);
  return pages;
}

describe.skipIf(!POSTGRES)("a sql source", () => {
  let warehouse: { url: string; drop(): Promise<void> };
  let client: pg.Client;
  const env = `WAREHOUSE_${randomBytes(3).toString("hex").toUpperCase()}`;

  beforeAll(async () => {
    warehouse = await createEmptyDatabaseUrl("postgres");
    client = new pg.Client({ connectionString: warehouse.url });
    await client.connect();
    process.env[env] = warehouse.url;
  });
  afterAll(async () => {
    delete process.env[env];
    await client.end();
    await warehouse.drop();
  });
  beforeEach(async () => {
    await client.query("DROP TABLE IF EXISTS leads");
    await client.query(`CREATE TABLE leads (
      id text PRIMARY KEY, created_at timestamptz, kind text DEFAULT 'lead', channel text, amount numeric,
      updated_at timestamptz NOT NULL DEFAULT now())`);
  });

  const QUERY =
    "SELECT created_at AS occurred_at, kind, id AS entity_id, channel, amount AS value, 'row-' || id AS external_id FROM leads";
  const reader = (settings: Record<string, unknown> = {}) =>
    createSqlReader(testReaderContext({ name: "wh", settings: { url_env: env, query: QUERY, ...settings } }));

  it("reads every row as a fact named by the source and the row's external_id, covering all the source", async () => {
    await client.query(`INSERT INTO leads (id, created_at, channel) VALUES
      ('c1', '2026-09-14 10:30:00+02', 'Webinar'), ('c2', '2026-09-15 08:00:00Z', NULL)`);
    const sql = reader();
    expect(sql.coverage(null, { full: false, nowMs: 0 })).toEqual({ kind: "all" });
    const pages = await readAll(sql, null);
    expect(pages.flatMap((p) => p.records)).toEqual([
      {
        key: "wh:row:row-c1",
        facts: [
          {
            occurredMs: Date.parse("2026-09-14T08:30:00Z"),
            kind: "lead",
            entityId: "c1",
            value: null,
            channel: "webinar",
            department: null,
            segment: null,
            externalId: "wh:row:row-c1:lead",
          },
        ],
      },
      { key: "wh:row:row-c2", facts: [expect.objectContaining({ entityId: "c2", channel: null })] },
    ]);
    expect(pages.at(-1)?.cursor).toBeNull();
  });

  it("writes nothing when a row is invalid, naming every bad row and field", async () => {
    await client.query(`INSERT INTO leads (id, created_at, kind, amount) VALUES
      ('c1', '2026-09-14 10:30:00Z', 'lead', NULL), ('c2', NULL, 'lead', NULL),
      ('c3', '2026-09-14 10:30:00Z', 'won', -5), ('c4', '2026-09-14 10:30:00Z', 'signup', NULL)`);
    const pages: SourcePage[] = [];
    const reading = (async () => {
      for await (const page of reader().pages(null, { full: false, nowMs: 0 })) pages.push(page);
    })();
    await expect(reading).rejects.toThrow(
      [
        "3 invalid rows, nothing written (fix them, or set skip_invalid: true to write the valid rows only):",
        "row 2: occurred_at: required",
        "row 3: value: must be ≥ 0 for kind won, got -5",
        'row 4: kind: expected one of lead, mql, sql, opportunity, won, lost, spend, mrr, nps, csat, got "signup"',
      ].join("\n"),
    );
    expect(pages).toEqual([]);
  });

  it("with skip_invalid, reads the valid rows and reports the others under their record", async () => {
    await client.query(`INSERT INTO leads (id, created_at, kind) VALUES
      ('c1', '2026-09-14 10:30:00Z', 'lead'), ('c2', '2026-09-14 10:30:00Z', 'signup')`);
    const pages = await readAll(reader({ skip_invalid: true }), null);
    expect(pages.flatMap((p) => p.records.map((r) => r.key))).toEqual(["wh:row:row-c1"]);
    expect(pages.flatMap((p) => p.skipped)).toEqual([
      { key: "wh:row:row-c2", reason: expect.stringMatching(/^row 2: kind: expected one of/) },
    ]);
  });

  it("requires an external_id, which names a row from one sync to the next", async () => {
    await client.query(`INSERT INTO leads (id, created_at) VALUES ('c1', '2026-09-14 10:30:00Z')`);
    const sql = createSqlReader(
      testReaderContext({
        name: "wh",
        settings: { url_env: env, query: "SELECT created_at AS occurred_at, kind, id AS entity_id FROM leads" },
      }),
    );
    await expect(readAll(sql, null)).rejects.toThrow("row 1: external_id: required");
  });

  it("with cursor_column, passes the stored cursor as $1 and moves it to the largest value read", async () => {
    await client.query(`INSERT INTO leads (id, created_at, updated_at) VALUES
      ('c1', '2026-09-14 10:30:00Z', '2026-09-20 10:00:00Z'), ('c2', '2026-09-14 11:30:00Z', '2026-09-21 09:00:00.5Z')`);
    const sql = reader({
      query: `${QUERY.replace(" FROM", ", updated_at FROM")} WHERE updated_at > coalesce($1::timestamptz, '-infinity') ORDER BY id DESC`,
      cursor_column: "updated_at",
    });
    const first = await readAll(sql, null);
    expect(first.flatMap((p) => p.records.map((r) => r.key))).toEqual(["wh:row:row-c2", "wh:row:row-c1"]);
    const cursor = first.at(-1)?.cursor ?? null;
    expect(cursor).toBe("2026-09-21 09:00:00.5+00");
    expect(sql.coverage(cursor, { full: false, nowMs: 0 })).toEqual({ kind: "changes" });

    await client.query(`UPDATE leads SET channel = 'seo', updated_at = '2026-09-22 00:00:00Z' WHERE id = 'c1'`);
    const second = await readAll(sql, cursor);
    expect(second.flatMap((p) => p.records.map((r) => [r.key, r.facts[0]?.channel]))).toEqual([
      ["wh:row:row-c1", "seo"],
    ]);
    expect(second.at(-1)?.cursor).toBe("2026-09-22 00:00:00+00");

    const unchanged = await readAll(sql, "2026-09-22 00:00:00+00");
    expect(unchanged.flatMap((p) => p.records)).toEqual([]);
    expect(unchanged.at(-1)?.cursor).toBe("2026-09-22 00:00:00+00");

    const full = await readAll(sql, null, true);
    expect(sql.coverage(cursor, { full: true, nowMs: 0 })).toEqual({ kind: "all" });
    expect(full.flatMap((p) => p.records)).toHaveLength(2);
  });

  it("compares integer cursors as numbers, not as text", async () => {
    await client.query(`INSERT INTO leads (id, created_at) VALUES ('9', '2026-09-14Z'), ('10', '2026-09-14Z')`);
    const sql = reader({
      query: `SELECT created_at AS occurred_at, kind, id AS entity_id, id AS external_id, id::int AS seq FROM leads WHERE id::int > coalesce($1::int, 0)`,
      cursor_column: "seq",
    });
    expect((await readAll(sql, null)).at(-1)?.cursor).toBe("10");
  });

  it("pages a large result through a server-side cursor, 1,000 rows a page", async () => {
    await client.query(`INSERT INTO leads (id, created_at)
      SELECT 'c' || n, timestamptz '2026-09-01 00:00:00Z' + n * interval '1 minute' FROM generate_series(1, 2500) n`);
    const pages = await readAll(reader(), null);
    expect(pages.map((p) => p.records.length)).toEqual([1000, 1000, 500]);
  });

  it("reads inside a read-only transaction: a query that writes fails and changes nothing", async () => {
    await client.query(`INSERT INTO leads (id, created_at) VALUES ('c1', '2026-09-14 10:30:00Z')`);
    const sql = reader({
      query: `WITH gone AS (DELETE FROM leads RETURNING *) SELECT created_at AS occurred_at, kind, id AS entity_id, id AS external_id FROM gone`,
    });
    await expect(readAll(sql, null)).rejects.toThrow(/^the query failed: /);
    expect((await client.query("SELECT count(*)::int AS n FROM leads")).rows[0].n).toBe(1);
  });

  it("says which variable names a database it cannot reach, without its URL", async () => {
    process.env.WAREHOUSE_NOWHERE = "postgresql://tandem:s3cret@127.0.0.1:1/none";
    const sql = createSqlReader(
      testReaderContext({ name: "wh", settings: { url_env: "WAREHOUSE_NOWHERE", query: QUERY } }),
    );
    const error = await readAll(sql, null).catch((e: Error) => e);
    delete process.env.WAREHOUSE_NOWHERE;
    expect(String(error)).toMatch(/cannot connect to the database named by WAREHOUSE_NOWHERE/);
    expect(String(error)).not.toContain("s3cret");
  });
});
