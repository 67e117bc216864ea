import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BUILTIN_METRICS } from "../../../../src/core/kpi/catalog.ts";
import { METRIC_INPUTS, METRIC_PARTS, metricBreakdowns, metricValues } from "../../../../src/core/kpi/formulas.ts";
import { emptyMeasures, emptyRecurring, onlyParts } from "../../../../src/core/kpi/reference-measures.ts";
import type { Measures, RecurringMeasures } from "../../../../src/core/kpi/types.ts";

function values(
  current: Partial<Measures> = {},
  recurring: Partial<RecurringMeasures> = {},
  rest: {
    churnWindow?: Partial<RecurringMeasures>;
    previousNewRevenue?: number | null;
    previousMrr?: number | null;
  } = {},
) {
  return metricValues({
    current: { ...emptyMeasures(), ...current },
    recurring: { ...emptyRecurring(), ...recurring },
    churnWindow: { ...emptyRecurring(), ...rest.churnWindow },
    previousNewRevenue: rest.previousNewRevenue ?? null,
    previousMrr: rest.previousMrr ?? null,
    grossMargin: 1,
  });
}

describe("metricValues", () => {
  it("has a value and an input list for every built-in metric", () => {
    const keys = BUILTIN_METRICS.map((m) => m.key).sort();
    expect(Object.keys(values()).sort()).toEqual(keys);
    expect(Object.keys(METRIC_INPUTS).sort()).toEqual(keys);
  });

  it("answers null, never 0, NaN or Infinity, for every zero denominator", () => {
    const v = values();
    for (const key of [
      "lead_to_mql_rate",
      "mql_to_sql_rate",
      "sql_to_opportunity_rate",
      "opportunity_to_win_rate",
      "win_rate",
      "lead_to_customer_rate",
      "sql_to_customer_rate",
      "new_revenue_growth",
      "avg_deal_size",
      "mrr_growth",
      "cac",
      "cpl",
      "romi",
      "customer_retention_rate",
      "customer_churn_rate",
      "arpa",
      "ltv",
      "ltv_to_cac",
      "sales_cycle_days",
      "nps",
      "csat",
      "collaboration_score",
      "pulse_participation",
    ]) {
      expect(v[key], key).toBeNull();
    }
    for (const value of Object.values(v)) if (value !== null) expect(Number.isFinite(value)).toBe(true);
  });

  it("counts volumes as 0, not null, when nothing happened", () => {
    const v = values();
    for (const key of ["leads", "deals_won", "new_revenue", "mrr", "arr", "marketing_spend", "active_customers"]) {
      expect(v[key], key).toBe(0);
    }
  });

  it("computes growth against the previous period and is undefined after a zero", () => {
    expect(values({ newRevenue: 150 }, {}, { previousNewRevenue: 100 }).new_revenue_growth).toBe(0.5);
    expect(values({ newRevenue: 50 }, {}, { previousNewRevenue: 100 }).new_revenue_growth).toBe(-0.5);
    expect(values({ newRevenue: 50 }, {}, { previousNewRevenue: 0 }).new_revenue_growth).toBeNull();
    expect(values({}, { mrrAtEnd: 220 }, { previousMrr: 200 }).mrr_growth).toBeCloseTo(0.1, 12);
  });

  it("keeps CAC undefined without new customers even with spend, and 0 without spend", () => {
    expect(values({ marketingSpend: 100, newCustomers: 0 }).cac).toBeNull();
    expect(values({ newCustomers: 2 }).cac).toBe(0);
    // LTV:CAC with a CAC of 0 is a zero denominator as well.
    expect(
      values({ newCustomers: 2 }, { mrrAtEnd: 100, activeAtEnd: 1 }, { churnWindow: { activeAtStart: 2, retained: 1 } })
        .ltv_to_cac,
    ).toBeNull();
  });

  it("computes ROMI, win rate and NPS", () => {
    const v = values({
      newRevenue: 300,
      marketingSpend: 100,
      dealsWon: 3,
      dealsLost: 1,
      npsPromoters: 5,
      npsDetractors: 3,
      npsAnswers: 10,
    });
    expect(v.romi).toBe(2);
    expect(v.win_rate).toBe(0.75);
    expect(v.nps).toBe(20);
    expect(values({ npsDetractors: 4, npsAnswers: 4 }).nps).toBe(-100);
  });

  it("computes retention, churn and LTV with the gross margin and the monthly churn", () => {
    const input = {
      current: emptyMeasures(),
      recurring: { mrrAtEnd: 1_000, activeAtStart: 10, activeAtEnd: 10, retained: 8 },
      churnWindow: { mrrAtEnd: 1_000, activeAtStart: 20, activeAtEnd: 10, retained: 19 },
      previousNewRevenue: null,
      previousMrr: null,
      grossMargin: 0.75,
    };
    const v = metricValues(input);
    expect(v.customer_retention_rate).toBe(0.8);
    expect(v.customer_churn_rate).toBeCloseTo(0.2, 12);
    expect(v.arpa).toBe(100);
    expect(v.ltv).toBeCloseTo((100 * 0.75) / 0.05, 9);
    // Nobody churned in the month: LTV has no finite value.
    expect(metricValues({ ...input, churnWindow: { ...input.churnWindow, retained: 20 } }).ltv).toBeNull();
  });

  it("takes the whole revenue as the value of revenue by channel", () => {
    expect(values({ newRevenue: 42 }).revenue_by_channel).toBe(42);
  });
});

describe("metricBreakdowns", () => {
  it("gives channel breakdowns and the mean collaboration answer per department", () => {
    const b = metricBreakdowns({
      ...emptyMeasures(),
      revenueByChannel: { ads: 3 },
      leadsByChannel: { unknown: 2 },
      marketingSpendByChannel: { ads: 1 },
      salesSpendByChannel: { outbound: 5 },
      collaborationByDepartment: {
        sales: { sum: 10.5, count: 3, people: 3 },
        marketing: { sum: 0, count: 0, people: 0 },
        // two answers could be told apart: hidden, as in pulse results
        product: { sum: 9, count: 2, people: 2 },
        success: { sum: 4, count: 1, people: 1 },
      },
    });
    expect(b).toEqual({
      revenue_by_channel: { ads: 3 },
      leads: { unknown: 2 },
      marketing_spend: { ads: 1 },
      sales_spend: { outbound: 5 },
      collaboration_score: { sales: 3.5 },
    });
  });

  it("shows a department's collaboration from the workspace's pulse minimum on, never below 3", () => {
    const measures = {
      ...emptyMeasures(),
      collaborationByDepartment: {
        sales: { sum: 20, count: 5, people: 5 },
        marketing: { sum: 16, count: 4, people: 4 },
        product: { sum: 9, count: 3, people: 3 },
        support: { sum: 9, count: 3, people: 3 },
      },
    };
    const shown = (min: number) => Object.keys(metricBreakdowns(measures, min).collaboration_score ?? {});
    // exactly the minimum is shown, one below is not
    expect(shown(5)).toEqual(["sales"]);
    expect(shown(4)).toEqual(["sales", "marketing"]);
    expect(shown(3)).toEqual(["sales", "marketing", "product", "support"]);
    expect(shown(1)).toEqual(["sales", "marketing", "product", "support"]);
  });

  const collaboration = (byDepartment: Record<string, number>) =>
    metricBreakdowns({
      ...emptyMeasures(),
      collaborationByDepartment: Object.fromEntries(
        Object.entries(byDepartment).map(([key, count]) => [key, { sum: 4 * count, count, people: count }]),
      ),
    }).collaboration_score;

  it("shows a department's collaboration score from exactly 3 answers, never 2", () => {
    expect(collaboration({ sales: 3, marketing: 3 })).toEqual({ sales: 4, marketing: 4 });
    // marketing's 2 are left out, and sales' 3 with them: the overall score minus sales would give them away
    expect(collaboration({ sales: 3, marketing: 2 })).toEqual({});
    // marketing and product together are 3: enough to stay apart as the remainder
    expect(collaboration({ sales: 3, marketing: 2, product: 1 })).toEqual({ sales: 4 });
    // a remainder of exactly 3 may stay together
    expect(collaboration({ sales: 4, marketing: 3, product: 2, success: 1 })).toEqual({ sales: 4, marketing: 4 });
    expect(collaboration({ sales: 4, marketing: 3, product: 2 })).toEqual({ sales: 4 });
  });

  it("shows no collaboration score at all below 3 answers, as a pulse would not", () => {
    const score = (sum: number, count: number) =>
      values({ collaborationSum: sum, collaborationCount: count, collaborationPeople: count }).collaboration_score;
    expect(score(12, 3)).toBe(4);
    expect(score(8, 2)).toBeNull();
  });

  it("shows no collaboration score below the workspace's own pulse minimum", () => {
    const score = (count: number, pulseMinGroupSize: number) =>
      metricValues({
        current: {
          ...emptyMeasures(),
          collaborationSum: 4 * count,
          collaborationCount: count,
          collaborationPeople: count,
        },
        recurring: emptyRecurring(),
        churnWindow: emptyRecurring(),
        previousNewRevenue: null,
        previousMrr: null,
        grossMargin: 1,
        pulseMinGroupSize,
      }).collaboration_score;
    expect(score(5, 5)).toBe(4);
    expect(score(4, 5)).toBeNull();
    // never below 3, whatever the setting says
    expect(score(2, 1)).toBeNull();
  });

  it("covers exactly the metrics the catalog marks as having a breakdown", () => {
    const marked = BUILTIN_METRICS.filter((m) => m.hasBreakdown).map((m) => m.key);
    expect(Object.keys(metricBreakdowns(emptyMeasures())).sort()).toEqual(marked.sort());
  });
});

describe("the parts of the measures each metric reads (METRIC_PARTS)", () => {
  const channels = fc.dictionary(fc.constantFrom("ads", "seo", "unknown"), fc.integer({ min: 1, max: 1_000 }));
  const count = fc.integer({ min: 1, max: 1_000 });
  const measuresArb: fc.Arbitrary<Measures> = fc.record({
    leads: count,
    mqls: count,
    sqls: count,
    opportunities: count,
    dealsWon: count,
    dealsLost: count,
    newCustomers: count,
    newRevenue: count,
    marketingSpend: count,
    salesSpend: count,
    salesCycleDaysSum: count,
    salesCycleCount: count,
    npsPromoters: count,
    npsDetractors: count,
    npsAnswers: count,
    csatSum: count,
    csatCount: count,
    revenueByChannel: channels,
    leadsByChannel: channels,
    marketingSpendByChannel: channels,
    salesSpendByChannel: channels,
    collaborationSum: count,
    collaborationCount: count,
    collaborationPeople: count,
    collaborationByDepartment: fc.dictionary(
      fc.constantFrom("marketing", "sales"),
      fc.record({ sum: count, count, people: count }),
    ),
    pulseRespondents: count,
    pulseAsked: count,
  });
  const readingMeasures = BUILTIN_METRICS.filter((def) => METRIC_INPUTS[def.key]?.includes("measures"));

  it("names the parts of every built-in metric that reads measures", () => {
    expect(readingMeasures.length).toBeGreaterThan(20);
    for (const def of readingMeasures) expect(METRIC_PARTS[def.key], def.key).toBeDefined();
  });

  it("gives every metric, and its breakdown, the same value from its parts alone as from the whole", () => {
    fc.assert(
      fc.property(measuresArb, (whole) => {
        const input = (current: Measures) => ({
          current,
          recurring: { ...emptyRecurring(), mrrAtEnd: 500, activeAtEnd: 5, activeAtStart: 5, retained: 4 },
          churnWindow: { ...emptyRecurring(), activeAtStart: 5, retained: 4 },
          previousNewRevenue: 100,
          previousMrr: 400,
          grossMargin: 0.8,
        });
        const all = metricValues(input(whole));
        const allBreakdowns = metricBreakdowns(whole);
        for (const def of readingMeasures) {
          const alone = onlyParts(whole, METRIC_PARTS[def.key] ?? []);
          expect(metricValues(input(alone))[def.key], def.key).toBe(all[def.key]);
          if (def.key in allBreakdowns)
            expect(metricBreakdowns(alone)[def.key], def.key).toEqual(allBreakdowns[def.key]);
        }
      }),
      { numRuns: 200 },
    );
  });
});
