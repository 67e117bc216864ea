// The floor of the KPI benchmark: a lower bound on the work any correct cold snapshot
// must do (no kept results), run straight on the drivers (better-sqlite3, pg), no ORM.
// Whatever the implementation, it has to
//   1. read every fact of the period and of the previous one (the change) of the kinds
//      the metrics count, with the columns they use: one indexed range scan per kind,
//      aggregated inside the database so not one row crosses into JavaScript;
//   2. read the won facts of the period before those (the previous new revenue growth);
//   3. find each customer's mrr facts (mrr, retention and churn are "latest value before
//      an instant", reaching back before the windows): one index seek per mrr entity on
//      SQLite; on PostgreSQL one pass over the mrr entries instead (there, seeking each
//      entity took longer than the snapshot's own grouped pass over the mrr facts).
// It computes none of the snapshot's numbers, so it is a bound, not a rival: it returns
// how many facts and entities it touched, and the benchmark checks those against the
// generated facts, so a floor that skipped work would be caught.
import type BetterSqlite3 from "better-sqlite3";
import type pg from "pg";
import type { Window } from "../../src/core/kpi/types.ts";

export type FloorPlan = {
  /** the period and the previous one, together: [previous.start, period.end) */
  span: Window;
  /** the period before the previous one: its won facts only */
  wonSpan: Window;
};

export type FloorResult = { facts: number; wonFacts: number; mrrEntities: number };

/** Every kind a snapshot reads from its windows; mrr is read per entity (3.). */
export const WINDOW_KINDS = ["lead", "mql", "sql", "opportunity", "won", "lost", "spend", "nps", "csat"] as const;

const SPAN_SCAN = `
SELECT COUNT(*) AS facts, SUM(value) AS value_sum, COUNT(entity_id) AS entities, COUNT(channel) AS channels,
  COUNT(segment) AS segments, COUNT(department) AS departments
FROM facts
WHERE workspace_id = ? AND kind IN (${WINDOW_KINDS.map((kind) => `'${kind}'`).join(", ")})
  AND occurred_ms >= ? AND occurred_ms < ?`;

const WON_SCAN = `
SELECT COUNT(*) AS facts, SUM(value) AS value_sum FROM facts
WHERE workspace_id = ? AND kind = 'won' AND occurred_ms >= ? AND occurred_ms < ?`;

// A loose index scan: one seek per distinct mrr entity.
const MRR_ENTITIES_SQLITE = `
WITH RECURSIVE entities(entity_id) AS (
  SELECT MIN(entity_id) FROM facts WHERE workspace_id = ? AND kind = 'mrr'
  UNION ALL
  SELECT (SELECT MIN(f.entity_id) FROM facts f
          WHERE f.workspace_id = ? AND f.kind = 'mrr' AND f.entity_id > entities.entity_id)
  FROM entities WHERE entities.entity_id IS NOT NULL
)
SELECT COUNT(entity_id) AS entities FROM entities`;

const MRR_ENTITIES_POSTGRES = `
SELECT COUNT(DISTINCT entity_id) AS entities FROM facts WHERE workspace_id = ? AND kind = 'mrr'`;

type Row = Record<string, unknown>;
type Runner = (sql: string, params: unknown[]) => Promise<Row[]>;

async function floor(
  dialect: "sqlite" | "postgres",
  run: Runner,
  workspaceId: number,
  plan: FloorPlan,
): Promise<FloorResult> {
  const [[span = {}], [won = {}], [mrr = {}]] = await Promise.all([
    run(SPAN_SCAN, [workspaceId, plan.span.startMs, plan.span.endMs]),
    run(WON_SCAN, [workspaceId, plan.wonSpan.startMs, plan.wonSpan.endMs]),
    dialect === "sqlite"
      ? run(MRR_ENTITIES_SQLITE, [workspaceId, workspaceId])
      : run(MRR_ENTITIES_POSTGRES, [workspaceId]),
  ]);
  return { facts: Number(span.facts), wonFacts: Number(won.facts), mrrEntities: Number(mrr.entities) };
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
