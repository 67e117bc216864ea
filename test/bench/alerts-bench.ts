// `npm run bench -- alerts [--facts N] [--rules N]`: alert rule evaluation after an import,
// on N generated facts (1,000,000 by default), with 200 rules (thresholds, changes against
// the previous period and a year earlier, status, minimum volumes; week, month and quarter,
// running and complete), next to one cold snapshot (every built-in metric, September,
// straight from the facts) in the same run. Evaluation goes through the server's own
// wiring (alertRunDeps: the measure cache, the claims, a fake messenger):
//  - first: the rules' first evaluation on an empty cache (many fire: each firing also
//    builds its trend and biggest mover, and posts);
//  - after an import: 1,000 facts written into the running month (the cache forgets what
//    they change), then every rule evaluated again, as an import's "facts changed" does;
//  - unchanged: once more with nothing written (the hourly tick).
// SQLite, and PostgreSQL when BENCH_POSTGRES_URL or TEST_POSTGRES_URL is set.
import { parseAlertRule } from "../../src/core/alerts/parse-alert-rule.ts";
import { runAlerts } from "../../src/core/alerts/run-alerts.ts";
import { buildCatalog } from "../../src/core/kpi/catalog.ts";
import { computeSnapshot } from "../../src/core/kpi/engine.ts";
import { periodOf } from "../../src/core/kpi/periods.ts";
import { createLogger } from "../../src/core/logger.ts";
import { alertRunDeps } from "../../src/main/alert-job.ts";
import { createAlertRuleStore } from "../../src/store/alert-rules.ts";
import { openDatabase } from "../../src/store/database.ts";
import { createSqlFactStats } from "../../src/store/kpi-measures.ts";
import { createKpiSettingsSource } from "../../src/store/kpi-settings.ts";
import { createFakeMessenger } from "../fakes/fake-messenger.ts";
import { type BenchDatabase, benchDialects, withBenchDatabase } from "./bench-databases.ts";
import { countOption, loadAverage } from "./bench-options.ts";
import { generateBenchFacts } from "./kpi-bench-data.ts";

const FACTS = countOption("facts", 1_000_000);
const RULES = countOption("rules", 200);
const IMPORTED = 1_000;
/** Inside the data (which ends on 1 Oct 2026): the running week, month and quarter hold facts. */
const NOW = new Date(Date.UTC(2026, 8, 23, 12));
const SNAPSHOT_RUNS = 3;

const METRICS = [
  "leads",
  "mqls",
  "deals_won",
  "new_revenue",
  "cac",
  "win_rate",
  "mql_to_sql_rate",
  "mrr",
  "cpl",
  "nps",
];
const WINDOWS = ["", " this week", " last week", " last month", " this quarter"];

/** RULES distinct rules of every kind, each one the grammar accepts. */
function ruleTexts(catalog: ReturnType<typeof buildCatalog>): string[] {
  const kinds = [
    (m: string, i: number) => `${m} above ${(i + 1) * 37}`,
    (m: string, i: number) => `${m} below ${(i + 1) * 53}`,
    (m: string, i: number) => `${m} drops ${5 + (i % 30)}%`,
    (m: string, i: number) => `${m} rises ${5 + (i % 30)}%`,
    (m: string, i: number) => `${m} drops ${5 + (i % 30)}% vs last year`,
    (m: string) => `${m} off track`,
    (m: string, i: number) => `${m} below ${(i + 1) * 11} when leads ≥ ${50 + i}`,
  ];
  const texts = new Set<string>();
  for (let i = 0; texts.size < RULES && i < RULES * 10; i++) {
    const metric = METRICS[i % METRICS.length] as string;
    const kind = kinds[i % kinds.length] as (m: string, i: number) => string;
    const text = `${kind(metric, i)}${WINDOWS[Math.floor(i / kinds.length) % WINDOWS.length]}`;
    try {
      parseAlertRule(text, catalog);
      texts.add(text);
    } catch {
      // a combination the grammar refuses (a window where the rule already names one)
    }
  }
  return [...texts];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await work();
  return { ms: performance.now() - t0, value };
}

type Row = { dialect: string; what: string; ms: number; note: string };

async function benchDialect({ dialect, url, workspaceId }: BenchDatabase): Promise<Row[]> {
  const db = await openDatabase(url, { migrate: false });
  try {
    const logger = createLogger("warn");
    const clock = { now: () => NOW };
    const settings = await createKpiSettingsSource(db.prisma).load(workspaceId);
    const catalog = buildCatalog(settings);
    const store = createAlertRuleStore(db);
    const texts = ruleTexts(catalog);
    for (const [i, rule] of texts.entries())
      await store.add({
        workspaceId,
        platform: "slack",
        channelId: `C${i % 10}`,
        rule,
        createdBy: "U1",
        source: "chat",
      });

    const sql = createSqlFactStats(db);
    const metricKeys = catalog.all.map((def) => def.key);
    const period = periodOf("month", Date.UTC(2026, 8, 15), "UTC");
    const snapshots: number[] = [];
    for (let run = 0; run < SNAPSHOT_RUNS; run++)
      snapshots.push(
        (await timed(() => computeSnapshot({ stats: sql, settings, catalog }, { workspaceId, period, metricKeys }))).ms,
      );
    const snapshot = median(snapshots);

    const messenger = createFakeMessenger();
    const deps = alertRunDeps({ db, clock, logger }, { messenger, worker: "bench" });
    const evaluate = async () => {
      const { ms, value } = await timed(() => runAlerts(deps, { workspaceId }));
      await (deps.stats as { settled?: () => Promise<void> }).settled?.();
      const fired = value.filter((report) => report.outcome === "posted").length;
      const rearmed = value.filter((report) => report.outcome === "rearmed").length;
      return { ms, note: `${fired} posted, ${rearmed} re-armed` };
    };
    const first = await evaluate();
    const start = Date.UTC(2026, 8, 1);
    await db.prisma.fact.createMany({
      data: Array.from({ length: IMPORTED }, (_, i) => ({
        workspaceId,
        kind: i % 5 === 0 ? "won" : "lead",
        occurredMs: BigInt(start + ((i * 7_919_000) % (NOW.getTime() - start))),
        entityId: `imported-${i}`,
        value: i % 5 === 0 ? 1_000 + i : null,
        channel: "webinar",
        segment: i % 5 === 0 ? "new" : null,
      })),
    });
    const afterImport = await evaluate();
    const unchanged = await evaluate();
    const ratio = (ms: number) => `${(ms / snapshot).toFixed(2)}× the snapshot`;
    return [
      { dialect, what: "one cold snapshot (37 metrics, a month)", ms: snapshot, note: `median of ${SNAPSHOT_RUNS}` },
      {
        dialect,
        what: `${texts.length} rules, first (empty cache)`,
        ms: first.ms,
        note: `${ratio(first.ms)}; ${first.note}`,
      },
      {
        dialect,
        what: `${texts.length} rules after importing ${IMPORTED.toLocaleString("en")} facts`,
        ms: afterImport.ms,
        note: `${ratio(afterImport.ms)}; ${afterImport.note}`,
      },
      { dialect, what: `${texts.length} rules, nothing changed`, ms: unchanged.ms, note: ratio(unchanged.ms) },
    ];
  } finally {
    await db.close();
  }
}

export async function run(): Promise<void> {
  const started = performance.now();
  const facts = generateBenchFacts(FACTS);
  console.log(`${facts.count.toLocaleString("en")} facts, ${RULES} rules; load average ${loadAverage()}`);
  const dialects = benchDialects();
  const rows: Row[] = [];
  for (const dialect of dialects) rows.push(...(await withBenchDatabase(dialect, facts, benchDialect)));
  const cells = rows.map((row) => [row.dialect, row.what, `${row.ms.toFixed(0)} ms`, row.note]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...cells.map((cell) => (cell[i] ?? "").length)));
  for (const cell of cells)
    console.log(
      cell.map((text, i) => (i === 2 ? text.padStart(widths[i] ?? 0) : text.padEnd(widths[i] ?? 0))).join("  "),
    );
  console.log(`load average now ${loadAverage()}; total ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
