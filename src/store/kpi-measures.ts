// The KPI engine's measures in SQL (the FactStats port): per set of windows asked
// together, one statement for the funnel stages and one for the other parts asked (a
// metric's formula reads only some: types.ts MEASURE_PARTS; PostgreSQL: one per window),
// and one per batch of concurrent recurring-revenue calls (PostgreSQL: a long chain's two
// halves side by side). The formulas are those of docs/metrics.md;
// src/core/kpi/reference-measures.ts computes the same numbers in memory and is the
// oracle the integration tests use.
//
// Every query starts from one of the facts indexes: (workspace_id, kind, occurred_ms)
// for window scans, (workspace_id, kind, entity_id, occurred_ms) for per-entity look-ups
// (first lead; latest mrr on PostgreSQL), the mrr chain index for recurring revenue on
// SQLite. There each fact carries the time of the previous and the next fact of its
// workspace, kind and entity (prev_ms, next_ms, kept by triggers: the fact_neighbours
// migration), so "each entity once per window" is "the facts of the window whose
// previous fact is before it", and "the latest mrr before t" is "the mrr fact before t
// whose next one is not": no DISTINCT, no sort, and no seek per entity and instant.
// PostgreSQL leaves those columns NULL (see the migration): it hashes or sorts the
// window's entities, and finds each mrr fact's next one with lead().
import { emptyMeasures } from "../core/kpi/reference-measures.ts";
import {
  MEASURE_PARTS,
  type MeasurePart,
  type Measures,
  type RecurringMeasures,
  type Window,
} from "../core/kpi/types.ts";
import type { FactStats } from "../core/ports.ts";
import type { Database, Dialect } from "./database.ts";
import { type Row, rawQuery } from "./raw-sql.ts";

const DAY_MS = 86_400_000;

// On SQLite several windows are answered by one statement: the same select for each
// window, its index as `bucket` (a constant), joined by UNION ALL. Each window is its own
// index range scan, so nothing is sorted or grouped by window, and overlapping windows
// are fine. A snapshot's period and previous period, or a sparkline's eight periods, cost
// one round trip per statement, not one per window. PostgreSQL gets one breakdowns
// statement per window instead (the longest of a cold snapshot's): its statements run
// side by side on the pool's connections, each in a server process of its own, so the
// windows share the server's cores (about a tenth off a 10M-fact quarter on two cores).
// The stages stay together: a statement for each window's too cost more than it saved at 1M.

/** At most this many windows per statement (SQLite caps a compound select's terms). */
const WINDOWS_PER_STATEMENT: Record<Dialect, { totals: number; breakdowns: number }> = {
  sqlite: { totals: 16, breakdowns: 16 },
  postgres: { totals: 16, breakdowns: 1 },
};

/** `column` within the window; the bounds are engine-computed integers. */
function within(column: string, w: Window): string {
  return `${column} >= ${w.startMs} AND ${column} < ${w.endMs}`;
}

/** One select per window, each tagged with its window's index as `bucket`. */
function eachWindow(windows: Window[], select: (w: Window, bucket: number) => string): string {
  return windows.map((w, i) => `SELECT * FROM (${select(w, i)}) AS window${i}`).join("\nUNION ALL\n");
}

/** SQLite: the fact is its entity's first of its kind in the window (ties: the first stored). */
const firstInWindow = (w: Window) => `entity_id IS NOT NULL AND (prev_ms IS NULL OR prev_ms < ${w.startMs})`;

// Stage counts except leads (those come from the leads-by-channel query, where each
// distinct lead entity falls in exactly one channel) and the deal-level numbers, one row
// per kind: grouping by kind follows the index, where a CASE per measure would test
// every fact's kind for each of them. a = facts (read for lost, nps, csat), b = entities
// (read for mql, sql, opportunity), c = NPS promoters, d = NPS detractors, e = the sum of
// values. PostgreSQL hashes (kind, entity) for the kinds whose entities count alone,
// cheaper than COUNT(DISTINCT)'s sort per kind, and counts the others' facts without it
// (a 10M-fact quarter's window: 560 ms hashing every kind, 280 ms hashing those three).
const windowTotals = (dialect: Dialect) => (w: Window, bucket: number) =>
  dialect === "sqlite"
    ? `
SELECT ${bucket} AS bucket, kind, COUNT(*) AS a, SUM(CASE WHEN ${firstInWindow(w)} THEN 1 ELSE 0 END) AS b,
  SUM(CASE WHEN value >= 9 THEN 1 ELSE 0 END) AS c, SUM(CASE WHEN value <= 6 THEN 1 ELSE 0 END) AS d,
  CAST(SUM(value) AS DOUBLE PRECISION) AS e
FROM facts
WHERE workspace_id = ? AND kind IN ('mql', 'sql', 'opportunity', 'lost', 'nps', 'csat') AND ${within("occurred_ms", w)}
GROUP BY kind`
    : `
SELECT ${bucket} AS bucket, kind, NULL AS a, COUNT(*) AS b, NULL AS c, NULL AS d, NULL AS e
FROM (
  SELECT DISTINCT kind, entity_id FROM facts
  WHERE workspace_id = ? AND kind IN ('mql', 'sql', 'opportunity') AND ${within("occurred_ms", w)}
    AND entity_id IS NOT NULL
) AS entities
GROUP BY kind
UNION ALL
SELECT ${bucket} AS bucket, kind, COUNT(*) AS a, NULL AS b, SUM(CASE WHEN value >= 9 THEN 1 ELSE 0 END) AS c,
  SUM(CASE WHEN value <= 6 THEN 1 ELSE 0 END) AS d, CAST(SUM(value) AS DOUBLE PRECISION) AS e
FROM facts
WHERE workspace_id = ? AND kind IN ('lost', 'nps', 'csat') AND ${within("occurred_ms", w)}
GROUP BY kind`;

// new_revenue_growth's previous value needs only this of the period before the previous.
const windowNewRevenue = (w: Window, bucket: number) => `
SELECT ${bucket} AS bucket, SUM(value) AS new_revenue
FROM facts
WHERE workspace_id = ? AND kind = 'won' AND ${within("occurred_ms", w)}`;

// The breakdowns come back as rows (bucket, part, label, a, b, c, d) of one statement,
// to save round trips; each part below fills the columns it needs. Every number is cast
// to a double: Prisma's SQLite adapter types a column by its first value, and a first
// integer would truncate the decimals of every later row.
const real = (expression: string) => `CAST(${expression} AS DOUBLE PRECISION)`;

// Each lead entity once per window, under the channel of its earliest lead fact in that
// window (ties: the first stored). PostgreSQL sorts the window's leads by entity and keeps
// each entity's first; sorting the entity in byte order ("C") rather than the database's
// collation halves the sort, and equality, all DISTINCT ON needs, is the same in both.
const leadsByChannel = (dialect: Dialect) => (w: Window, bucket: number) =>
  dialect === "sqlite"
    ? `
SELECT ${bucket} AS bucket, 'lead' AS part, COALESCE(channel, 'unknown') AS label, ${real("COUNT(*)")} AS a,
  ${real("0")} AS b, ${real("0")} AS c, ${real("0")} AS d
FROM facts
WHERE workspace_id = ? AND kind = 'lead' AND ${within("occurred_ms", w)} AND ${firstInWindow(w)}
GROUP BY COALESCE(channel, 'unknown')`
    : `
SELECT ${bucket} AS bucket, 'lead' AS part, COALESCE(first_lead.channel, 'unknown') AS label, ${real("COUNT(*)")} AS a,
  ${real("0")} AS b, ${real("0")} AS c, ${real("0")} AS d
FROM (
  SELECT DISTINCT ON (entity_id COLLATE "C") channel FROM facts
  WHERE workspace_id = ? AND kind = 'lead' AND ${within("occurred_ms", w)} AND entity_id IS NOT NULL
  ORDER BY entity_id COLLATE "C", occurred_ms, id
) AS first_lead
GROUP BY COALESCE(first_lead.channel, 'unknown')`;

// Won facts by first-touch channel: the channel of the entity's earliest lead of any
// time (ties: the first stored), else the won fact's own channel, else unknown. The
// sales cycle rides along: new-segment deals whose entity has a lead. One seek per won
// fact finds its entity's first lead. SQLite: an index-only seek for the lead's id, whose
// row then gives its channel and time. PostgreSQL: a lateral seek reads both from that
// row at once, one index descent fewer per deal (a 10M-fact quarter: 430 → 320 ms).
// a = deals, b = revenue, c = sales cycle days, d = deals in the sales cycle.
const wonTotals = (bucket: number, won: string, lead: string) => `
SELECT ${bucket} AS bucket, 'won' AS part, COALESCE(${lead}.channel, ${won}.channel, 'unknown') AS label,
  ${real("COUNT(*)")} AS a, ${real(`SUM(${won}.value)`)} AS b,
  ${real(`SUM(CASE WHEN COALESCE(${won}.segment, 'new') = 'new' AND ${lead}.occurred_ms IS NOT NULL
      THEN CAST(${won}.occurred_ms - ${lead}.occurred_ms AS DOUBLE PRECISION) / ${DAY_MS} END)`)} AS c,
  ${real(`SUM(CASE WHEN COALESCE(${won}.segment, 'new') = 'new' AND ${lead}.occurred_ms IS NOT NULL THEN 1 ELSE 0 END)`)} AS d`;
const wonByChannel = (dialect: Dialect) => (w: Window, bucket: number) =>
  dialect === "sqlite"
    ? `
WITH won AS MATERIALIZED (
  SELECT w.value, w.occurred_ms, w.channel, w.segment,
    (SELECT l.id FROM facts l
      WHERE l.workspace_id = w.workspace_id AND l.kind = 'lead' AND l.entity_id = w.entity_id
      ORDER BY l.occurred_ms, l.id LIMIT 1) AS first_lead_id
  FROM facts w
  WHERE w.workspace_id = ? AND w.kind = 'won' AND ${within("w.occurred_ms", w)}
)${wonTotals(bucket, "won", "l")}
FROM won
LEFT JOIN facts l ON l.id = won.first_lead_id
GROUP BY COALESCE(l.channel, won.channel, 'unknown')`
    : `${wonTotals(bucket, "w", "l")}
FROM facts w
LEFT JOIN LATERAL (
  SELECT f.occurred_ms, f.channel FROM facts f
  WHERE f.workspace_id = w.workspace_id AND f.kind = 'lead' AND f.entity_id = w.entity_id
  ORDER BY f.occurred_ms, f.id LIMIT 1
) AS l ON TRUE
WHERE w.workspace_id = ? AND w.kind = 'won' AND ${within("w.occurred_ms", w)}
GROUP BY COALESCE(l.channel, w.channel, 'unknown')`;

// New customers: won entities of the new segment, which their chain (every won fact)
// cannot tell apart; a window's won facts are few, so COUNT(DISTINCT) it is. a = customers
const newCustomers = (w: Window, bucket: number) => `
SELECT ${bucket} AS bucket, 'new_customers' AS part, '' AS label, ${real("COUNT(DISTINCT entity_id)")} AS a,
  ${real("0")} AS b, ${real("0")} AS c, ${real("0")} AS d
FROM facts
WHERE workspace_id = ? AND kind = 'won' AND COALESCE(segment, 'new') = 'new' AND ${within("occurred_ms", w)}`;

// part = the department
const spendByChannel = (w: Window, bucket: number) => `
SELECT ${bucket} AS bucket, department AS part, COALESCE(channel, 'unknown') AS label, ${real("SUM(value)")} AS a,
  ${real("0")} AS b, ${real("0")} AS c, ${real("0")} AS d
FROM facts
WHERE workspace_id = ? AND kind = 'spend' AND ${within("occurred_ms", w)}
  AND department IN ('marketing', 'sales')
GROUP BY department, COALESCE(channel, 'unknown')`;

// Per pulse first: anonymity minimums count people, and one person answers several
// questions. a = sum of answers, b = answers, c = the fewest people behind them in any
// one pulse; the '' label carries that fewest for all departments together.
const collaborationByDepartment = (w: Window, bucket: number) => `
WITH answers AS MATERIALIZED (
  SELECT p.id AS pulse_id, COALESCE(r.department, 'unknown') AS label, r.value, r.respondent_key
  FROM pulses p
  JOIN pulse_questions q ON q.pulse_id = p.id
  JOIN pulse_responses r ON r.question_id = q.id
  WHERE p.workspace_id = ? AND p.status = 'closed' AND ${within("p.closed_ms", w)}
    AND q.tag = 'collaboration' AND r.value IS NOT NULL
),
per_pulse AS (
  SELECT pulse_id, label, SUM(value) AS total, COUNT(*) AS answered, COUNT(DISTINCT respondent_key) AS people
  FROM answers GROUP BY pulse_id, label
),
pulse_people AS (
  SELECT pulse_id, COUNT(DISTINCT respondent_key) AS people FROM answers GROUP BY pulse_id
)
SELECT ${bucket} AS bucket, 'collaboration' AS part, label, ${real("SUM(total)")} AS a, ${real("SUM(answered)")} AS b,
  ${real("MIN(people)")} AS c, ${real("0")} AS d
FROM per_pulse GROUP BY label
UNION ALL
SELECT ${bucket} AS bucket, 'collaboration_people' AS part, '' AS label, ${real("0")} AS a, ${real("0")} AS b,
  ${real("MIN(people)")} AS c, ${real("0")} AS d
FROM pulse_people HAVING COUNT(*) > 0`;

// a = people asked, b = respondents
const participation = (w: Window, bucket: number) => `
SELECT ${bucket} AS bucket, 'participation' AS part, '' AS label, ${real("SUM(asked_count)")} AS a,
  ${real("SUM((SELECT COUNT(DISTINCT r.respondent_key) FROM pulse_responses r WHERE r.pulse_id = p.id))")} AS b,
  ${real("0")} AS c, ${real("0")} AS d
FROM pulses p
WHERE workspace_id = ? AND status = 'closed' AND ${within("closed_ms", w)}
HAVING COUNT(*) > 0`;

type WindowSelect = (w: Window, bucket: number) => string;
/** The breakdown selects each part of the measures reads ("stages" is windowTotals). */
const breakdownsOf = (dialect: Dialect): Record<Exclude<MeasurePart, "stages">, WindowSelect[]> => ({
  leads: [leadsByChannel(dialect)],
  won: [wonByChannel(dialect)],
  customers: [newCustomers],
  spend: [spendByChannel],
  pulse: [collaborationByDepartment, participation],
});
const windowBreakdowns = (selects: WindowSelect[]) => (w: Window, bucket: number) =>
  selects.map((part, i) => `SELECT * FROM (${part(w, bucket)}) AS part${i}`).join("\nUNION ALL\n");

/** The windows in chunks of at most `size`, each chunk one statement. */
function chunks(windows: Window[], size: number): Window[][] {
  for (const w of windows) {
    if (!Number.isSafeInteger(w.startMs) || !Number.isSafeInteger(w.endMs) || w.startMs > w.endMs)
      throw new Error(`not a window: [${w.startMs}, ${w.endMs})`);
  }
  const result: Window[][] = [];
  for (let i = 0; i < windows.length; i += size) result.push(windows.slice(i, i + size));
  return result;
}

// Recurring revenue. The engine asks for several [start, end) pairs at once (the
// period, the previous one, the churn windows) and most instants repeat, so calls made
// in the same turn of the event loop are answered by one statement that reads each
// entity's value at every distinct instant in one pass over its mrr facts.
type RecurringCall = {
  startMs: number;
  endMs: number;
  resolve(value: RecurringMeasures): void;
  reject(error: unknown): void;
};
/** Bounds one statement's width; a snapshot needs at most six. */
const MAX_INSTANTS = 16;

function recurringTotals(instants: number[], pairs: [number, number][]): string {
  return [
    ...instants.map((_, i) => `SUM(v${i}) AS mrr${i}, SUM(CASE WHEN v${i} > 0 THEN 1 ELSE 0 END) AS active${i}`),
    ...pairs.map(([a, b]) => `SUM(CASE WHEN v${a} > 0 AND v${b} > 0 THEN 1 ELSE 0 END) AS kept${a}_${b}`),
  ].join(",\n  ");
}

// The latest mrr fact before t (ties: the last stored) is the one before t whose next
// fact is at or after t, or that has none: one per entity at most. One walk of the mrr
// facts in entity order (grouping as it goes, no sort) reads, of the facts before the
// last instant, those whose next one is not before the first.
// SQLite keeps each fact's next in next_ms (fact_neighbours). PostgreSQL does not: lead()
// over the mrr index's own order (entity, time, id) finds it as the walk goes (at 10M
// facts 740 ms where the greatest [time, id, value] array per entity took 970 ms). The
// ROWS frame changes nothing lead() returns but spares PostgreSQL 15 looking for each
// row's peers in the default RANGE frame (1,075 → 965 ms on a 10M-fact quarter).
const holds = (ms: number) => `(occurred_ms < ${ms} AND (next_ms IS NULL OR next_ms >= ${ms}))`;

/** One half of the entities: those below the pivot, or those from it on. */
type ChainHalf = { op: "<" | ">="; pivot: string };

function recurringStatement(
  dialect: Dialect,
  workspaceId: number,
  instants: number[],
  pairs: [number, number][],
  half?: ChainHalf,
) {
  for (const ms of instants) if (!Number.isSafeInteger(ms)) throw new Error(`not an instant: ${ms}`);
  const [first, last] = [instants[0] as number, instants.at(-1) as number];
  const values = instants.map((ms, i) => `MAX(CASE WHEN ${holds(ms)} THEN value END) AS v${i}`);
  const entities = half ? `entity_id ${half.op} ?` : "entity_id IS NOT NULL";
  const mrrBefore = `workspace_id = ? AND kind = 'mrr' AND ${entities} AND occurred_ms < ${last}`;
  const chain =
    dialect === "sqlite"
      ? `facts WHERE ${mrrBefore}`
      : `(
    SELECT entity_id, occurred_ms, value,
      LEAD(occurred_ms) OVER (PARTITION BY entity_id ORDER BY occurred_ms, id ROWS UNBOUNDED PRECEDING) AS next_ms
    FROM facts WHERE ${mrrBefore}
  ) AS chain WHERE TRUE`;
  const sql = `
SELECT ${recurringTotals(instants, pairs)}
FROM (
  SELECT ${values.join(",\n    ")}
  FROM ${chain} AND (next_ms IS NULL OR next_ms >= ${first})
  GROUP BY entity_id
) AS latest`;
  return { sql, params: half ? [workspaceId, half.pivot] : [workspaceId] };
}

// PostgreSQL walks a large chain in two halves side by side, split at a median entity
// read from a sample of the table's pages (a few hundred rows at a million facts): the
// walk was a cold snapshot's longest statement, run on one core while the other idled.
// The halves partition the entities whatever the pivot, so it only sets the balance.
export type ChainSample = {
  /** the share of the table's pages read (TABLESAMPLE SYSTEM), 0 to 100 */
  percent: number;
  /** fewer sampled mrr facts than this: one walk (the chain is short) */
  minRows: number;
};
const CHAIN_SAMPLE: ChainSample = { percent: 0.2, minRows: 100 };
const chainPivot = ({ percent }: ChainSample) => {
  if (!(percent > 0 && percent <= 100)) throw new Error(`not a sample percentage: ${percent}`);
  return `
SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY entity_id) AS pivot, COUNT(*) AS sampled
FROM facts TABLESAMPLE SYSTEM (${percent})
WHERE workspace_id = ? AND kind = 'mrr' AND entity_id IS NOT NULL`;
};

/** Splits calls into groups of at most MAX_INSTANTS distinct instants each. */
function batches(calls: RecurringCall[]): RecurringCall[][] {
  const groups: { calls: RecurringCall[]; instants: Set<number> }[] = [];
  for (const call of calls) {
    const fits = groups.find((group) => {
      const added = [call.startMs, call.endMs].filter((ms) => !group.instants.has(ms));
      return group.instants.size + new Set(added).size <= MAX_INSTANTS;
    });
    const group = fits ?? { calls: [], instants: new Set<number>() };
    if (!fits) groups.push(group);
    group.calls.push(call);
    group.instants.add(call.startMs).add(call.endMs);
  }
  return groups.map((group) => group.calls);
}

/** Drivers return counts as bigint, sums as number or Decimal, empty sums as null. */
function num(raw: unknown): number {
  if (raw === null || raw === undefined) return 0;
  return Number(raw);
}

/** Measures from one window's totals rows (kind, a–e) and breakdown rows (part, label, a–d). */
export function assembleMeasures(totals: Row[], rows: Row[]): Measures {
  const m: Measures = emptyMeasures();
  for (const row of totals) {
    const [facts, entities, high, low, sum] = [num(row.a), num(row.b), num(row.c), num(row.d), num(row.e)];
    switch (row.kind) {
      case "mql":
        m.mqls = entities;
        break;
      case "sql":
        m.sqls = entities;
        break;
      case "opportunity":
        m.opportunities = entities;
        break;
      case "lost":
        m.dealsLost = facts;
        break;
      case "nps":
        [m.npsAnswers, m.npsPromoters, m.npsDetractors] = [facts, high, low];
        break;
      case "csat":
        [m.csatCount, m.csatSum] = [facts, sum];
        break;
    }
  }
  for (const row of rows) {
    const label = String(row.label);
    const [a, b, c, d] = [num(row.a), num(row.b), num(row.c), num(row.d)];
    switch (row.part) {
      case "lead":
        m.leads += a;
        m.leadsByChannel[label] = a;
        break;
      case "new_customers":
        m.newCustomers = a;
        break;
      case "won":
        m.dealsWon += a;
        m.newRevenue += b;
        m.revenueByChannel[label] = b;
        m.salesCycleDaysSum += c;
        m.salesCycleCount += d;
        break;
      case "marketing":
        m.marketingSpend += a;
        m.marketingSpendByChannel[label] = a;
        break;
      case "sales":
        m.salesSpend += a;
        m.salesSpendByChannel[label] = a;
        break;
      case "collaboration":
        m.collaborationSum += a;
        m.collaborationCount += b;
        m.collaborationByDepartment[label] = { sum: a, count: b, people: c };
        break;
      case "collaboration_people":
        m.collaborationPeople = c;
        break;
      case "participation":
        m.pulseAsked = a;
        m.pulseRespondents = b;
        break;
    }
  }
  return m;
}

export type SqlFactStatsOptions = {
  /** PostgreSQL: how the mrr chain's pivot entity is sampled (tests sample everything) */
  chainSample?: ChainSample;
};

export function createSqlFactStats(db: Database, options: SqlFactStatsOptions = {}): FactStats {
  const chainSample = options.chainSample ?? CHAIN_SAMPLE;
  const pivotSql = chainPivot(chainSample);
  const breakdowns = breakdownsOf(db.dialect);
  const query = rawQuery(db);

  const waiting = new Map<number, RecurringCall[]>();

  /** Every `?` of these statements is the workspace. */
  const run = (sql: string, workspaceId: number) =>
    query(
      sql,
      Array.from(sql.matchAll(/\?/g), () => workspaceId),
    );

  /** The recurring totals of every instant and pair: one walk, or two halves summed. */
  const walkChain = async (workspaceId: number, instants: number[], pairs: [number, number][]): Promise<Row> => {
    const walk = async (half?: ChainHalf) => {
      const { sql, params } = recurringStatement(db.dialect, workspaceId, instants, pairs, half);
      const [row = {}] = await query(sql, params);
      return row;
    };
    if (db.dialect !== "postgres") return walk();
    const [{ pivot, sampled } = {}] = await query(pivotSql, [workspaceId]);
    if (typeof pivot !== "string" || num(sampled) < chainSample.minRows) return walk();
    const halves = await Promise.all([walk({ op: "<", pivot }), walk({ op: ">=", pivot })]);
    const sum: Row = {};
    for (const half of halves) for (const [key, value] of Object.entries(half)) sum[key] = num(sum[key]) + num(value);
    return sum;
  };

  /** One statement for a batch of recurring calls; its failure is every call's. */
  const answer = async (workspaceId: number, calls: RecurringCall[]): Promise<void> => {
    try {
      const instants = [...new Set(calls.flatMap((call) => [call.startMs, call.endMs]))].sort((a, b) => a - b);
      const at = (ms: number) => instants.indexOf(ms);
      const pairKeys = new Set(calls.map((call) => `${at(call.startMs)}:${at(call.endMs)}`));
      const pairs = [...pairKeys].map((key) => key.split(":").map(Number) as [number, number]);
      const row = await walkChain(workspaceId, instants, pairs);
      for (const call of calls) {
        const [start, end] = [at(call.startMs), at(call.endMs)];
        call.resolve({
          mrrAtEnd: num(row[`mrr${end}`]),
          activeAtStart: num(row[`active${start}`]),
          activeAtEnd: num(row[`active${end}`]),
          retained: num(row[`kept${start}_${end}`]),
        });
      }
    } catch (error) {
      for (const call of calls) call.reject(error);
    }
  };

  /** Each window's rows of `select`, `size` windows to a statement, the statements side by side. */
  const rowsByWindow = async (workspaceId: number, windows: Window[], size: number, select: WindowSelect) => {
    const answers = chunks(windows, size).map(async (chunk) => {
      const grouped = Array.from({ length: chunk.length }, (): Row[] => []);
      for (const row of await run(eachWindow(chunk, select), workspaceId)) grouped[Number(row.bucket)]?.push(row);
      return grouped;
    });
    return (await Promise.all(answers)).flat();
  };
  const perStatement = WINDOWS_PER_STATEMENT[db.dialect];
  const totalsSelect = windowTotals(db.dialect);

  const measuresMany = async (
    workspaceId: number,
    windows: Window[],
    parts: readonly MeasurePart[] = MEASURE_PARTS,
  ): Promise<Measures[]> => {
    const selects = parts.flatMap((part) => (part === "stages" ? [] : breakdowns[part]));
    const none = async () => windows.map((): Row[] => []);
    const [totals, rows] = await Promise.all([
      parts.includes("stages") ? rowsByWindow(workspaceId, windows, perStatement.totals, totalsSelect) : none(),
      selects.length > 0
        ? rowsByWindow(workspaceId, windows, perStatement.breakdowns, windowBreakdowns(selects))
        : none(),
    ]);
    return windows.map((_, k) => assembleMeasures(totals[k] ?? [], rows[k] ?? []));
  };

  const newRevenueMany = async (workspaceId: number, windows: Window[]): Promise<number[]> => {
    const rows = await rowsByWindow(workspaceId, windows, perStatement.totals, windowNewRevenue);
    return rows.map((windowRows) => num(windowRows[0]?.new_revenue));
  };

  return {
    measuresMany,
    newRevenueMany,
    async measures(workspaceId: number, window: Window, parts?: readonly MeasurePart[]): Promise<Measures> {
      const [measures] = await measuresMany(workspaceId, [window], parts);
      return measures as Measures;
    },

    async newRevenue(workspaceId: number, window: Window): Promise<number> {
      const [revenue] = await newRevenueMany(workspaceId, [window]);
      return revenue ?? 0;
    },

    recurring(workspaceId: number, startMs: number, endMs: number): Promise<RecurringMeasures> {
      return new Promise((resolve, reject) => {
        const call = { startMs, endMs, resolve, reject };
        const queue = waiting.get(workspaceId);
        if (queue) {
          queue.push(call);
          return;
        }
        waiting.set(workspaceId, [call]);
        setImmediate(() => {
          const calls = waiting.get(workspaceId) ?? [];
          waiting.delete(workspaceId);
          for (const batch of batches(calls)) void answer(workspaceId, batch);
        });
      });
    },
  };
}
