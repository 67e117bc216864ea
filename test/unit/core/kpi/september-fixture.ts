// A hand-computed month (2026-09, UTC) touching every built-in metric. The expected
// numbers are worked out in the comments; engine.test.ts and formulas.test.ts check them.
import type { ClosedPulseData } from "../../../../src/core/kpi/reference-measures.ts";
import { fact, mrr, spend, won } from "./kpi-kit.ts";

export const SEPTEMBER_FACTS = [
  // e1: lead in August (webinar), through the funnel in September, won new then an upsell.
  fact("lead", "2026-08-20", "e1", { channel: "webinar" }),
  fact("mql", "2026-09-02", "e1"),
  fact("sql", "2026-09-05", "e1"),
  fact("opportunity", "2026-09-08", "e1"),
  won("2026-09-20", "e1", 10_000, { channel: "outbound" }), // cycle 31 days; attributed to webinar
  won("2026-09-28", "e1", 2_000, { segment: "upsell" }), // 2nd deal, not a 2nd customer, not in the cycle
  // e2: two leads and two mqls in the month (each counts once), lost.
  fact("lead", "2026-09-01", "e2", { channel: "paid_search" }),
  fact("lead", "2026-09-03", "e2", { channel: "webinar" }),
  fact("mql", "2026-09-04", "e2"),
  fact("mql", "2026-09-06", "e2"),
  fact("sql", "2026-09-10", "e2"),
  fact("opportunity", "2026-09-12", "e2"),
  fact("lost", "2026-09-25", "e2"),
  // e3: a lead without channel.
  fact("lead", "2026-09-10", "e3"),
  fact("mql", "2026-09-11", "e3"),
  // e4, e5: won without any lead: attributed to the won's channel, else unknown; no cycle.
  fact("opportunity", "2026-09-14", "e4"),
  won("2026-09-15", "e4", 5_000, { channel: "partner" }),
  won("2026-09-16", "e5", 1_000),
  // e6: lead at the very end of the month, another after it.
  fact("lead", "2026-09-30T23:00:00Z", "e6", { channel: "paid_search" }),
  fact("lead", "2026-10-01T00:00:00Z", "e6", { channel: "webinar" }),
  // e7: quick win, cycle 1.5 days.
  fact("lead", "2026-09-05T12:00:00Z", "e7", { channel: "webinar" }),
  fact("mql", "2026-09-05T18:00:00Z", "e7"),
  fact("sql", "2026-09-06", "e7"),
  fact("opportunity", "2026-09-06", "e7"),
  won("2026-09-07", "e7", 3_000),
  fact("opportunity", "2026-09-20", "e8"),
  fact("opportunity", "2026-09-21", "e9"),
  fact("lead", "2026-09-29", "e10", { channel: "webinar" }),
  // Spend: marketing 6,000 (4,000 paid_search + 2,000 unknown), sales 6,000; product and October ignored.
  spend("2026-09-01", "marketing", 4_000, "paid_search"),
  spend("2026-09-15", "marketing", 2_000),
  spend("2026-09-10", "sales", 6_000, "outbound"),
  spend("2026-09-10", "product", 500),
  spend("2026-10-01", "marketing", 999),
  // Previous months' revenue: August 14,000, July 7,000.
  won("2026-08-10", "e11", 14_000),
  won("2026-07-10", "e12", 7_000),
  // MRR. At Sep 1: c1 100, c2 200, c4 50, c5 90 (440; 4 active). At Oct 1: c1 150, c2 0,
  // c3 300, c4 50, c5 90 (590; 4 active); retained c1, c4, c5. At Aug 1: c1 100.
  mrr("2026-07-01", "c1", 100),
  mrr("2026-09-10", "c1", 150),
  mrr("2026-08-15", "c2", 200),
  mrr("2026-09-20", "c2", 0),
  mrr("2026-09-05", "c3", 300),
  mrr("2026-08-01", "c4", 50),
  mrr("2026-10-01", "c4", 999), // at the period end: not before it
  mrr("2026-08-31", "c5", 80),
  mrr("2026-08-31", "c5", 90), // same instant, stored later: wins
  // NPS: promoters 3, detractors 1, of 5 → 40. CSAT mean 4.
  fact("nps", "2026-09-03", "c1", { value: 10 }),
  fact("nps", "2026-09-04", "c2", { value: 9 }),
  fact("nps", "2026-09-05", "c3", { value: 9 }),
  fact("nps", "2026-09-06", "c4", { value: 8 }),
  fact("nps", "2026-09-07", "c5", { value: 3 }),
  fact("nps", "2026-08-07", "c5", { value: 0 }),
  fact("csat", "2026-09-03", "c1", { value: 5 }),
  fact("csat", "2026-09-04", "c2", { value: 4 }),
  fact("csat", "2026-09-05", "c3", { value: 3 }),
];

export const SEPTEMBER_PULSES: ClosedPulseData[] = [
  {
    closedMs: Date.parse("2026-09-25T15:00:00Z"),
    asked: 10,
    respondents: 7,
    collaborationAnswers: [
      // three people a department: the floor under which a department's mean is hidden
      { department: "marketing", value: 4, respondent: "m1" },
      { department: "marketing", value: 4, respondent: "m2" },
      { department: "marketing", value: 4, respondent: "m3" },
      { department: "sales", value: 3, respondent: "s1" },
      { department: "sales", value: 2, respondent: "s2" },
      { department: "sales", value: 1, respondent: "s3" },
    ],
  },
  { closedMs: Date.parse("2026-08-30T15:00:00Z"), asked: 5, respondents: 5, collaborationAnswers: [] },
];

const CAC = 12_000 / 4;
const LTV = ((590 / 4) * 0.8) / 0.25;

/** Every built-in metric for 2026-09 with gross margin 0.8. */
export const SEPTEMBER_VALUES: Record<string, number | null> = {
  leads: 5, // e2, e3, e6, e7, e10
  mqls: 4, // e1, e2, e3, e7
  sqls: 3, // e1, e2, e7
  opportunities: 6, // e1, e2, e4, e7, e8, e9
  deals_won: 5,
  deals_lost: 1,
  new_customers: 4, // e1, e4, e5, e7
  lead_to_mql_rate: 4 / 5,
  mql_to_sql_rate: 3 / 4,
  sql_to_opportunity_rate: 6 / 3,
  opportunity_to_win_rate: 5 / 6,
  win_rate: 5 / 6,
  lead_to_customer_rate: 4 / 5,
  sql_to_customer_rate: 4 / 3,
  new_revenue: 21_000,
  new_revenue_growth: (21_000 - 14_000) / 14_000,
  avg_deal_size: 21_000 / 5,
  mrr: 590,
  arr: 12 * 590,
  mrr_growth: (590 - 440) / 440,
  revenue_by_channel: 21_000,
  marketing_spend: 6_000,
  sales_spend: 6_000,
  cac: CAC,
  cpl: 6_000 / 5,
  romi: (21_000 - 6_000) / 6_000,
  active_customers: 4,
  customer_retention_rate: 0.75,
  customer_churn_rate: 0.25,
  arpa: 590 / 4,
  ltv: LTV, // 472
  ltv_to_cac: LTV / CAC,
  sales_cycle_days: (31 + 1.5) / 2,
  nps: 40,
  csat: 4,
  collaboration_score: 3,
  pulse_participation: 0.7,
};

export const SEPTEMBER_BREAKDOWNS: Record<string, Record<string, number>> = {
  revenue_by_channel: { webinar: 15_000, partner: 5_000, unknown: 1_000 },
  leads: { paid_search: 2, unknown: 1, webinar: 2 },
  marketing_spend: { paid_search: 4_000, unknown: 2_000 },
  sales_spend: { outbound: 6_000 },
  collaboration_score: { marketing: 4, sales: 2 },
};
