// `npm run bench -- import`: CSV import throughput for 1,000,000 facts next to the
// floor measured in the same run: the same rows inserted by plain better-sqlite3
// prepared statements in one transaction, the fact chains relinked once at its end. Target: at least half the floor's rows per
// second, peak memory under 300 MB.
//
// Each measurement runs in a child process of its own (a fresh SQLite database, a
// clean heap, its own max RSS from process.resourceUsage()):
// - import: `tandem import FILE` exactly as the CLI runs it (runCli);
// - prisma: the same pipeline with the Prisma sink instead of the driver, for the record;
// - floor:  the rows parsed up front (not timed), then only the inserts are timed.
import { spawnSync } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const HEADER = "occurred_at,kind,entity_id,value,channel,department,segment,external_id";
const KINDS = [
  ["lead", 30],
  ["mql", 14],
  ["sql", 8],
  ["opportunity", 6],
  ["won", 4],
  ["lost", 3],
  ["spend", 5],
  ["mrr", 12],
  ["nps", 10],
  ["csat", 8],
] as const;
const CHANNELS = ["paid_search", "webinar", "outbound", "organic", "referral", "events", "Paid_Social"];
const DEPARTMENTS = ["marketing", "sales"];

/** A deterministic pseudo-random generator (mulberry32), so every run imports the same file. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function csvLine(i: number, next: () => number): string {
  let pick = next() * 100;
  let kind: string = KINDS[0][0];
  for (const [name, weight] of KINDS) {
    if (pick < weight) {
      kind = name;
      break;
    }
    pick -= weight;
  }
  const at = Date.UTC(2025, 0, 1) + Math.floor(next() * 365 * 86_400_000);
  // one in ten a bare date (local midnight in the workspace zone), the rest instants
  const occurred = i % 10 === 0 ? new Date(at).toISOString().slice(0, 10) : new Date(at).toISOString();
  const entity = kind === "spend" ? "" : `cust-${Math.floor(next() * 200_000)}`;
  let value = "";
  if (kind === "won") value = (500 + Math.floor(next() * 20_000)).toString();
  else if (kind === "spend") value = (next() * 5000).toFixed(2);
  else if (kind === "mrr") value = (next() < 0.05 ? 0 : 50 + Math.floor(next() * 900)).toString();
  else if (kind === "nps") value = Math.floor(next() * 11).toString();
  else if (kind === "csat") value = (1 + Math.floor(next() * 5)).toString();
  const channel = kind === "nps" || kind === "csat" ? "" : (CHANNELS[Math.floor(next() * CHANNELS.length)] as string);
  const department = kind === "spend" ? (DEPARTMENTS[i % 2] as string) : "";
  const segment = kind === "won" ? (["new", "new", "upsell", "cross_sell"][i % 4] as string) : "";
  // about half carry an idempotency key; a few of those repeat an earlier one
  const external = i % 2 === 0 ? `src-${i % 1000 === 500 ? i - 500 : i}` : "";
  // a sprinkle of quoting, as spreadsheets write it
  const quotedEntity = i % 97 === 0 && entity !== "" ? `"${entity}"` : entity;
  return `${occurred},${kind},${quotedEntity},${value},${channel},${department},${segment},${external}\n`;
}

export async function writeCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  const next = random(42);
  out.write(`${HEADER}\n`);
  let buffer = "";
  for (let i = 0; i < rows; i++) {
    buffer += csvLine(i, next);
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
      buffer = "";
    }
  }
  out.write(buffer);
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

type ChildResult = {
  rows: number;
  ms: number;
  cpuMs: number;
  maxRssMb: number;
  inserted?: number;
  duplicates?: number;
};

const self = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(self), "..", "..");

function runChild(mode: "import" | "prisma" | "floor", csv: string, dbFile: string): ChildResult {
  const result = spawnSync(process.execPath, ["--import", "tsx", self, "child", mode, csv, dbFile], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: `file:${dbFile}`, LOG_LEVEL: "warn", TANDEM_TIMEZONE: "America/New_York" },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const last = result.stdout.trim().split("\n").at(-1) ?? "";
  if (result.status !== 0 || !last.startsWith("{"))
    throw new Error(`${mode} child failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(last) as ChildResult;
}

async function child(mode: string, csv: string, dbFile: string): Promise<void> {
  const { openDatabase } = await import("../../src/store/database.ts");
  const { ensureDefaultWorkspace } = await import("../../src/store/workspaces.ts");
  // CPU time (user + system) next to wall time: on a busy machine wall time swings with
  // whatever else runs, CPU time much less.
  const cpuMs = () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  };
  let cpuStart = 0;
  const report = (rows: number, ms: number, extra: object = {}) => {
    const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    console.log(JSON.stringify({ rows, ms, cpuMs: cpuMs() - cpuStart, maxRssMb, ...extra }));
  };

  if (mode === "import") {
    const { runCli } = await import("../../src/main/cli.ts");
    const lines: string[] = [];
    cpuStart = cpuMs();
    const started = performance.now();
    const code = await runCli(["import", csv], { out: (text) => lines.push(text), err: (text) => lines.push(text) });
    const ms = performance.now() - started;
    const counts = /inserted (\d+), duplicates (\d+), rejected (\d+)/.exec(lines.join("\n"));
    if (code !== 0 || !counts) throw new Error(`import failed (${code}): ${lines.join("\n")}`);
    report(Number(counts[1]) + Number(counts[2]) + Number(counts[3]), ms, {
      inserted: Number(counts[1]),
      duplicates: Number(counts[2]),
    });
    return;
  }

  const db = await openDatabase(`file:${dbFile}`);
  const workspace = await ensureDefaultWorkspace(db.prisma, "America/New_York");
  if (mode === "prisma") {
    const { createReadStream } = await import("node:fs");
    const { importFacts } = await import("../../src/core/facts/import-facts.ts");
    const { readFacts } = await import("../../src/core/facts/read-facts.ts");
    const { createFactSink } = await import("../../src/store/fact-repository.ts");
    cpuStart = cpuMs();
    const started = performance.now();
    const result = await importFacts(
      readFacts(createReadStream(csv, { highWaterMark: 256 * 1024 }), { name: csv }),
      { sink: createFactSink(db, workspace.id, { origin: "import", via: "prisma" }), zone: workspace.timezone },
      { skipInvalid: false },
    );
    const ms = performance.now() - started;
    await db.close();
    report(result.inserted + result.duplicates + result.rejected, ms, {
      inserted: result.inserted,
      duplicates: result.duplicates,
    });
    return;
  }

  // floor: parse everything first (untimed), then time only the inserts
  await db.close();
  const { parse } = await import("csv-parse/sync");
  const { parseFact } = await import("../../src/core/facts/fact.ts");
  const BetterSqlite3 = (await import("better-sqlite3")).default;
  const records = parse(readFileSync(csv), { columns: true, bom: true }) as Record<string, string>[];
  const tuples: unknown[][] = [];
  for (const record of records) {
    const parsed = parseFact(record, workspace.timezone);
    if (!parsed.ok) throw new Error(`bench data invalid: ${JSON.stringify(parsed.errors)}`);
    const f = parsed.fact;
    tuples.push([
      workspace.id,
      f.occurredMs,
      f.kind,
      f.entityId,
      f.value,
      f.channel,
      f.department,
      f.segment,
      f.externalId,
    ]);
  }
  records.length = 0;
  const connection = new BetterSqlite3(dbFile);
  connection.pragma("journal_mode = WAL");
  connection.pragma("synchronous = NORMAL");
  const statement = connection.prepare(
    "INSERT INTO facts (workspace_id, occurred_ms, kind, entity_id, value, channel, department, segment, external_id) " +
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (workspace_id, external_id) DO NOTHING",
  );
  let inserted = 0;
  cpuStart = cpuMs();
  const started = performance.now();
  // the fact chains relinked once at the end, as the import does (the least work for them)
  const { pauseFactChains } = await import("../../src/store/fact-repository.ts");
  connection.transaction(() => {
    const relinkChains = pauseFactChains(connection, workspace.id);
    for (const row of tuples) inserted += statement.run(...row).changes;
    relinkChains();
  })();
  const ms = performance.now() - started;
  connection.close();
  report(tuples.length, ms, { inserted, duplicates: tuples.length - inserted });
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "tandem-import-bench-"));
  try {
    const csv = path.join(dir, "facts.csv");
    await writeCsv(csv, ROWS);
    console.log(`${ROWS.toLocaleString("en")} rows of CSV in ${csv}`);
    const floor = runChild("floor", csv, path.join(dir, "floor.db"));
    const imported = runChild("import", csv, path.join(dir, "import.db"));
    const viaPrisma =
      process.env.BENCH_IMPORT_PRISMA === "0" ? null : runChild("prisma", csv, path.join(dir, "prisma.db"));
    const rate = (r: ChildResult) => Math.round(r.rows / (r.ms / 1000));
    const cpuRate = (r: ChildResult) => Math.round(r.rows / (r.cpuMs / 1000));
    const line = (label: string, r: ChildResult) =>
      console.log(
        `${label.padEnd(44)} ${rate(r).toLocaleString("en").padStart(9)} rows/s  ${(r.ms / 1000).toFixed(1).padStart(6)} s ` +
          `(${cpuRate(r).toLocaleString("en")} rows per CPU-second)  peak RSS ${r.maxRssMb} MB  ` +
          `(inserted ${r.inserted}, duplicates ${r.duplicates})`,
      );
    line("floor: better-sqlite3 prepared, one tx", floor);
    line("tandem import (CSV → validate → SQLite)", imported);
    if (viaPrisma) line("same pipeline, Prisma sink (for the record)", viaPrisma);
    const ratio = rate(imported) / rate(floor);
    console.log(
      `import / floor = ${ratio.toFixed(2)} (target ≥ 0.50): ${ratio >= 0.5 ? "met" : "NOT met"}; ` +
        `by CPU time ${(cpuRate(imported) / cpuRate(floor)).toFixed(2)}; ` +
        `peak memory ${imported.maxRssMb} MB (target < 300): ${imported.maxRssMb < 300 ? "met" : "NOT met"}`,
    );
    if (imported.inserted !== floor.inserted)
      console.log(`WARNING: inserted ${imported.inserted} ≠ floor ${floor.inserted}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === "child" && import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [, , , mode, csv, dbFile] = process.argv;
  await child(mode as string, csv as string, dbFile as string);
}
