// `npm run bench -- kpi [--facts N] [--runs N]`: the cold KPI snapshot (every built-in
// metric computed from the facts, nothing kept from an earlier answer) on N generated
// facts (1,000,000 by default; `--facts 10000000` for the second figure), month
// and quarter, p50 and p95 over --runs runs (default 20), on SQLite and (when
// BENCH_POSTGRES_URL or TEST_POSTGRES_URL is set) PostgreSQL, next to the floor
// (kpi-floor.ts: the least work any correct implementation must do) timed in the same
// process, interleaved. Each database is measured in a child process of its own, which
// reports its peak RSS. Target (issue 14): the snapshot within 2× of the floor at 1M.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { buildCatalog } from "../../src/core/kpi/catalog.ts";
import { computeSnapshot } from "../../src/core/kpi/engine.ts";
import { periodOf, previousPeriod } from "../../src/core/kpi/periods.ts";
import { DEFAULT_KPI_SETTINGS, type Grain, type Period } from "../../src/core/kpi/types.ts";
import { openDatabase } from "../../src/store/database.ts";
import { createSqlFactStats } from "../../src/store/kpi-measures.ts";
import { benchDialects, withBenchDatabase } from "./bench-databases.ts";
import { countOption, loadAverage } from "./bench-options.ts";
import { BENCH_KINDS, type BenchFacts, generateBenchFacts } from "./kpi-bench-data.ts";
import { type FloorPlan, type FloorResult, postgresFloor, sqliteFloor, WINDOW_KINDS } from "./kpi-floor.ts";
import { peakRss } from "./peak-rss.ts";

/** `--facts 100000` (or KPI_BENCH_FACTS) for a quick try; the figures are 1M and 10M. */
const FACT_COUNT = countOption("facts", Number(process.env.KPI_BENCH_FACTS ?? 1_000_000));
const RUNS = countOption("runs", 20);
const WARMUP = 2;
const ZONE = "UTC";
/** The month and the quarter measured: recent, so every window is full of facts. */
const ANCHOR_MS = Date.UTC(2026, 5, 15);
const GRAINS: Grain[] = ["month", "quarter"];
const self = import.meta.filename;
const root = path.resolve(import.meta.dirname, "..", "..");

type Timing = { p50: number; p95: number };
type GrainResult = { grain: Grain; first: number; snapshot: Timing; floor: Timing; touched: FloorResult };
type ChildResult = { grains: GrainResult[]; maxRssMb: number; cpuMs: number };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

function timing(times: number[]): Timing {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) };
}

function floorPlan(period: Period): FloorPlan {
  const previous = previousPeriod(period);
  const before = previousPeriod(previous);
  return {
    span: { startMs: previous.startMs, endMs: period.endMs },
    wonSpan: { startMs: before.startMs, endMs: before.endMs },
  };
}

/** What the floor must touch, counted from the generated facts themselves. */
function expectedTouches(facts: BenchFacts, plan: FloorPlan): FloorResult {
  const windowKinds = new Set<number>(WINDOW_KINDS.map((kind) => BENCH_KINDS.indexOf(kind)));
  const [won, mrr] = [BENCH_KINDS.indexOf("won"), BENCH_KINDS.indexOf("mrr")];
  const within = (ms: number, w: { startMs: number; endMs: number }) => ms >= w.startMs && ms < w.endMs;
  const mrrEntities = new Set<string>();
  let inSpan = 0;
  let wonFacts = 0;
  for (let i = 0; i < facts.count; i++) {
    const [kind, ms] = [facts.kind[i] as number, facts.occurredMs[i] as number];
    if (windowKinds.has(kind) && within(ms, plan.span)) inSpan++;
    if (kind === won && within(ms, plan.wonSpan)) wonFacts++;
    const entity = facts.entityId[i];
    if (kind === mrr && entity) mrrEntities.add(entity);
  }
  return { facts: inSpan, wonFacts, mrrEntities: mrrEntities.size };
}

/** In the child: floor and snapshot interleaved, so a noisy neighbour slows both alike. */
async function measure(dialect: string, url: string, workspaceId: number): Promise<ChildResult> {
  const peak = peakRss();
  const db = await openDatabase(url, { migrate: false });
  const raw = dialect === "sqlite" ? new BetterSqlite3(url.slice("file:".length), { readonly: true }) : null;
  const pool = dialect === "postgres" ? new pg.Pool({ connectionString: url, max: 10 }) : null;
  const floor = raw ? sqliteFloor(raw) : postgresFloor(pool as pg.Pool);
  try {
    const stats = createSqlFactStats(db);
    const catalog = buildCatalog(DEFAULT_KPI_SETTINGS);
    const metricKeys = catalog.all.map((def) => def.key);
    const grains: GrainResult[] = [];
    for (const grain of GRAINS) {
      const period = periodOf(grain, ANCHOR_MS, ZONE);
      const plan = floorPlan(period);
      const snapshot = () =>
        computeSnapshot({ stats, settings: DEFAULT_KPI_SETTINGS, catalog }, { workspaceId, period, metricKeys });
      const started = performance.now();
      await snapshot();
      const first = performance.now() - started;
      const touched = await floor(workspaceId, plan);
      const times: Record<"floor" | "snapshot", number[]> = { floor: [], snapshot: [] };
      for (let run = 0; run < WARMUP + RUNS; run++) {
        for (const [name, subject] of [
          ["floor", () => floor(workspaceId, plan)],
          ["snapshot", snapshot],
        ] as const) {
          const at = performance.now();
          await subject();
          if (run >= WARMUP) times[name].push(performance.now() - at);
        }
      }
      grains.push({ grain, first, snapshot: timing(times.snapshot), floor: timing(times.floor), touched });
    }
    const usage = process.resourceUsage();
    return {
      grains,
      maxRssMb: peak(),
      cpuMs: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000),
    };
  } finally {
    raw?.close();
    await pool?.end();
    await db.close();
  }
}

function runChild(dialect: string, url: string, workspaceId: number): ChildResult {
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", self, "child", dialect, url, String(workspaceId), "--runs", String(RUNS)],
    { cwd: root, env: { ...process.env, LOG_LEVEL: "warn" }, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 },
  );
  const last = result.stdout.trim().split("\n").at(-1) ?? "";
  if (result.status !== 0 || !last.startsWith("{"))
    throw new Error(`${dialect} child failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(last) as ChildResult;
}

function checkTouches(dialect: string, result: ChildResult, expected: Map<Grain, FloorResult>): void {
  for (const r of result.grains) {
    const want = expected.get(r.grain);
    if (JSON.stringify(r.touched) !== JSON.stringify(want))
      throw new Error(
        `${dialect} ${r.grain}: the floor touched ${JSON.stringify(r.touched)}, expected ${JSON.stringify(want)}`,
      );
  }
}

function printTable(results: [string, ChildResult][]): void {
  const ms = (value: number) => value.toFixed(1);
  const header = [
    "dialect",
    "grain",
    "facts read",
    "snapshot p50",
    "p95",
    "first",
    "floor p50",
    "p95",
    "ratio p50",
    "p95",
    "peak RSS",
  ];
  const rows = results.flatMap(([dialect, result]) =>
    result.grains.map((r) => [
      dialect,
      r.grain,
      `${r.touched.facts.toLocaleString("en")} + ${r.touched.mrrEntities.toLocaleString("en")} mrr entities`,
      ms(r.snapshot.p50),
      ms(r.snapshot.p95),
      ms(r.first),
      ms(r.floor.p50),
      ms(r.floor.p95),
      `${(r.snapshot.p50 / r.floor.p50).toFixed(2)}×`,
      `${(r.snapshot.p95 / r.floor.p95).toFixed(2)}×`,
      `${result.maxRssMb} MB`,
    ]),
  );
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ");
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

export async function run(): Promise<void> {
  const started = performance.now();
  const facts = generateBenchFacts(FACT_COUNT);
  console.log(
    `generated ${facts.count.toLocaleString("en")} facts in ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
      `${RUNS} runs each; load average ${loadAverage()}`,
  );
  const expected = new Map(
    GRAINS.map((grain) => [grain, expectedTouches(facts, floorPlan(periodOf(grain, ANCHOR_MS, ZONE)))]),
  );
  const dialects = benchDialects();
  const results: [string, ChildResult][] = [];
  for (const dialect of dialects)
    results.push([
      dialect,
      await withBenchDatabase(dialect, facts, async ({ url, workspaceId }) => runChild(dialect, url, workspaceId)),
    ]);
  for (const [dialect, result] of results) checkTouches(dialect, result, expected);
  printTable(results);
  console.log(
    `target: cold snapshot within 2× of the floor at 1,000,000 facts; "first" is the first snapshot in a fresh process; ` +
      `peak RSS is the measuring process's; load average now ${loadAverage()}; total ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
}

if (process.argv[2] === "child" && import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [, , , dialect, url, workspaceId] = process.argv;
  console.log(JSON.stringify(await measure(dialect as string, url as string, Number(workspaceId))));
}
