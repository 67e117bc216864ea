// The project's own migration runner (TOOLCHAIN.md: `prisma migrate deploy` cannot
// run offline against PostgreSQL). It applies prisma/migrations (SQLite) or
// prisma/postgres/migrations in name order, each in its own transaction, and records
// them in `_prisma_migrations` exactly as the Prisma CLI does, so an operator with
// network access can still run `prisma migrate status` against the same database.
// Concurrent start-ups are serialised (SQLite: BEGIN IMMEDIATE; PostgreSQL: an
// advisory lock), so two replicas starting together apply each migration once.
// SQLite start-ups first find out, reading only, whether anything is pending: almost
// always nothing is, and then no write lock is needed, so a server starts while an
// import holds it.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { retryWhileBusy, SQLITE_BUSY_TIMEOUT_MS } from "./busy.ts";

export type Migration = { name: string; sql: string; checksum: string };
export type MigrationReport = { applied: string[]; alreadyApplied: number };

const root = path.resolve(import.meta.dirname, "..", "..", "prisma");
const ADVISORY_LOCK_ID = 72_707_362; // Prisma's own migrate lock id, so the CLI and we exclude each other

export function migrationsDir(dialect: "sqlite" | "postgres"): string {
  return dialect === "sqlite" ? path.join(root, "migrations") : path.join(root, "postgres", "migrations");
}

export function readMigrations(dir: string): Migration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

const SQLITE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL,
  "checksum" TEXT NOT NULL,
  "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL,
  "logs" TEXT,
  "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
  "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

const POSTGRES_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

function checkApplied(applied: Map<string, string>, migrations: Migration[]): void {
  for (const migration of migrations) {
    const checksum = applied.get(migration.name);
    if (checksum !== undefined && checksum !== migration.checksum) {
      throw new Error(
        `migration ${migration.name} was changed after it was applied (checksum differs); add a new migration instead`,
      );
    }
  }
}

export type MigrateOptions = {
  /** SQLite: how long to wait for another writer's lock when a migration is pending */
  writeWaitMs?: number;
};

export async function applyMigrations(
  url: string,
  dir?: string,
  options: MigrateOptions = {},
): Promise<MigrationReport> {
  if (url.startsWith("file:")) return applySqlite(url, dir ?? migrationsDir("sqlite"), options.writeWaitMs ?? 30_000);
  return applyPostgres(url, dir ?? migrationsDir("postgres"));
}

/** Applied migrations (name → checksum), read without taking any lock; empty on a new database. */
function appliedSqlite(db: Database.Database): Map<string, string> {
  const table = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`).get();
  if (table === undefined) return new Map();
  const rows = db
    .prepare(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE rolled_back_at IS NULL AND finished_at IS NOT NULL`,
    )
    .all() as { migration_name: string; checksum: string }[];
  return new Map(rows.map((row) => [row.migration_name, row.checksum]));
}

async function applySqlite(url: string, dir: string, writeWaitMs: number): Promise<MigrationReport> {
  const file = path.resolve(url.slice("file:".length).split("?")[0] ?? "");
  const db = new Database(file);
  try {
    db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    const migrations = readMigrations(dir);
    const waitForLock = <T>(step: () => T) => retryWhileBusy(step, { waitMs: writeWaitMs });
    const before = await waitForLock(() => appliedSqlite(db));
    checkApplied(before, migrations);
    if (migrations.every((migration) => before.has(migration.name)))
      return { applied: [], alreadyApplied: migrations.length };
    await waitForLock(() => db.pragma("journal_mode = WAL"));
    await waitForLock(() => db.exec(SQLITE_TABLE));
    const report: MigrationReport = { applied: [], alreadyApplied: 0 };
    for (const migration of migrations) {
      // BEGIN IMMEDIATE takes the write lock before reading, so a second process
      // waits here and then sees the migration as applied.
      await waitForLock(() => db.exec("BEGIN IMMEDIATE"));
      try {
        const applied = appliedSqlite(db);
        checkApplied(applied, migrations);
        if (applied.has(migration.name)) {
          report.alreadyApplied++;
          db.exec("COMMIT");
          continue;
        }
        const started = new Date().toISOString();
        db.exec(migration.sql);
        db.prepare(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, started_at, applied_steps_count) VALUES (?, ?, ?, ?, NULL, ?, 1)`,
        ).run(randomUUID(), migration.checksum, Date.now(), migration.name, Date.parse(started));
        db.exec("COMMIT");
        report.applied.push(migration.name);
      } catch (error) {
        if (db.inTransaction) db.exec("ROLLBACK");
        throw error;
      }
    }
    return report;
  } finally {
    db.close();
  }
}

async function applyPostgres(url: string, dir: string): Promise<MigrationReport> {
  // loaded here so a SQLite start-up (every CLI call on the default database) skips the driver
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCK_ID]);
    await client.query(POSTGRES_TABLE);
    const migrations = readMigrations(dir);
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE rolled_back_at IS NULL AND finished_at IS NOT NULL`,
    );
    const applied = new Map(rows.map((row) => [row.migration_name, row.checksum]));
    checkApplied(applied, migrations);
    const report: MigrationReport = { applied: [], alreadyApplied: 0 };
    for (const migration of migrations) {
      if (applied.has(migration.name)) {
        report.alreadyApplied++;
        continue;
      }
      await client.query("BEGIN");
      try {
        const started = new Date();
        await client.query(migration.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, NULL, $4, 1)`,
          [randomUUID(), migration.checksum, migration.name, started],
        );
        await client.query("COMMIT");
        report.applied.push(migration.name);
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${migration.name} failed: ${(error as Error).message}`);
      }
    }
    return report;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCK_ID]).catch(() => undefined);
    await client.end();
  }
}
