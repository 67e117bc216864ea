// Shared types of the KPI engine. The JSON shape of a snapshot is public (`tandem kpi --json`);
// see toContractJson in snapshot-json.ts for the exact public form.

export const GRAINS = ["day", "week", "month", "quarter", "year"] as const;
export type Grain = (typeof GRAINS)[number];

/** A half-open period [startMs, endMs) in a workspace time zone. */
export type Period = {
  grain: Grain;
  startMs: number;
  endMs: number;
  /** IANA zone the period boundaries were computed in */
  zone: string;
  /** written form: 2026-09-14, 2026-W38, 2026-09, 2026-Q3, 2026 */
  key: string;
};

/** A time window for measures; periods and the LTV churn window both become one. */
export type Window = { startMs: number; endMs: number };

export type Unit = "count" | "percent" | "currency" | "days" | "score" | "ratio";
export type Direction = "up" | "down";
export type Status = "on_track" | "at_risk" | "off_track";

export type MetricDef = {
  key: string;
  name: string;
  description: string;
  unit: Unit;
  better: Direction;
  owners: string[];
  aliases: string[];
  /** decimals shown in chat for score units: 0 for NPS, 1 for 1–5 scales */
  decimals?: number;
  /** custom metrics only: a formula over other metric keys (`ltv / cac`) */
  formula?: string;
  /** true for metrics that carry a breakdown (label → number) */
  hasBreakdown?: boolean;
};

/** Where a target set for another grain came from (docs/metrics.md, "Targets and status"). */
export type TargetSource = {
  grain: Grain;
  /** the target as set, for `grain` */
  value: number;
  /** pro rata by the grains' average lengths (metrics that add up over time), or the same value */
  rule: "pro_rata" | "same";
};

export type MetricResult = {
  key: string;
  name: string;
  unit: Unit;
  value: number | null;
  previous: number | null;
  change: number | null;
  target: number | null;
  status: Status | null;
  owners: string[];
  breakdown: Record<string, number> | null;
  /** set when `target` was derived from a target for another grain; absent or null when set for this one */
  targetFrom?: TargetSource | null;
  /** ISO 4217 code of a currency metric's money (the workspace's `currency`) */
  currency?: string;
};

export type Snapshot = {
  period: Period;
  metrics: MetricResult[];
};

/**
 * A window's measures come in parts, each its own read of the facts (or pulses), so a
 * metric pays only for the parts its formula reads (formulas.ts METRIC_PARTS):
 * stages = mqls, sqls, opportunities, deals lost, NPS and CSAT answers; leads = leads
 * and leads by channel; won = deals won, new revenue, revenue by channel, the sales
 * cycle; customers = new customers; spend = spend and spend by channel; pulse =
 * collaboration answers and pulse participation.
 */
export const MEASURE_PARTS = ["stages", "leads", "won", "customers", "spend", "pulse"] as const;
export type MeasurePart = (typeof MEASURE_PARTS)[number];

/**
 * Everything the formulas of docs/metrics.md need for one window, computed by the
 * store in SQL (src/store/kpi-measures.ts) or in memory (src/core/kpi/reference-measures.ts,
 * the oracle for tests). Counts follow the counting rule: stages are distinct entities,
 * deals are facts.
 */
export type Measures = {
  leads: number;
  mqls: number;
  sqls: number;
  opportunities: number;
  dealsWon: number;
  dealsLost: number;
  /** distinct entities with a won fact of segment new */
  newCustomers: number;
  /** sum of won values, all segments */
  newRevenue: number;
  marketingSpend: number;
  salesSpend: number;
  /** sum and count of (won − earliest lead) in days, over new-segment won facts whose entity has a lead */
  salesCycleDaysSum: number;
  salesCycleCount: number;
  npsPromoters: number;
  npsDetractors: number;
  npsAnswers: number;
  csatSum: number;
  csatCount: number;
  /** won values by first-touch attribution channel (docs/metrics.md) */
  revenueByChannel: Record<string, number>;
  /** distinct lead entities by the channel of their earliest lead fact in the window ("unknown" if none) */
  leadsByChannel: Record<string, number>;
  marketingSpendByChannel: Record<string, number>;
  salesSpendByChannel: Record<string, number>;
  /** pulse answers to questions tagged collaboration, for pulses closed in the window */
  collaborationSum: number;
  collaborationCount: number;
  /**
   * The fewest people behind the collaboration answers of any one pulse in the window:
   * anonymity minimums count people, not answers (one person answers several questions).
   */
  collaborationPeople: number;
  collaborationByDepartment: Record<string, { sum: number; count: number; people: number }>;
  pulseRespondents: number;
  pulseAsked: number;
};

/** Recurring revenue between two instants: active(t) = latest mrr before t is > 0. */
export type RecurringMeasures = {
  /** Σ over entities of the latest mrr value with occurred_at < end */
  mrrAtEnd: number;
  activeAtStart: number;
  activeAtEnd: number;
  /** |active(start) ∩ active(end)| */
  retained: number;
};

export type TargetSpec = {
  metric: string;
  grain: Grain;
  /** department key, or null for the whole company */
  department: string | null;
  value: number;
};

/** A workspace's KPI configuration (metrics as code, targets, gross margin, currency). */
export type KpiSettings = {
  grossMargin: number;
  /** ISO 4217 code money is shown in */
  currency: string;
  /** fewest pulse answers a group needs before its own figures are shown (at least 3) */
  pulseMinGroupSize: number;
  departments: { key: string; name: string }[];
  targets: TargetSpec[];
  /** changes to built-in metrics (owners, display name) */
  overrides: Record<string, { owners?: string[]; name?: string; description?: string }>;
  /** custom metrics: MetricDef with `formula` set */
  customMetrics: MetricDef[];
};

export const DEFAULT_CURRENCY = "USD";

export const DEFAULT_KPI_SETTINGS: KpiSettings = {
  grossMargin: 1,
  currency: DEFAULT_CURRENCY,
  pulseMinGroupSize: 3,
  departments: [
    { key: "marketing", name: "Marketing" },
    { key: "sales", name: "Sales" },
    { key: "product", name: "Product" },
  ],
  targets: [],
  overrides: {},
  customMetrics: [],
};
