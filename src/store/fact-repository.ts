// Writing facts in bulk (the FactSink port). Duplicates by (workspace_id, external_id)
// are skipped by the database itself (ON CONFLICT DO NOTHING, valid on SQLite and
// PostgreSQL), within one batch, across batches and against stored facts; the
// affected-row count says how many were really inserted.
//
// How, measured (test/bench/import-bench.ts; 1,000,000 CSV rows, 2-core machine):
// - Through Prisma, a batch travels as ONE JSON parameter that the database unpacks
//   (SQLite json_each, PostgreSQL jsonb_array_elements). Prisma's raw queries pay per
//   parameter (its query compiler re-serialises every value): a multi-row VALUES list
//   with 9 parameters a row inserted about 3× slower than the JSON form into SQLite
//   and 2× slower into PostgreSQL, at every batch size tried (500–7000 rows).
//   One parameter per batch also sidesteps the parameter limits (SQLite 32766, PG 65535).
// - Even so, the whole CSV import through Prisma reached 0.42 of the plain
//   better-sqlite3 floor (22k vs 52k rows/s) with a 372 MB peak: Prisma's JSON round
//   trip through its WebAssembly query compiler costs CPU and memory on every batch.
//   So for SQLite, bulk imports go through the driver instead (`via: "driver"`): its own
//   connection to the same file, one prepared statement, one IMMEDIATE transaction:
//   0.64 of the floor (33k rows/s), 263 MB peak. The CLI import uses it; in-process
//   writers that run next to others (the ingest API) keep Prisma, whose adapter queues
//   transactions and waits for another process's lock without blocking the event loop
//   (busy.ts).
import BetterSqlite3 from "better-sqlite3";
import type { Fact } from "../core/facts/fact.ts";
import type { FactOrigin, FactSink, FactWriter } from "../core/ports.ts";
import { retryWhileBusy, SQLITE_BUSY_TIMEOUT_MS, type WaitOptions } from "./busy.ts";
import { type Database, type Db, sqlitePath } from "./database.ts";

const COLUMNS =
  "workspace_id, origin, occurred_ms, kind, entity_id, value, channel, department, segment, external_id, record";
const ON_CONFLICT = "ON CONFLICT (workspace_id, external_id) DO NOTHING";

// `WHERE true` is SQLite's required disambiguation for INSERT … SELECT … ON CONFLICT.
const SQLITE_JSON_INSERT = `INSERT INTO facts (${COLUMNS})
  SELECT ?, ?, value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7, value->>8
  FROM json_each(jsonb(?)) WHERE true ${ON_CONFLICT}`;
const POSTGRES_JSON_INSERT = `INSERT INTO facts (${COLUMNS})
  SELECT $1, $2, (e->>0)::bigint, e->>1, e->>2, (e->>3)::double precision, e->>4, e->>5, e->>6, e->>7, e->>8
  FROM jsonb_array_elements($3::jsonb) AS e ${ON_CONFLICT}`;
const SQLITE_ROW_INSERT = `INSERT INTO facts (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL) ${ON_CONFLICT}`;

// A bulk import relinks the fact chains (the fact_neighbours migration) once, at its end:
// the insert trigger, which relinks each row's neighbours one by one, is dropped inside the
// import's transaction and created again before it commits, so no other connection ever
// sees the table without it (SQLite's schema changes are transactional; the import holds
// the write lock throughout). Only the chains the import added to are recomputed.
const CHAIN_TRIGGER = "fact_chain_insert";
const RELINK_CHAINS = `UPDATE facts SET prev_ms = chain.prev_ms, next_ms = chain.next_ms
FROM (
  SELECT f.id, LAG(f.occurred_ms) OVER w AS prev_ms, LEAD(f.occurred_ms) OVER w AS next_ms
  FROM facts f
  WHERE f.workspace_id = ? AND f.entity_id IS NOT NULL
    AND (f.kind, f.entity_id) IN (SELECT kind, entity_id FROM facts WHERE workspace_id = ? AND id > ? AND entity_id IS NOT NULL)
  WINDOW w AS (PARTITION BY f.kind, f.entity_id ORDER BY f.occurred_ms, f.id)
) AS chain
WHERE facts.id = chain.id AND (facts.prev_ms IS NOT chain.prev_ms OR facts.next_ms IS NOT chain.next_ms)`;

// Larger batches no longer pay off per row and only hold more memory.
export const MAX_JSON_BATCH = 5000;
// An import may legitimately run for many minutes; Prisma's default is 5 s.
const TRANSACTION_TIMEOUT_MS = 60 * 60 * 1000;
const TRANSACTION_MAX_WAIT_MS = 30_000;

/** One fact as a row of the JSON insert; `record` is the source record it follows, if any. */
export function factTuple(fact: Fact, record: string | null = null): unknown[] {
  return [
    fact.occurredMs,
    fact.kind,
    fact.entityId,
    fact.value,
    fact.channel,
    fact.department,
    fact.segment,
    fact.externalId,
    record,
  ];
}

/** The JSON insert of one batch: parameters are (workspace id, origin, JSON array of factTuple rows). */
export function jsonInsertSql(dialect: Database["dialect"]): string {
  return dialect === "sqlite" ? SQLITE_JSON_INSERT : POSTGRES_JSON_INSERT;
}

export type FactSinkOptions = {
  /** who writes: "import", "ingest" or "demo" (a source writes through src/store/source-facts.ts) */
  origin: FactOrigin;
  /** "driver": SQLite only, through better-sqlite3 directly (bulk CLI imports); default "prisma" */
  via?: "prisma" | "driver";
  /** the driver's wait for another writer's lock (default: 30 s, silently) */
  wait?: WaitOptions;
};

export function createFactSink(db: Database, workspaceId: number, options: FactSinkOptions): FactSink {
  if (options.via === "driver" && db.dialect === "sqlite" && sqlitePath(db.url) !== ":memory:")
    return driverSink(sqlitePath(db.url), workspaceId, options.origin, options.wait ?? { waitMs: 30_000 });
  return prismaSink(db, workspaceId, options.origin);
}

function prismaSink(db: Database, workspaceId: number, origin: FactOrigin): FactSink {
  const sql = jsonInsertSql(db.dialect);
  const writerFor = (tx: Pick<Db, "$executeRawUnsafe">): FactWriter => ({
    async insert(facts) {
      let inserted = 0;
      for (let start = 0; start < facts.length; start += MAX_JSON_BATCH) {
        const json = JSON.stringify(facts.slice(start, start + MAX_JSON_BATCH).map((fact) => factTuple(fact)));
        inserted += await tx.$executeRawUnsafe(sql, workspaceId, origin, json);
      }
      return { inserted };
    },
  });
  return {
    transaction: (fn) =>
      db.prisma.$transaction((tx) => fn(writerFor(tx)), {
        timeout: TRANSACTION_TIMEOUT_MS,
        maxWait: TRANSACTION_MAX_WAIT_MS,
      }),
  };
}

function driverSink(file: string, workspaceId: number, origin: FactOrigin, wait: WaitOptions): FactSink {
  return {
    async transaction(fn) {
      const connection = new BetterSqlite3(file);
      try {
        connection.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
        connection.pragma("synchronous = NORMAL");
        const statement = connection.prepare(SQLITE_ROW_INSERT);
        const writer: FactWriter = {
          async insert(facts) {
            let inserted = 0;
            for (const fact of facts) {
              inserted += statement.run(
                workspaceId,
                origin,
                fact.occurredMs,
                fact.kind,
                fact.entityId,
                fact.value,
                fact.channel,
                fact.department,
                fact.segment,
                fact.externalId,
              ).changes;
            }
            return { inserted };
          },
        };
        // IMMEDIATE takes the write lock now, so a concurrent writer waits rather than
        // failing half-way through the import; the import waits its turn the same way.
        await retryWhileBusy(() => connection.exec("BEGIN IMMEDIATE"), wait);
        try {
          const relinkChains = pauseFactChains(connection, workspaceId);
          const result = await fn(writer);
          relinkChains();
          connection.exec("COMMIT");
          return result;
        } catch (error) {
          if (connection.inTransaction) connection.exec("ROLLBACK");
          throw error;
        }
      } finally {
        connection.close();
      }
    },
  };
}

/**
 * Inside a write transaction on `connection`: drops the chains' insert trigger and returns
 * what relinks the chains the inserts since added to and creates the trigger again.
 */
export function pauseFactChains(connection: BetterSqlite3.Database, workspaceId: number): () => void {
  const trigger = connection
    .prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?")
    .pluck()
    .get(CHAIN_TRIGGER) as string | undefined;
  if (!trigger) return () => {};
  const lastId = connection.prepare("SELECT COALESCE(MAX(id), 0) FROM facts").pluck().get();
  connection.exec(`DROP TRIGGER "${CHAIN_TRIGGER}"`);
  return () => {
    connection.prepare(RELINK_CHAINS).run(workspaceId, workspaceId, lastId);
    connection.exec(trigger);
  };
}
