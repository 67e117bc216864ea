// Another writer holding a lock, as `tandem import` does while it runs: SQLite's write
// lock (BEGIN IMMEDIATE), or on PostgreSQL a row lock on the fact with external_id
// `externalId` (an uncommitted insert into workspace 1, which must exist).
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { type Dialect, sqlitePath } from "../../src/store/database.ts";

export type HeldLock = { release(): Promise<void> };

export async function holdWriteLock(dialect: Dialect, url: string, externalId = "held-1"): Promise<HeldLock> {
  const insert = `INSERT INTO facts (workspace_id, occurred_ms, kind, entity_id, external_id) VALUES (1, 0, 'lead', 'held', '${externalId}')`;
  if (dialect === "sqlite") {
    const other = new BetterSqlite3(sqlitePath(url));
    other.exec("BEGIN IMMEDIATE");
    return {
      release: async () => {
        other.exec("ROLLBACK");
        other.close();
      },
    };
  }
  const other = new pg.Client({ connectionString: url });
  await other.connect();
  await other.query("BEGIN");
  await other.query(insert);
  return {
    release: async () => {
      await other.query("ROLLBACK");
      await other.end();
    },
  };
}

/** SQLite: whether some connection holds the write lock (asked without waiting for it). */
export function sqliteWriteLockHeld(file: string): boolean {
  const probe = new BetterSqlite3(file);
  try {
    probe.pragma("busy_timeout = 0");
    probe.exec("BEGIN IMMEDIATE");
    probe.exec("ROLLBACK");
    return false;
  } catch (error) {
    if (String((error as { code?: string }).code).startsWith("SQLITE_BUSY")) return true;
    throw error;
  } finally {
    probe.close();
  }
}
