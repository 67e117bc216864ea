// The digest's data shapes, shared by the builder, the message and the JSON.
import type { Bottleneck, FunnelStage } from "../kpi/get-funnel.ts";
import type { Direction, MetricResult, Period, Unit } from "../kpi/types.ts";
import type { RitualOutcome } from "../rituals/types.ts";

export const PULSE_METRICS: ReadonlySet<string> = new Set(["collaboration_score", "pulse_participation"]);

/** A shared metric's result plus what display needs: its better direction and decimals. */
export type DigestMetric = MetricResult & { better: Direction; decimals?: number };

export type StatusCounts = { onTrack: number; atRisk: number; offTrack: number; noTarget: number };

export type DepartmentStatus = StatusCounts & { key: string; name: string; metrics: number };

export type DigestPair = {
  departments: [string, string];
  names: [string, string];
  /** keys of `Digest.metrics` both departments own (pulse metrics are in the pulse side) */
  metricKeys: string[];
};

/** The values of the chartable shared metrics in one period. */
export type SeriesPoint = { period: Period; values: Record<string, number | null> };

/**
 * The change that is most unusual against the metric's own recent history: `score` is
 * the robust z-score of its latest change (see unusual-change.ts).
 */
export type BiggestChange = { key: string; name: string; change: number | null; better: Direction; score: number };

export type DigestSummary = StatusCounts & { sharedMetrics: number; biggestChange: BiggestChange | null; text: string };

export type DepartmentScore = { key: string; name: string; score: number };

export type DigestPulse = {
  collaboration: DigestMetric;
  participation: DigestMetric;
  /** collaboration score by the respondents' department, highest first */
  byDepartment: DepartmentScore[];
  /** the highest and lowest department and the points between them; null with fewer than two */
  gap: { high: DepartmentScore; low: DepartmentScore; points: number } | null;
};

/** A ritual's decision and its outcome (posted since the period began, or still to come). */
export type DigestDecision = {
  metricKey: string;
  name: string;
  unit: Unit;
  decimals?: number;
  currency?: string;
  /** the period the ritual was about */
  periodKey: string;
  decision: string;
  decidedBy: string | null;
  outcome: RitualOutcome;
};

export type Digest = {
  period: Period;
  summary: DigestSummary;
  /** every shared metric (two or more owners), in catalog order */
  metrics: DigestMetric[];
  /** the workspace's departments, in its order */
  departments: DepartmentStatus[];
  pairs: DigestPair[];
  funnel: { stages: FunnelStage[]; bottleneck: (Bottleneck & { metric: string }) | null };
  /** null until a pulse has closed in the period */
  pulse: DigestPulse | null;
  /** the chartable shared metrics over the last periods, oldest first, ending with `period` */
  series: SeriesPoint[];
  /** decisions whose outcome was posted from the period's start until the next period ended, or is still due */
  decisions: DigestDecision[];
};
