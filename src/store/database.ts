// Opens the database named by DATABASE_URL: SQLite (file:) or PostgreSQL, both
// through Prisma driver adapters, with the project's own migration runner applied
// first. The two generated clients share one model API; the rest of the code uses
// the SQLite client's types for both.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type { Database as SqliteConnection } from "better-sqlite3";
import { AppError } from "../core/errors.ts";
import { PrismaClient as SqliteClient } from "../generated/sqlite/client.ts";
import { databaseBusy, isBusyError, patientSqliteAdapter, SQLITE_BUSY_TIMEOUT_MS } from "./busy.ts";
import { applyMigrations, type MigrationReport } from "./migrate.ts";

export type Db = SqliteClient;
export type { SqliteConnection };
export type Dialect = "sqlite" | "postgres";

export type Database = {
  prisma: Db;
  dialect: Dialect;
  url: string;
  migrations: MigrationReport;
  /**
   * SQLite: the client's own better-sqlite3 connection (null before its first query), for
   * the few hot reads that cannot afford Prisma's per-query cost (generations.ts).
   */
  sqliteConnection?: () => SqliteConnection | null;
  /** PostgreSQL: a small pool of its own for the same hot reads (hot-read.ts), straight on the pg driver. */
  hotQuery?: (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
};

export function dialectOf(url: string): Dialect {
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(url)) return "postgres";
  throw new Error(`DATABASE_URL: expected file:PATH or postgres://…, got ${url}`);
}

/** `file:./data/tandem.db` → absolute path; relative paths resolve against the working directory. */
export function sqlitePath(url: string): string {
  const raw = url.slice("file:".length).split("?")[0] ?? "";
  return raw === ":memory:" ? raw : path.resolve(raw);
}

export type OpenOptions = {
  /** apply pending migrations first (default true) */
  migrate?: boolean;
  /**
   * How long a write waits for another writer's lock before failing with
   * AppError(Unavailable) (busy.ts). The server keeps it short; the CLI can wait longer.
   */
  writeWaitMs?: number;
};

/** A CLI command (config apply, token create, …) waits this long for a running import. */
export const DEFAULT_WRITE_WAIT_MS = 30_000;

/** The client, with every "database busy" error of a query turned into databaseBusy(). */
function busyAsUnavailable(prisma: SqliteClient): Db {
  return prisma.$extends({
    query: {
      async $allOperations({ args, query }) {
        try {
          return await query(args);
        } catch (error) {
          throw isBusyError(error) && !(error instanceof AppError) ? databaseBusy() : error;
        }
      },
    },
  }) as unknown as Db;
}

/** The hot reads are a handful of fixed statements; past this many, further ones run unnamed. */
const MAX_HOT_STATEMENTS = 32;

export async function openDatabase(url: string, options: OpenOptions = {}): Promise<Database> {
  const dialect = dialectOf(url);
  const writeWaitMs = options.writeWaitMs ?? DEFAULT_WRITE_WAIT_MS;
  // Prisma gives up on a transaction that has not started within maxWait (default 2 s):
  // never before the write has had its full wait.
  const transactionOptions = { maxWait: writeWaitMs + 1_000 };
  let migrations: MigrationReport = { applied: [], alreadyApplied: 0 };
  if (dialect === "sqlite") {
    const file = sqlitePath(url);
    if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
    if (options.migrate !== false) migrations = await applyMigrations(url, undefined, { writeWaitMs });
    let connection: SqliteConnection | null = null;
    const adapter = patientSqliteAdapter(
      new PrismaBetterSQLite3({ url: `file:${file}` }, { timestampFormat: "unixepoch-ms" }),
      { waitMs: writeWaitMs, onConnect: (client) => (connection = client as SqliteConnection) },
    );
    const prisma = busyAsUnavailable(new SqliteClient({ adapter, transactionOptions }));
    // WAL lets readers (the KPI engine) run while an import writes. A short busy_timeout:
    // the rest of a wait for the write lock happens asynchronously (busy.ts).
    await prisma.$queryRawUnsafe("PRAGMA journal_mode = WAL");
    await prisma.$executeRawUnsafe(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    await prisma.$executeRawUnsafe("PRAGMA synchronous = NORMAL");
    // 64 MB of page cache (the default is 2 MB): the KPI aggregates re-read the same
    // index pages window after window.
    await prisma.$executeRawUnsafe("PRAGMA cache_size = -65536");
    return { prisma, dialect, url, migrations, sqliteConnection: () => connection, close: () => prisma.$disconnect() };
  }
  if (options.migrate !== false) migrations = await applyMigrations(url, undefined, { writeWaitMs });
  // Loaded only for PostgreSQL: a SQLite deployment (and every CLI call on it) does
  // not pay for the second client and the pg driver at start-up.
  const [{ PrismaPg }, { PrismaClient: PostgresClient }, { default: pg }] = await Promise.all([
    import("@prisma/adapter-pg"),
    import("../generated/postgres/client.ts"),
    import("pg"),
  ]);
  // lock_timeout: a write that meets a row lock (an import's transaction holding the same
  // external_id) waits as long as a SQLite write would, then fails with 55P03 → databaseBusy().
  // jit off: a KPI statement (many windows' parts in one UNION ALL) is costed above
  // jit_above_cost, and compiling it took longer than running it (a cold quarter's
  // breakdowns at 1M facts: 280 → 150 ms without).
  // work_mem 64MB: a quarter's "each entity once" hashes ~300,000 (kind, entity) pairs at
  // 10M facts; under the default 4MB the hash spilled to disk and the planner fell back to
  // a slower index walk (945 → 456 ms). It bounds each sort or hash, not the connection.
  const adapter = new PrismaPg({
    connectionString: url,
    max: 10,
    options: `-c lock_timeout=${writeWaitMs} -c jit=off -c work_mem=64MB`,
  });
  const prisma = busyAsUnavailable(new PostgresClient({ adapter, transactionOptions }) as unknown as SqliteClient);
  // Prisma's per-query cost (its query path and the result's decoding) was most of a warm
  // answer's time on PostgreSQL; these reads take a few microseconds on the driver.
  const hotPool = new pg.Pool({ connectionString: url, max: 4 });
  hotPool.on("error", () => {}); // an idle connection dropped: the next query opens another
  // Named statements: each connection parses and plans these few fixed texts once.
  const names = new Map<string, string>();
  const hotQuery = async (sql: string, params: unknown[]) => {
    let name = names.get(sql);
    if (name === undefined && names.size < MAX_HOT_STATEMENTS) {
      name = `tandem_hot_${names.size}`;
      names.set(sql, name);
    }
    return (await hotPool.query({ ...(name && { name }), text: sql, values: params })).rows;
  };
  const close = async () => {
    await Promise.all([prisma.$disconnect(), hotPool.end()]);
  };
  return { prisma, dialect, url, migrations, hotQuery, close };
}
