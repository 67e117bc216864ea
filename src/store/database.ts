// Opens the database named by DATABASE_URL: SQLite (file:) or PostgreSQL, both
// through Prisma driver adapters, with the project's own migration runner applied
// first. The two generated clients share one model API; the rest of the code uses
// the SQLite client's types for both.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient as SqliteClient } from "../generated/sqlite/client.ts";
import { applyMigrations, type MigrationReport } from "./migrate.ts";

export type Db = SqliteClient;
export type Dialect = "sqlite" | "postgres";

export type Database = {
  prisma: Db;
  dialect: Dialect;
  url: string;
  migrations: MigrationReport;
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

export async function openDatabase(url: string, options: { migrate?: boolean } = {}): Promise<Database> {
  const dialect = dialectOf(url);
  let migrations: MigrationReport = { applied: [], alreadyApplied: 0 };
  if (dialect === "sqlite") {
    const file = sqlitePath(url);
    if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
    if (options.migrate !== false) migrations = await applyMigrations(url);
    const adapter = new PrismaBetterSQLite3({ url: `file:${file}` }, { timestampFormat: "unixepoch-ms" });
    const prisma = new SqliteClient({ adapter });
    // WAL lets readers (the KPI engine) run while an import writes; busy_timeout makes
    // a second process wait for the write lock instead of failing at once.
    await prisma.$queryRawUnsafe("PRAGMA journal_mode = WAL");
    await prisma.$executeRawUnsafe("PRAGMA busy_timeout = 10000");
    await prisma.$executeRawUnsafe("PRAGMA synchronous = NORMAL");
    // 64 MB of page cache (the default is 2 MB): the KPI aggregates re-read the same
    // index pages window after window.
    await prisma.$executeRawUnsafe("PRAGMA cache_size = -65536");
    return { prisma, dialect, url, migrations, close: () => prisma.$disconnect() };
  }
  if (options.migrate !== false) migrations = await applyMigrations(url);
  // Loaded only for PostgreSQL: a SQLite deployment (and every CLI call on it) does
  // not pay for the second client and the pg driver at start-up.
  const [{ PrismaPg }, { PrismaClient: PostgresClient }] = await Promise.all([
    import("@prisma/adapter-pg"),
    import("../generated/postgres/client.ts"),
  ]);
  const adapter = new PrismaPg({ connectionString: url, max: 10 });
  const prisma = new PostgresClient({ adapter }) as unknown as Db;
  return { prisma, dialect, url, migrations, close: () => prisma.$disconnect() };
}
