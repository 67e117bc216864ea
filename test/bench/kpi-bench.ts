// `npm run bench -- kpi`: the KPI snapshot on 1,000,000 generated facts, month and
// quarter, p50 and p95 over 20 runs, on SQLite and (when BENCH_POSTGRES_URL or
// TEST_POSTGRES_URL is set) PostgreSQL, next to the floor measured in the same run.
//
// Rows: "port" replays exactly the FactStats calls computeSnapshot makes (recorded on
// a warm-up run) through createSqlFactStats; "snapshot" is computeSnapshot itself, every
// built-in metric. Targets (issue 3): within 2× of the floor, and the SQLite month
// snapshot's p95 under 150 ms.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { buildCatalog } from "../../src/core/kpi/catalog.ts";
import { computeSnapshot } from "../../src/core/kpi/engine.ts";
import { monthBefore, periodOf, previousPeriod } from "../../src/core/kpi/periods.ts";
import { DEFAULT_KPI_SETTINGS, type Grain, type Period, type Window } from "../../src/core/kpi/types.ts";
import type { FactStats } from "../../src/core/ports.ts";
import { type Database, openDatabase } from "../../src/store/database.ts";
import { createSqlFactStats } from "../../src/store/kpi-measures.ts";
import { countOption } from "./bench-options.ts";
import { type BenchFacts, generateBenchFacts } from "./kpi-bench-data.ts";
import { loadPostgres, loadSqlite } from "./kpi-bench-load.ts";
import { type FloorPlan, type FloorResult, postgresFloor, sqliteFloor } from "./kpi-floor.ts";

const RUNS = 20;
/** `--facts 100000` (or KPI_BENCH_FACTS) for a quick try; the issue's figures are 1M and 10M. */
const FACT_COUNT = countOption("facts", Number(process.env.KPI_BENCH_FACTS ?? 1_000_000));
const WARMUP = 2;
const ZONE = "UTC";
/** The month and the quarter measured: recent, so every window is full of facts. */
const ANCHOR_MS = Date.UTC(2026, 5, 15);
const GRAINS: Grain[] = ["month", "quarter"];

type Call = { kind: "measures"; window: Window } | { kind: "recurring"; startMs: number; endMs: number };
type Result = {
  dialect: string;
  grain: Grain;
  subject: string;
  p50: number;
  p95: number;
  floorP50: number;
  floorP95: number;
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

/** The port calls one snapshot makes, recorded from computeSnapshot itself. */
async function recordCalls(stats: FactStats, workspaceId: number, period: Period): Promise<Call[]> {
  const calls: Call[] = [];
  const recorder: FactStats = {
    measures: (id, window) => {
      calls.push({ kind: "measures", window });
      return stats.measures(id, window);
    },
    recurring: (id, startMs, endMs) => {
      calls.push({ kind: "recurring", startMs, endMs });
      return stats.recurring(id, startMs, endMs);
    },
  };
  const catalog = buildCatalog(DEFAULT_KPI_SETTINGS);
  await computeSnapshot(
    { stats: recorder, settings: DEFAULT_KPI_SETTINGS, catalog },
    { workspaceId, period, metricKeys: catalog.all.map((def) => def.key) },
  );
  return calls;
}

/** What the floor computes for the same snapshot numbers. */
function floorPlan(period: Period): FloorPlan {
  const previous = previousPeriod(period);
  const window = (p: Period) => ({ startMs: p.startMs, endMs: p.endMs });
  return {
    windows: [window(period), window(previous)],
    revenueWindows: [window(previousPeriod(previous))],
    recurring: [
      window(period),
      window(previous),
      { startMs: monthBefore(period.endMs, ZONE), endMs: period.endMs },
      { startMs: monthBefore(previous.endMs, ZONE), endMs: previous.endMs },
    ],
    mrrAt: [previous.startMs],
  };
}

const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** The floor must compute the same numbers as the port, or its times mean nothing. */
async function checkFloor(stats: FactStats, workspaceId: number, plan: FloorPlan, floor: FloorResult) {
  const problems: string[] = [];
  const compare = (what: string, a: unknown, b: unknown) => {
    if (typeof a === "number" && typeof b === "number") {
      if (!near(a, b)) problems.push(`${what}: port ${a}, floor ${b}`);
    } else if (a && b && typeof a === "object" && typeof b === "object") {
      for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
        compare(`${what}.${key}`, (a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]);
    } else if (a !== b) problems.push(`${what}: port ${String(a)}, floor ${String(b)}`);
  };
  for (const [i, window] of plan.windows.entries())
    compare(`measures[${i}]`, await stats.measures(workspaceId, window), floor.measures[i]);
  for (const [i, window] of plan.revenueWindows.entries())
    compare(`revenue[${i}]`, (await stats.measures(workspaceId, window)).newRevenue, floor.revenue[i]);
  for (const [i, pair] of plan.recurring.entries())
    compare(`recurring[${i}]`, await stats.recurring(workspaceId, pair.startMs, pair.endMs), floor.recurring[i]);
  for (const [i, ms] of plan.mrrAt.entries())
    compare(`mrrAt[${i}]`, (await stats.recurring(workspaceId, ms, ms)).mrrAtEnd, floor.mrrAt[i]);
  if (problems.length > 0) throw new Error(`floor and port disagree:\n${problems.join("\n")}`);
}

async function measureDialect(
  dialect: string,
  db: Database,
  workspaceId: number,
  floor: (workspaceId: number, plan: FloorPlan) => Promise<FloorResult>,
): Promise<Result[]> {
  const stats = createSqlFactStats(db);
  const catalog = buildCatalog(DEFAULT_KPI_SETTINGS);
  const metricKeys = catalog.all.map((def) => def.key);
  const results: Result[] = [];
  for (const grain of GRAINS) {
    const period = periodOf(grain, ANCHOR_MS, ZONE);
    const plan = floorPlan(period);
    const calls = await recordCalls(stats, workspaceId, period);
    await checkFloor(stats, workspaceId, plan, await floor(workspaceId, plan));

    const subjects: Record<string, () => Promise<unknown>> = {
      floor: () => floor(workspaceId, plan),
      port: () =>
        Promise.all(
          calls.map((call) =>
            call.kind === "measures"
              ? stats.measures(workspaceId, call.window)
              : stats.recurring(workspaceId, call.startMs, call.endMs),
          ),
        ),
      snapshot: () =>
        computeSnapshot({ stats, settings: DEFAULT_KPI_SETTINGS, catalog }, { workspaceId, period, metricKeys }),
    };
    const times: Record<string, number[]> = { floor: [], port: [], snapshot: [] };
    // Interleaved, so a noisy neighbour slows all three alike.
    for (let run = 0; run < WARMUP + RUNS; run++) {
      for (const [name, subject] of Object.entries(subjects)) {
        const started = performance.now();
        await subject();
        if (run >= WARMUP) times[name]?.push(performance.now() - started);
      }
    }
    const sorted = Object.fromEntries(Object.entries(times).map(([name, list]) => [name, list.sort((a, b) => a - b)]));
    const floorTimes = sorted.floor ?? [];
    for (const subject of ["port", "snapshot"]) {
      const list = sorted[subject] ?? [];
      results.push({
        dialect,
        grain,
        subject: `${subject} (${subject === "port" ? `${calls.length} calls` : `${metricKeys.length} metrics`})`,
        p50: percentile(list, 0.5),
        p95: percentile(list, 0.95),
        floorP50: percentile(floorTimes, 0.5),
        floorP95: percentile(floorTimes, 0.95),
      });
    }
  }
  return results;
}

async function benchSqlite(facts: BenchFacts): Promise<Result[]> {
  const dir = mkdtempSync(path.join(tmpdir(), "tandem-kpi-bench-"));
  const file = path.join(dir, "bench.db");
  try {
    const setup = await openDatabase(`file:${file}`);
    const workspace = await setup.prisma.workspace.create({ data: { platform: "local", externalId: "bench" } });
    await setup.close();
    const started = performance.now();
    loadSqlite(file, workspace.id, facts);
    console.log(`sqlite: loaded ${facts.count} facts in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const db = await openDatabase(`file:${file}`, { migrate: false });
    const raw = new BetterSqlite3(file, { readonly: true });
    try {
      return await measureDialect("sqlite", db, workspace.id, sqliteFloor(raw));
    } finally {
      raw.close();
      await db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchPostgres(adminUrl: string, facts: BenchFacts): Promise<Result[]> {
  const name = `tandem_bench_${process.pid}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    const setup = await openDatabase(url.toString());
    const workspace = await setup.prisma.workspace.create({ data: { platform: "local", externalId: "bench" } });
    await setup.close();
    const started = performance.now();
    await loadPostgres(url.toString(), workspace.id, facts);
    console.log(`postgres: loaded ${facts.count} facts in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const db = await openDatabase(url.toString(), { migrate: false });
    const pool = new pg.Pool({ connectionString: url.toString(), max: 10 });
    try {
      return await measureDialect("postgres", db, workspace.id, postgresFloor(pool));
    } finally {
      await pool.end();
      await db.close();
    }
  } finally {
    // Prisma's pool closes its connections after $disconnect returns; dropping the
    // database under them would kill them mid-close and crash the process.
    for (let wait = 0; wait < 50; wait++) {
      const open = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1", [name]);
      if (open.rows[0]?.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

function printTable(results: Result[]): void {
  const ms = (value: number) => value.toFixed(1);
  const header = [
    "dialect",
    "grain",
    "measured",
    "p50 ms",
    "p95 ms",
    "floor p50",
    "floor p95",
    "ratio p50",
    "ratio p95",
  ];
  const rows = results.map((r) => [
    r.dialect,
    r.grain,
    r.subject,
    ms(r.p50),
    ms(r.p95),
    ms(r.floorP50),
    ms(r.floorP95),
    `${(r.p50 / r.floorP50).toFixed(2)}×`,
    `${(r.p95 / r.floorP95).toFixed(2)}×`,
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ");
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

export async function run(): Promise<void> {
  const started = performance.now();
  const facts = generateBenchFacts(FACT_COUNT);
  console.log(
    `generated ${facts.count} facts in ${((performance.now() - started) / 1000).toFixed(1)} s; load average ${loadavg()
      .map((n) => n.toFixed(1))
      .join(" ")}`,
  );
  const results = await benchSqlite(facts);
  const pgUrl = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL;
  if (pgUrl) results.push(...(await benchPostgres(pgUrl, facts)));
  else console.log("postgres: skipped (set BENCH_POSTGRES_URL or TEST_POSTGRES_URL)");
  printTable(results);
  const month = results.find((r) => r.dialect === "sqlite" && r.grain === "month" && r.subject.startsWith("snapshot"));
  console.log(
    `targets: ratio ≤ 2×; sqlite month snapshot p95 ${month ? month.p95.toFixed(1) : "?"} ms (target < 150 ms); ` +
      `load average now ${loadavg()
        .map((n) => n.toFixed(1))
        .join(" ")}; total ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
}
