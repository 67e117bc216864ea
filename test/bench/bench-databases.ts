// A fresh database holding the generated facts, for one benchmark: a SQLite file in a
// temporary directory, or a PostgreSQL database made beside the admin URL's and dropped
// afterwards. The facts go straight through the drivers (kpi-bench-load.ts).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { openDatabase } from "../../src/store/database.ts";
import { ensureDefaultWorkspace } from "../../src/store/workspaces.ts";
import type { BenchFacts } from "./kpi-bench-data.ts";
import { loadPostgres, loadSqlite } from "./kpi-bench-load.ts";

export type BenchDatabase = { dialect: "sqlite" | "postgres"; url: string; workspaceId: number };

/** PostgreSQL's admin URL for benches, if one is set. */
export const benchPostgresUrl = (): string | undefined =>
  process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL;

const seconds = (t0: number) => ((performance.now() - t0) / 1000).toFixed(1);

/** Runs `use` on a migrated database whose default workspace (UTC) holds `facts`; removes it after. */
export async function withBenchDatabase<T>(
  dialect: BenchDatabase["dialect"],
  facts: BenchFacts,
  use: (database: BenchDatabase) => Promise<T>,
): Promise<T> {
  const { url, drop } = dialect === "sqlite" ? sqliteFile() : await postgresDatabase();
  try {
    const db = await openDatabase(url);
    const workspace = await ensureDefaultWorkspace(db.prisma, "UTC");
    await db.close();
    const t0 = performance.now();
    if (dialect === "sqlite") loadSqlite(url.slice("file:".length), workspace.id, facts);
    else await loadPostgres(url, workspace.id, facts);
    console.log(`${dialect}: loaded ${facts.count.toLocaleString("en")} facts in ${seconds(t0)} s`);
    return await use({ dialect, url, workspaceId: workspace.id });
  } finally {
    await drop();
  }
}

function sqliteFile() {
  const dir = mkdtempSync(path.join(tmpdir(), "tandem-bench-"));
  return {
    url: `file:${path.join(dir, "bench.db")}`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function postgresDatabase() {
  const adminUrl = benchPostgresUrl();
  if (!adminUrl) throw new Error("set BENCH_POSTGRES_URL or TEST_POSTGRES_URL");
  const name = `tandem_bench_${process.pid}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}
