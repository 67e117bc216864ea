// Metric values from measures, formula by formula as docs/metrics.md writes them.
// A ratio with a zero denominator is null: never 0, NaN or Infinity.
import { publishableGroups } from "../pulse/anonymity.ts";
import type { MeasurePart, Measures, RecurringMeasures } from "./types.ts";

export type FormulaInput = {
  current: Measures;
  /** recurring measures over the period itself: [start, end) */
  recurring: RecurringMeasures;
  /** recurring measures over [end − 1 calendar month, end), for the monthly churn of ltv */
  churnWindow: RecurringMeasures;
  previousNewRevenue: number | null;
  previousMrr: number | null;
  grossMargin: number;
  /** the workspace's pulse minimum: fewer collaboration answers give no score (never below 3) */
  pulseMinGroupSize?: number;
};

/** What a built-in metric needs, so the engine fetches no more than the asked metrics use. */
export type MetricInput = "measures" | "recurring" | "churnWindow" | "previousMeasures" | "previousRecurring";

export const METRIC_INPUTS: Record<string, MetricInput[]> = {
  leads: ["measures"],
  mqls: ["measures"],
  sqls: ["measures"],
  opportunities: ["measures"],
  deals_won: ["measures"],
  deals_lost: ["measures"],
  new_customers: ["measures"],
  lead_to_mql_rate: ["measures"],
  mql_to_sql_rate: ["measures"],
  sql_to_opportunity_rate: ["measures"],
  opportunity_to_win_rate: ["measures"],
  win_rate: ["measures"],
  lead_to_customer_rate: ["measures"],
  sql_to_customer_rate: ["measures"],
  new_revenue: ["measures"],
  new_revenue_growth: ["measures", "previousMeasures"],
  avg_deal_size: ["measures"],
  mrr: ["recurring"],
  arr: ["recurring"],
  mrr_growth: ["recurring", "previousRecurring"],
  revenue_by_channel: ["measures"],
  marketing_spend: ["measures"],
  sales_spend: ["measures"],
  cac: ["measures"],
  cpl: ["measures"],
  romi: ["measures"],
  active_customers: ["recurring"],
  customer_retention_rate: ["recurring"],
  customer_churn_rate: ["recurring"],
  arpa: ["recurring"],
  ltv: ["recurring", "churnWindow"],
  ltv_to_cac: ["measures", "recurring", "churnWindow"],
  sales_cycle_days: ["measures"],
  nps: ["measures"],
  csat: ["measures"],
  collaboration_score: ["measures"],
  pulse_participation: ["measures"],
};

/**
 * The parts of the measures (types.ts MEASURE_PARTS) each built-in metric reading
 * "measures" uses, its breakdown included: a sparkline of cac reads spend and
 * customers, not the funnel. Checked by a test that recomputes every metric from
 * these parts alone.
 */
export const METRIC_PARTS: Record<string, MeasurePart[]> = {
  leads: ["leads"],
  mqls: ["stages"],
  sqls: ["stages"],
  opportunities: ["stages"],
  deals_won: ["won"],
  deals_lost: ["stages"],
  new_customers: ["customers"],
  lead_to_mql_rate: ["leads", "stages"],
  mql_to_sql_rate: ["stages"],
  sql_to_opportunity_rate: ["stages"],
  opportunity_to_win_rate: ["won", "stages"],
  win_rate: ["won", "stages"],
  lead_to_customer_rate: ["leads", "customers"],
  sql_to_customer_rate: ["stages", "customers"],
  new_revenue: ["won"],
  new_revenue_growth: ["won"],
  avg_deal_size: ["won"],
  revenue_by_channel: ["won"],
  marketing_spend: ["spend"],
  sales_spend: ["spend"],
  cac: ["spend", "customers"],
  cpl: ["spend", "leads"],
  romi: ["won", "spend"],
  ltv_to_cac: ["spend", "customers"],
  sales_cycle_days: ["won"],
  nps: ["stages"],
  csat: ["stages"],
  collaboration_score: ["pulse"],
  pulse_participation: ["pulse"],
};

/** a / b, or null when either is null or b is 0 (or the result is not finite). */
export function ratio(a: number | null, b: number | null): number | null {
  if (a === null || b === null || b === 0) return null;
  const result = a / b;
  return Number.isFinite(result) ? result : null;
}

function growth(value: number, previous: number | null): number | null {
  return previous === null ? null : ratio(value - previous, previous);
}

function retentionOf(recurring: RecurringMeasures): number | null {
  return ratio(recurring.retained, recurring.activeAtStart);
}

function churnOf(recurring: RecurringMeasures): number | null {
  const retention = retentionOf(recurring);
  return retention === null ? null : 1 - retention;
}

export function metricValues(input: FormulaInput): Record<string, number | null> {
  const m = input.current;
  const r = input.recurring;
  const cac = ratio(m.marketingSpend + m.salesSpend, m.newCustomers);
  const arpa = ratio(r.mrrAtEnd, r.activeAtEnd);
  const monthlyChurn = churnOf(input.churnWindow);
  const ltv = arpa === null ? null : ratio(arpa * input.grossMargin, monthlyChurn);

  return {
    leads: m.leads,
    mqls: m.mqls,
    sqls: m.sqls,
    opportunities: m.opportunities,
    deals_won: m.dealsWon,
    deals_lost: m.dealsLost,
    new_customers: m.newCustomers,
    lead_to_mql_rate: ratio(m.mqls, m.leads),
    mql_to_sql_rate: ratio(m.sqls, m.mqls),
    sql_to_opportunity_rate: ratio(m.opportunities, m.sqls),
    opportunity_to_win_rate: ratio(m.dealsWon, m.opportunities),
    win_rate: ratio(m.dealsWon, m.dealsWon + m.dealsLost),
    lead_to_customer_rate: ratio(m.newCustomers, m.leads),
    sql_to_customer_rate: ratio(m.newCustomers, m.sqls),
    new_revenue: m.newRevenue,
    new_revenue_growth: growth(m.newRevenue, input.previousNewRevenue),
    avg_deal_size: ratio(m.newRevenue, m.dealsWon),
    mrr: r.mrrAtEnd,
    arr: 12 * r.mrrAtEnd,
    mrr_growth: growth(r.mrrAtEnd, input.previousMrr),
    revenue_by_channel: m.newRevenue,
    marketing_spend: m.marketingSpend,
    sales_spend: m.salesSpend,
    cac,
    cpl: ratio(m.marketingSpend, m.leads),
    romi: ratio(m.newRevenue - m.marketingSpend, m.marketingSpend),
    active_customers: r.activeAtEnd,
    customer_retention_rate: retentionOf(r),
    customer_churn_rate: churnOf(r),
    arpa,
    ltv,
    ltv_to_cac: ratio(ltv, cac),
    sales_cycle_days: ratio(m.salesCycleDaysSum, m.salesCycleCount),
    nps: ratio(100 * (m.npsPromoters - m.npsDetractors), m.npsAnswers),
    csat: ratio(m.csatSum, m.csatCount),
    // fewer people than a pulse needs to show its figures are not shown here either
    collaboration_score:
      m.collaborationPeople >= Math.max(MIN_PULSE_GROUP, input.pulseMinGroupSize ?? MIN_PULSE_GROUP)
        ? ratio(m.collaborationSum, m.collaborationCount)
        : null,
    pulse_participation: ratio(m.pulseRespondents, m.pulseAsked),
  };
}

/** The smallest group whose pulse answers may be shown apart (never below 3). */
export const MIN_PULSE_GROUP = 3;

/**
 * Label → number breakdowns of the metrics that carry one (channels; departments for
 * collaboration). `minGroupSize` is the workspace's pulse minimum (never below MIN_PULSE_GROUP).
 */
export function metricBreakdowns(
  measures: Measures,
  minGroupSize: number = MIN_PULSE_GROUP,
): Record<string, Record<string, number>> {
  const floor = Math.max(MIN_PULSE_GROUP, minGroupSize);
  const collaboration: Record<string, number> = {};
  const byDepartment = measures.collaborationByDepartment;
  // Pulse answers are anonymous: a department's mean is shown only under the rule pulse
  // results follow (at least the workspace's minimum of people, and no smaller remainder
  // that the overall score minus the shown departments would give away).
  const counts = Object.entries(byDepartment).map(([department, { people }]): [string, number] => [department, people]);
  for (const department of publishableGroups(counts, floor)) {
    const { sum, count } = byDepartment[department] as { sum: number; count: number };
    collaboration[department] = sum / count;
  }
  return {
    revenue_by_channel: { ...measures.revenueByChannel },
    leads: { ...measures.leadsByChannel },
    marketing_spend: { ...measures.marketingSpendByChannel },
    sales_spend: { ...measures.salesSpendByChannel },
    collaboration_score: collaboration,
  };
}
