// A fresh database holding the generated facts, for one benchmark: a SQLite file in a
// temporary directory, or a PostgreSQL database made beside the admin URL's and dropped
// afterwards. The facts go straight through the drivers (kpi-bench-load.ts).
//
// BENCH_KEEP=DIR keeps a loaded copy for the next run (ten million facts take minutes to
// load): a SQLite file in DIR, a PostgreSQL template database. The copy is named after
// the fact count and a hash of the generator and the loader, so a change to either loads
// afresh; a migration added since is applied to the copy as to any upgraded database,
// and the copy is kept again with it. Delete DIR (and the tandem_bench_keep_* databases)
// to free the space.
import { createHash, randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { openDatabase } from "../../src/store/database.ts";
import { ensureDefaultWorkspace } from "../../src/store/workspaces.ts";
import { benchArgs } from "./bench-options.ts";
import type { BenchFacts } from "./kpi-bench-data.ts";
import { loadPostgres, loadSqlite } from "./kpi-bench-load.ts";

export type BenchDatabase = { dialect: "sqlite" | "postgres"; url: string; workspaceId: number };

/** PostgreSQL's admin URL for benches, if one is set. */
export const benchPostgresUrl = (): string | undefined =>
  process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL;

/**
 * The databases a bench measures: SQLite, and PostgreSQL when a URL is set; `--dialects
 * postgres` (or `sqlite`) measures one alone. Prints why PostgreSQL is left out, if it is.
 */
export function benchDialects(): ("sqlite" | "postgres")[] {
  const asked = benchArgs().options.get("dialects");
  const wanted = asked === undefined ? ["sqlite", "postgres"] : asked.split(",").map((d) => d.trim());
  for (const name of wanted)
    if (name !== "sqlite" && name !== "postgres")
      throw new Error(`--dialects expects sqlite and/or postgres, got ${name}`);
  const dialects = (["sqlite", "postgres"] as const).filter((d) => wanted.includes(d));
  if (dialects.includes("postgres") && !benchPostgresUrl()) {
    console.log("postgres: skipped (set BENCH_POSTGRES_URL or TEST_POSTGRES_URL)");
    return dialects.filter((d) => d !== "postgres");
  }
  return dialects;
}

const seconds = (t0: number) => ((performance.now() - t0) / 1000).toFixed(1);

/** Runs `use` on a migrated database whose default workspace (UTC) holds `facts`; removes it after. */
export async function withBenchDatabase<T>(
  dialect: BenchDatabase["dialect"],
  facts: BenchFacts,
  use: (database: BenchDatabase) => Promise<T>,
): Promise<T> {
  const keep = process.env.BENCH_KEEP ? keptCopyName(facts.count) : null;
  const { url, drop, kept } =
    dialect === "sqlite" ? sqliteFile(keep) : await postgresDatabase(keep && `tandem_bench_keep_${keep}`);
  try {
    const t0 = performance.now();
    const db = await openDatabase(url);
    const workspace = await ensureDefaultWorkspace(db.prisma, "UTC");
    await db.close();
    if (kept.exists) {
      const migrated = db.migrations.applied.length;
      console.log(
        `${dialect}: ${facts.count.toLocaleString("en")} facts from the kept copy in ${seconds(t0)} s` +
          (migrated > 0 ? ` (${migrated} newer migrations applied to it)` : ""),
      );
      if (migrated > 0) await kept.save();
    } else {
      if (dialect === "sqlite") loadSqlite(url.slice("file:".length), workspace.id, facts);
      else await loadPostgres(url, workspace.id, facts);
      console.log(`${dialect}: loaded ${facts.count.toLocaleString("en")} facts in ${seconds(t0)} s`);
      await kept.save();
    }
    return await use({ dialect, url, workspaceId: workspace.id });
  } finally {
    await drop();
  }
}

type Kept = { exists: boolean; save(): Promise<void> };
const nothingKept: Kept = { exists: false, save: async () => {} };

/** `COUNT-HASH`: what the kept copy holds, and what made it. */
function keptCopyName(count: number): string {
  const hash = createHash("sha256");
  for (const file of ["kpi-bench-data.ts", "kpi-bench-load.ts"])
    hash.update(readFileSync(path.join(import.meta.dirname, file)));
  return `${count}_${hash.digest("hex").slice(0, 10)}`;
}

function sqliteFile(keep: string | null) {
  const dir = mkdtempSync(path.join(tmpdir(), "tandem-bench-"));
  const file = path.join(dir, "bench.db");
  let kept = nothingKept;
  if (keep) {
    const keptDir = path.resolve(process.env.BENCH_KEEP as string);
    const copy = path.join(keptDir, `sqlite-${keep}.db`);
    const exists = existsSync(copy);
    if (exists) copyFileSync(copy, file);
    kept = {
      exists,
      save: async () => {
        mkdirSync(keptDir, { recursive: true });
        copyFileSync(file, `${copy}.partial`);
        renameSync(`${copy}.partial`, copy);
      },
    };
  }
  return { url: `file:${file}`, drop: async () => rmSync(dir, { recursive: true, force: true }), kept };
}

async function postgresDatabase(keep: string | null) {
  const adminUrl = benchPostgresUrl();
  if (!adminUrl) throw new Error("set BENCH_POSTGRES_URL or TEST_POSTGRES_URL");
  const name = `tandem_bench_${process.pid}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const exists =
    keep !== null && (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [keep])).rowCount === 1;
  await admin.query(exists ? `CREATE DATABASE "${name}" TEMPLATE "${keep}"` : `CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
    kept: keep
      ? {
          exists,
          save: async () => {
            await admin.query(`DROP DATABASE IF EXISTS "${keep}"`);
            await admin.query(`CREATE DATABASE "${keep}" TEMPLATE "${name}"`);
          },
        }
      : nothingKept,
  };
}
