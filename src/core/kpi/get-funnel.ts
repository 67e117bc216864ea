// `/kpi funnel`: the stage counts lead → MQL → SQL → opportunity → won, the hand-off
// rates, and the bottleneck: the hand-off whose rate fell most against the previous
// period, or missed its target by most, whichever is worse.

import { buildCatalog, type Catalog } from "./catalog.ts";
import { computeSnapshot } from "./engine.ts";
import { formatValue } from "./format.ts";
import { DEFAULT_PERIOD, type KpiSnapshotDeps } from "./get-kpi-snapshot.ts";
import { parsePeriod } from "./periods.ts";
import type { MetricResult, Period } from "./types.ts";

export const FUNNEL_STAGES = [
  { key: "lead", label: "Leads", metric: "leads" },
  { key: "mql", label: "MQLs", metric: "mqls" },
  { key: "sql", label: "SQLs", metric: "sqls" },
  { key: "opportunity", label: "Opportunities", metric: "opportunities" },
  { key: "won", label: "Won deals", metric: "deals_won" },
] as const;

/** Each hand-off and the rate metric that measures it. */
export const FUNNEL_HANDOFFS = [
  { from: "lead", to: "mql", metric: "lead_to_mql_rate" },
  { from: "mql", to: "sql", metric: "mql_to_sql_rate" },
  { from: "sql", to: "opportunity", metric: "sql_to_opportunity_rate" },
  { from: "opportunity", to: "won", metric: "opportunity_to_win_rate" },
] as const;

export type FunnelStage = { key: string; label: string; count: number | null; previous: number | null };
export type Bottleneck = { from: string; to: string; reason: string };

export type Funnel = {
  period: Period;
  /** the stage counts and hand-off rates as metrics, stages first (for JSON) */
  metrics: MetricResult[];
  stages: FunnelStage[];
  rates: MetricResult[];
  bottleneck: Bottleneck | null;
  catalog: Catalog;
};

const pct = (value: number | null) => formatValue(value, "percent");
/** a difference of two rates, in percentage points */
const points = (a: number, b: number) => `${formatValue(Math.abs(a - b) * 100, "score", 1)} pp`;

/**
 * How badly each hand-off did, as a relative shortfall: the fall against the previous
 * period ((previous − now) / previous) or the miss against its target
 * ((target − now) / target). Relative, so a 40 % stage and a 5 % stage compare fairly;
 * the reason shows the gap in percentage points, as every change of a rate is shown.
 * Null when no hand-off fell or missed.
 */
export function findBottleneck(rates: MetricResult[]): Bottleneck | null {
  let worst: { score: number; bottleneck: Bottleneck } | null = null;
  for (const handoff of FUNNEL_HANDOFFS) {
    const rate = rates.find((r) => r.key === handoff.metric);
    if (!rate || rate.value === null) continue;
    const candidates: { score: number; reason: string }[] = [];
    if (rate.previous !== null && rate.previous > 0 && rate.value < rate.previous) {
      const fall = (rate.previous - rate.value) / rate.previous;
      candidates.push({
        score: fall,
        reason: `${rate.name} fell ${points(rate.previous, rate.value)}, from ${pct(rate.previous)} to ${pct(rate.value)}.`,
      });
    }
    if (rate.target !== null && rate.target > 0 && rate.value < rate.target) {
      const miss = (rate.target - rate.value) / rate.target;
      candidates.push({
        score: miss,
        reason: `${rate.name} is ${pct(rate.value)} against a target of ${pct(rate.target)} (${points(rate.target, rate.value)} short).`,
      });
    }
    for (const candidate of candidates) {
      if (candidate.score > 0 && (!worst || candidate.score > worst.score)) {
        worst = {
          score: candidate.score,
          bottleneck: { from: handoff.from, to: handoff.to, reason: candidate.reason },
        };
      }
    }
  }
  return worst?.bottleneck ?? null;
}

export async function getFunnel(
  deps: KpiSnapshotDeps,
  request: { workspaceId: number; zone: string; period?: string | null },
): Promise<Funnel> {
  const period = parsePeriod(request.period?.trim() || DEFAULT_PERIOD, deps.clock.now(), request.zone);
  const settings = await deps.settingsSource.load(request.workspaceId);
  const catalog = buildCatalog(settings);
  const metricKeys = [...FUNNEL_STAGES.map((s) => s.metric), ...FUNNEL_HANDOFFS.map((h) => h.metric)];
  const snapshot = await computeSnapshot(
    { stats: deps.stats, settings, catalog },
    { workspaceId: request.workspaceId, period, metricKeys, department: null },
  );
  const byKey = new Map(snapshot.metrics.map((m) => [m.key, m]));
  const stages = FUNNEL_STAGES.map((stage) => {
    const result = byKey.get(stage.metric);
    return { key: stage.key, label: stage.label, count: result?.value ?? null, previous: result?.previous ?? null };
  });
  const rates = FUNNEL_HANDOFFS.map((h) => byKey.get(h.metric)).filter((r): r is MetricResult => r !== undefined);
  return {
    period: snapshot.period,
    metrics: snapshot.metrics,
    stages,
    rates,
    bottleneck: findBottleneck(rates),
    catalog,
  };
}
