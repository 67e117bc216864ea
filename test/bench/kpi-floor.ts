// The floor for the KPI benchmark: the fastest hand-written SQL we found for the
// numbers one snapshot shows, run straight on the drivers (better-sqlite3, pg).
// Unlike the FactStats port it knows the whole snapshot at once, so it reads the
// recurring revenue at every needed instant in one pass, and of the period before the
// previous one it reads only the won values (all the previous period's growth needs).
import type BetterSqlite3 from "better-sqlite3";
import type pg from "pg";
import type { Measures, RecurringMeasures, Window } from "../../src/core/kpi/types.ts";
import { assembleMeasures } from "../../src/store/kpi-measures.ts";

export type FloorPlan = {
  /** full measures for these windows (the period and the one before) */
  windows: Window[];
  /** new revenue only (growth of the previous period) */
  revenueWindows: Window[];
  /** recurring measures for these [start, end) pairs (period, previous, churn windows) */
  recurring: { startMs: number; endMs: number }[];
  /** mrr at these instants (the previous period's previous mrr) */
  mrrAt: number[];
};

export type FloorResult = {
  measures: Measures[];
  revenue: number[];
  recurring: RecurringMeasures[];
  mrrAt: number[];
};

const DAY_MS = 86_400_000;

const TOTALS = `
SELECT
  COUNT(DISTINCT CASE WHEN kind = 'mql' THEN entity_id END) AS mqls,
  COUNT(DISTINCT CASE WHEN kind = 'sql' THEN entity_id END) AS sqls,
  COUNT(DISTINCT CASE WHEN kind = 'opportunity' THEN entity_id END) AS opportunities,
  SUM(CASE WHEN kind = 'lost' THEN 1 ELSE 0 END) AS deals_lost,
  COUNT(DISTINCT CASE WHEN kind = 'won' AND COALESCE(segment, 'new') = 'new' THEN entity_id END) AS new_customers,
  SUM(CASE WHEN kind = 'nps' AND value >= 9 THEN 1 ELSE 0 END) AS nps_promoters,
  SUM(CASE WHEN kind = 'nps' AND value <= 6 THEN 1 ELSE 0 END) AS nps_detractors,
  SUM(CASE WHEN kind = 'nps' THEN 1 ELSE 0 END) AS nps_answers,
  SUM(CASE WHEN kind = 'csat' THEN value END) AS csat_sum,
  SUM(CASE WHEN kind = 'csat' THEN 1 ELSE 0 END) AS csat_count
FROM facts
WHERE workspace_id = ? AND kind IN ('mql', 'sql', 'opportunity', 'won', 'lost', 'nps', 'csat')
  AND occurred_ms >= ? AND occurred_ms < ?`;

// Leads, won deals and spend as labelled rows of one statement.
const BREAKDOWNS = `
WITH window_leads AS MATERIALIZED (
  SELECT id, entity_id, channel, occurred_ms FROM facts
  WHERE workspace_id = ? AND kind = 'lead' AND occurred_ms >= ? AND occurred_ms < ?
),
first_leads AS (
  SELECT channel, ROW_NUMBER() OVER (PARTITION BY entity_id ORDER BY occurred_ms, id) AS rank FROM window_leads
),
won AS MATERIALIZED (
  SELECT w.value, w.occurred_ms, COALESCE(w.segment, 'new') = 'new' AS is_new,
    COALESCE((SELECT l.channel FROM facts l WHERE l.workspace_id = w.workspace_id AND l.kind = 'lead'
              AND l.entity_id = w.entity_id ORDER BY l.occurred_ms, l.id LIMIT 1), w.channel, 'unknown') AS label,
    (SELECT MIN(l.occurred_ms) FROM facts l WHERE l.workspace_id = w.workspace_id AND l.kind = 'lead'
      AND l.entity_id = w.entity_id) AS first_lead_ms
  FROM facts w WHERE w.workspace_id = ? AND w.kind = 'won' AND w.occurred_ms >= ? AND w.occurred_ms < ?
)
SELECT 'lead' AS part, COALESCE(channel, 'unknown') AS label, COUNT(*) AS a, 0 AS b, 0 AS c, 0 AS d
  FROM first_leads WHERE rank = 1 GROUP BY COALESCE(channel, 'unknown')
UNION ALL
SELECT 'won', label, COUNT(*), SUM(value),
  SUM(CASE WHEN is_new AND first_lead_ms IS NOT NULL THEN CAST(occurred_ms - first_lead_ms AS DOUBLE PRECISION) / ${DAY_MS} END),
  SUM(CASE WHEN is_new AND first_lead_ms IS NOT NULL THEN 1 ELSE 0 END)
  FROM won GROUP BY label
UNION ALL
SELECT department, COALESCE(channel, 'unknown'), SUM(value), 0, 0, 0 FROM facts
  WHERE workspace_id = ? AND kind = 'spend' AND occurred_ms >= ? AND occurred_ms < ? AND department IN ('marketing', 'sales')
  GROUP BY department, COALESCE(channel, 'unknown')
UNION ALL
SELECT 'collaboration', COALESCE(r.department, 'unknown'), SUM(r.value), COUNT(*), 0, 0
  FROM pulses p JOIN pulse_questions q ON q.pulse_id = p.id JOIN pulse_responses r ON r.question_id = q.id
  WHERE p.workspace_id = ? AND p.status = 'closed' AND p.closed_ms >= ? AND p.closed_ms < ?
    AND q.tag = 'collaboration' AND r.value IS NOT NULL
  GROUP BY COALESCE(r.department, 'unknown')
UNION ALL
SELECT 'participation', '', SUM(p.asked_count),
  SUM((SELECT COUNT(DISTINCT r.respondent_key) FROM pulse_responses r WHERE r.pulse_id = p.id)), 0, 0
  FROM pulses p WHERE p.workspace_id = ? AND p.status = 'closed' AND p.closed_ms >= ? AND p.closed_ms < ?`;

const REVENUE = `SELECT SUM(value) AS revenue FROM facts
WHERE workspace_id = ? AND kind = 'won' AND occurred_ms >= ? AND occurred_ms < ?`;

/** The latest mrr value before each instant, per entity, then every total from those columns. */
function recurringSql(dialect: "sqlite" | "postgres", instants: number[], pairs: [number, number][]): string {
  const totals = [
    ...instants.map((_, i) => `SUM(v${i}) AS mrr${i}, SUM(CASE WHEN v${i} > 0 THEN 1 ELSE 0 END) AS active${i}`),
    ...pairs.map(([a, b]) => `SUM(CASE WHEN v${a} > 0 AND v${b} > 0 THEN 1 ELSE 0 END) AS kept${a}_${b}`),
  ];
  if (dialect === "postgres") {
    // One grouped pass; the greatest [occurred_ms, id, value] is the latest fact.
    const latest = instants.map(
      (_, i) => `(MAX(ARRAY[occurred_ms::float8, id::float8, value]) FILTER (WHERE occurred_ms < ?))[3] AS v${i}`,
    );
    return `
WITH latest AS (
  SELECT ${latest.join(", ")} FROM facts
  WHERE workspace_id = ? AND kind = 'mrr' AND occurred_ms < ? GROUP BY entity_id
)
SELECT ${totals.join(", ")} FROM latest`;
  }
  // A loose index scan over the mrr entities: per entity and instant the id of the
  // latest fact from the index alone, then the row.
  const ids = instants.map(
    (_, i) => `(SELECT f.id FROM facts f WHERE f.workspace_id = ? AND f.kind = 'mrr' AND f.entity_id = e.entity_id
       AND f.occurred_ms < ? ORDER BY f.occurred_ms DESC, f.id DESC LIMIT 1) AS id${i}`,
  );
  const values = instants.map((_, i) => `f${i}.value AS v${i}`);
  const joins = instants.map((_, i) => `LEFT JOIN facts f${i} ON f${i}.id = ids.id${i}`);
  return `
WITH RECURSIVE entities(entity_id) AS (
  SELECT MIN(entity_id) FROM facts WHERE workspace_id = ? AND kind = 'mrr'
  UNION ALL
  SELECT (SELECT MIN(f.entity_id) FROM facts f WHERE f.workspace_id = ? AND f.kind = 'mrr' AND f.entity_id > entities.entity_id)
  FROM entities WHERE entities.entity_id IS NOT NULL
),
ids AS MATERIALIZED (SELECT ${ids.join(", ")} FROM entities e WHERE e.entity_id IS NOT NULL),
latest AS (SELECT ${values.join(", ")} FROM ids ${joins.join(" ")})
SELECT ${totals.join(", ")} FROM latest`;
}

function recurringParams(dialect: "sqlite" | "postgres", workspaceId: number, instants: number[]): unknown[] {
  if (dialect === "postgres") return [...instants, workspaceId, instants[instants.length - 1]];
  return [workspaceId, workspaceId, ...instants.flatMap((ms) => [workspaceId, ms])];
}

type Row = Record<string, unknown>;
type Runner = (sql: string, params: unknown[]) => Promise<Row[]>;
const num = (raw: unknown) => (raw === null || raw === undefined ? 0 : Number(raw));

async function floor(
  dialect: "sqlite" | "postgres",
  run: Runner,
  workspaceId: number,
  plan: FloorPlan,
): Promise<FloorResult> {
  const instants = [...new Set([...plan.recurring.flatMap((p) => [p.startMs, p.endMs]), ...plan.mrrAt])].sort(
    (a, b) => a - b,
  );
  const at = (ms: number) => instants.indexOf(ms);
  const pairs = plan.recurring.map((p): [number, number] => [at(p.startMs), at(p.endMs)]);

  const [windowRows, revenueRows, [recurringRow = {}]] = await Promise.all([
    Promise.all(
      plan.windows.map((w) => {
        const span = [workspaceId, w.startMs, w.endMs];
        return Promise.all([run(TOTALS, span), run(BREAKDOWNS, [...span, ...span, ...span, ...span, ...span])]);
      }),
    ),
    Promise.all(plan.revenueWindows.map((w) => run(REVENUE, [workspaceId, w.startMs, w.endMs]))),
    run(recurringSql(dialect, instants, pairs), recurringParams(dialect, workspaceId, instants)),
  ]);
  return {
    measures: windowRows.map(([[totals = {}], rows]) => assembleMeasures(totals, rows)),
    revenue: revenueRows.map(([row = {}]) => num(row.revenue)),
    recurring: pairs.map(([a, b]) => ({
      mrrAtEnd: num(recurringRow[`mrr${b}`]),
      activeAtStart: num(recurringRow[`active${a}`]),
      activeAtEnd: num(recurringRow[`active${b}`]),
      retained: num(recurringRow[`kept${a}_${b}`]),
    })),
    mrrAt: plan.mrrAt.map((ms) => num(recurringRow[`mrr${at(ms)}`])),
  };
}

export function sqliteFloor(db: BetterSqlite3.Database) {
  const cache = new Map<string, BetterSqlite3.Statement>();
  const run: Runner = async (sql, params) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement.all(...params) as Row[];
  };
  return (workspaceId: number, plan: FloorPlan) => floor("sqlite", run, workspaceId, plan);
}

export function postgresFloor(pool: pg.Pool) {
  const run: Runner = async (sql, params) => {
    let n = 0;
    const text = sql.replace(/\?/g, () => `$${++n}`);
    return (await pool.query({ text, values: params })).rows;
  };
  return (workspaceId: number, plan: FloorPlan) => floor("postgres", run, workspaceId, plan);
}
