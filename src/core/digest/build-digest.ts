// The weekly alignment digest as plain data: the shared metrics of one period, each
// department's own scorecard in status counts, what each pair of departments shares,
// the funnel's bottleneck and the pulse side. One snapshot of every metric feeds it
// all, so the numbers agree with `tandem kpi` for the same period to the digit.
import { buildCatalog } from "../kpi/catalog.ts";
import { computeSnapshot } from "../kpi/engine.ts";
import { formatMetricChange, formatMetricValue, toneWord } from "../kpi/format.ts";
import { FUNNEL_HANDOFFS, FUNNEL_STAGES, type FunnelStage, findBottleneck } from "../kpi/get-funnel.ts";
import type { KpiSnapshotDeps } from "../kpi/get-kpi-snapshot.ts";
import { describePeriod, parsePeriod, shiftPeriod } from "../kpi/periods.ts";
import { statusFor, targetFor } from "../kpi/status.ts";
import type { Period, Status } from "../kpi/types.ts";
import type { DecisionLog } from "../rituals/ports.ts";
import { chartMetrics } from "./chart.ts";

import {
  type DepartmentStatus,
  type Digest,
  type DigestDecision,
  type DigestMetric,
  type DigestPair,
  type DigestPulse,
  type DigestSummary,
  PULSE_METRICS,
  type SeriesPoint,
  type StatusCounts,
} from "./digest-types.ts";
import { loadDigestSeries } from "./load-digest-series.ts";
import { HISTORY_PERIODS, mostUnusualChange, unusualnessWords } from "./unusual-change.ts";

export { digestJson } from "./digest-json.ts";
export { digestMessage } from "./digest-message.ts";
export type * from "./digest-types.ts";

/** The KPI engine's ports, and where the digest reads decisions (without it: none shown). */
export type DigestDeps = KpiSnapshotDeps & { decisions?: DecisionLog };

/** decisions the digest lists at most */
export const DIGEST_DECISIONS = 5;

export type DigestRequest = {
  workspaceId: number;
  /** the workspace zone: periods are its local weeks */
  zone: string;
  /** a written period; absent → the last complete week */
  period?: string | null;
};

/** metrics whose value is itself a change: their change is a change of a change, not news */
const CHANGE_METRICS: ReadonlySet<string> = new Set(["new_revenue_growth", "mrr_growth"]);
export const DEFAULT_DIGEST_PERIOD = "week";

export async function buildDigest(deps: DigestDeps, request: DigestRequest): Promise<Digest> {
  const period = parsePeriod(request.period?.trim() || DEFAULT_DIGEST_PERIOD, deps.clock.now(), request.zone);
  const settings = await deps.settingsSource.load(request.workspaceId);
  const catalog = buildCatalog(settings);
  const snapshot = await computeSnapshot(
    { stats: deps.stats, settings, catalog },
    { workspaceId: request.workspaceId, period, metricKeys: catalog.all.map((def) => def.key), department: null },
  );
  const byKey = new Map(
    snapshot.metrics.map((result): [string, DigestMetric] => {
      const def = catalog.get(result.key);
      const metric: DigestMetric = { ...result, better: def?.better ?? "up" };
      if (def?.decimals !== undefined) metric.decimals = def.decimals;
      return [result.key, metric];
    }),
  );
  const metrics = catalog
    .shared()
    .map((def) => byKey.get(def.key))
    .filter((metric): metric is DigestMetric => metric !== undefined);

  const departments = settings.departments.map((department): DepartmentStatus => {
    const owned = catalog.ownedBy(department.key);
    const statuses = owned.map((def) => {
      const value = byKey.get(def.key)?.value ?? null;
      return statusFor(value, targetFor(settings, def.key, period.grain, department.key), def.better);
    });
    return { key: department.key, name: department.name, metrics: owned.length, ...countStatuses(statuses) };
  });

  const pairs: DigestPair[] = [];
  settings.departments.forEach((a, i) => {
    for (const b of settings.departments.slice(i + 1)) {
      const metricKeys = metrics
        .filter((m) => !PULSE_METRICS.has(m.key) && m.owners.includes(a.key) && m.owners.includes(b.key))
        .map((m) => m.key);
      if (metricKeys.length > 0) pairs.push({ departments: [a.key, b.key], names: [a.name, b.name], metricKeys });
    }
  });

  const stages = FUNNEL_STAGES.map((stage): FunnelStage => {
    const result = byKey.get(stage.metric);
    return { key: stage.key, label: stage.label, count: result?.value ?? null, previous: result?.previous ?? null };
  });
  const rates = FUNNEL_HANDOFFS.map((handoff) => byKey.get(handoff.metric)).filter(
    (rate): rate is DigestMetric => rate !== undefined,
  );
  const bottleneck = findBottleneck(rates);
  const handoff = bottleneck
    ? FUNNEL_HANDOFFS.find((h) => h.from === bottleneck.from && h.to === bottleneck.to)
    : undefined;

  // One series serves the headline's "biggest change" and the chart.
  const series = await loadDigestSeries(deps, {
    workspaceId: request.workspaceId,
    period: snapshot.period,
    metricKeys: chartMetrics(metrics).map((m) => m.key),
    count: HISTORY_PERIODS,
  });
  const names = new Map(settings.departments.map((d) => [d.key, d.name]));
  const rituals = deps.decisions
    ? await deps.decisions.recent({
        workspaceId: request.workspaceId,
        sinceMs: snapshot.period.startMs,
        untilMs: shiftPeriod(snapshot.period, 1).endMs,
        limit: DIGEST_DECISIONS,
      })
    : [];
  const decisions = rituals.flatMap((ritual): DigestDecision[] => {
    const def = catalog.get(ritual.metricKey);
    if (!ritual.outcome) return [];
    return [
      {
        metricKey: ritual.metricKey,
        name: def?.name ?? ritual.metricKey,
        unit: def?.unit ?? "count",
        ...(def?.decimals !== undefined ? { decimals: def.decimals } : {}),
        ...(def?.unit === "currency" ? { currency: settings.currency } : {}),
        periodKey: ritual.periodKey,
        decision: ritual.decision ?? "",
        decidedBy: ritual.decidedBy,
        outcome: ritual.outcome,
      },
    ];
  });
  return {
    period: snapshot.period,
    summary: summarize(snapshot.period, metrics, series),
    metrics,
    departments,
    pairs,
    funnel: { stages, bottleneck: bottleneck && handoff ? { ...bottleneck, metric: handoff.metric } : null },
    pulse: pulseSide(byKey.get("collaboration_score"), byKey.get("pulse_participation"), names),
    series,
    decisions,
  };
}

export function countStatuses(statuses: (Status | null)[]): StatusCounts {
  const counts: StatusCounts = { onTrack: 0, atRisk: 0, offTrack: 0, noTarget: 0 };
  for (const status of statuses) {
    if (status === "on_track") counts.onTrack++;
    else if (status === "at_risk") counts.atRisk++;
    else if (status === "off_track") counts.offTrack++;
    else counts.noTarget++;
  }
  return counts;
}

function summarize(period: Period, metrics: DigestMetric[], series: SeriesPoint[]): DigestSummary {
  const counts = countStatuses(metrics.map((m) => m.status));
  const biggest = mostUnusualChange(metrics, series, CHANGE_METRICS);
  const withTarget = metrics.length - counts.noTarget;
  const parts = [
    withTarget === 0
      ? `${metrics.length} shared metrics, none with a target for the ${period.grain}`
      : `${counts.onTrack} of ${withTarget} shared metrics with a target on track` +
        (counts.atRisk + counts.offTrack > 0 ? ` (${counts.atRisk} at risk, ${counts.offTrack} off track)` : ""),
  ];
  const metric = biggest ? metrics.find((m) => m.key === biggest.key) : undefined;
  if (biggest && metric) {
    const change = formatMetricChange(metric, metric.better);
    const verdict = change && change.tone !== "neutral" ? ` (${toneWord(change.tone)})` : "";
    const shown = change ? ` ${change.text}${verdict}` : "";
    const values = `${formatMetricValue(metric, metric.previous)} → ${formatMetricValue(metric, metric.value)}`;
    parts.push(
      `biggest change for its history: ${biggest.name}${shown}, ${values}, ` +
        unusualnessWords(biggest.score, series.slice(-HISTORY_PERIODS)),
    );
  } else {
    parts.push("not enough history yet to tell which change is unusual");
  }
  return {
    sharedMetrics: metrics.length,
    ...counts,
    biggestChange: biggest,
    text: `${describePeriod(period)}: ${parts.join("; ")}.`,
  };
}

function pulseSide(
  collaboration: DigestMetric | undefined,
  participation: DigestMetric | undefined,
  names: Map<string, string>,
): DigestPulse | null {
  if (!collaboration || !participation) return null;
  if (collaboration.value === null && participation.value === null) return null;
  const byDepartment = Object.entries(collaboration.breakdown ?? {})
    .filter(([, score]) => Number.isFinite(score))
    .map(([key, score]) => ({ key, name: names.get(key) ?? key, score }))
    .sort((a, b) => b.score - a.score || a.key.localeCompare(b.key));
  // respondents without a department say nothing about the gap between departments
  const known = byDepartment.filter((d) => names.has(d.key));
  const high = known[0];
  const low = known[known.length - 1];
  const gap = high && low && known.length >= 2 ? { high, low, points: high.score - low.score } : null;
  return { collaboration, participation, byDepartment, gap };
}
