// Real databases for tests: a fresh SQLite file always, and a fresh PostgreSQL
// database per call when TEST_POSTGRES_URL is set (.ci/run sets it). Each test file
// gets its own database, so files can run in parallel.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { type Database, type Dialect, openDatabase } from "../../src/store/database.ts";

export const DIALECTS: Dialect[] = process.env.TEST_POSTGRES_URL ? ["sqlite", "postgres"] : ["sqlite"];

export type TestDatabase = { dialect: Dialect; url: string; db: Database; drop(): Promise<void> };

/** A URL for a brand-new, empty database (not yet migrated). */
export async function createEmptyDatabaseUrl(dialect: Dialect): Promise<{ url: string; drop(): Promise<void> }> {
  if (dialect === "sqlite") {
    const dir = mkdtempSync(path.join(tmpdir(), "tandem-test-"));
    return {
      url: `file:${path.join(dir, "tandem.db")}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const admin = process.env.TEST_POSTGRES_URL;
  if (!admin) throw new Error("TEST_POSTGRES_URL is not set");
  const name = `tandem_t_${process.pid}_${randomBytes(4).toString("hex")}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const dropper = new pg.Client({ connectionString: admin });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/** A fresh, migrated database of the given dialect. Call drop() in afterAll. */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  const empty = await createEmptyDatabaseUrl(dialect);
  const db = await openDatabase(empty.url);
  return {
    dialect,
    url: empty.url,
    db,
    drop: async () => {
      await db.close();
      await empty.drop();
    },
  };
}
