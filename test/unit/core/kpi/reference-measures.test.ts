import { describe, expect, it } from "vitest";
import { computeMeasures, computeRecurring } from "../../../../src/core/kpi/reference-measures.ts";
import { DAY, fact, mrr, ms, spend, won } from "./kpi-kit.ts";
import { SEPTEMBER_BREAKDOWNS, SEPTEMBER_FACTS, SEPTEMBER_PULSES } from "./september-fixture.ts";

const SEPTEMBER = { startMs: ms("2026-09-01"), endMs: ms("2026-10-01") };

describe("computeMeasures", () => {
  it("computes the hand-computed month", () => {
    const m = computeMeasures(SEPTEMBER_FACTS, SEPTEMBER, SEPTEMBER_PULSES);
    expect(m).toMatchObject({
      leads: 5,
      mqls: 4,
      sqls: 3,
      opportunities: 6,
      dealsWon: 5,
      dealsLost: 1,
      newCustomers: 4,
      newRevenue: 21_000,
      marketingSpend: 6_000,
      salesSpend: 6_000,
      salesCycleDaysSum: 32.5,
      salesCycleCount: 2,
      npsPromoters: 3,
      npsDetractors: 1,
      npsAnswers: 5,
      csatSum: 12,
      csatCount: 3,
      collaborationSum: 18,
      collaborationCount: 6,
      collaborationByDepartment: { marketing: { sum: 12, count: 3 }, sales: { sum: 6, count: 3 } },
      pulseRespondents: 7,
      pulseAsked: 10,
    });
    expect(m.revenueByChannel).toEqual(SEPTEMBER_BREAKDOWNS.revenue_by_channel);
    expect(m.leadsByChannel).toEqual(SEPTEMBER_BREAKDOWNS.leads);
    expect(m.marketingSpendByChannel).toEqual(SEPTEMBER_BREAKDOWNS.marketing_spend);
    expect(m.salesSpendByChannel).toEqual(SEPTEMBER_BREAKDOWNS.sales_spend);
  });

  it("seed check: 21 new contracts at an average of 7,500 make 157,500 of new revenue", () => {
    const facts = Array.from({ length: 21 }, (_, i) => won("2025-06-15", `contract-${i}`, 7_500));
    const m = computeMeasures(facts, { startMs: ms("2025-01-01"), endMs: ms("2026-01-01") });
    expect(m.newRevenue).toBe(157_500);
    expect(m.dealsWon).toBe(21);
    expect(m.newCustomers).toBe(21);
  });

  it("counts an entity that reaches a stage twice in the window once", () => {
    const facts = ["lead", "mql", "sql", "opportunity"].flatMap((kind) => [
      fact(kind as "lead", "2026-09-02", "x"),
      fact(kind as "lead", "2026-09-20", "x"),
    ]);
    expect(computeMeasures(facts, SEPTEMBER)).toMatchObject({ leads: 1, mqls: 1, sqls: 1, opportunities: 1 });
  });

  it("counts a won and an upsell for one customer as two deals and one new customer", () => {
    const facts = [won("2026-09-02", "x", 1_000), won("2026-09-20", "x", 400, { segment: "upsell" })];
    expect(computeMeasures(facts, SEPTEMBER)).toMatchObject({ dealsWon: 2, newCustomers: 1, newRevenue: 1_400 });
  });

  it("treats a won without segment as new business", () => {
    const facts = [
      won("2026-09-02", "x", 1_000, { segment: null }),
      won("2026-09-03", "y", 1, { segment: "cross_sell" }),
    ];
    expect(computeMeasures(facts, SEPTEMBER)).toMatchObject({ newCustomers: 1, dealsWon: 2 });
  });

  it("measures the sales cycle from the earliest lead of any time, new business only", () => {
    const facts = [
      fact("lead", "2026-06-01", "x"),
      fact("lead", "2026-11-01", "x"), // later lead: not the earliest
      won("2026-09-10", "x", 1), // 101 days after Jun 1
      won("2026-09-20", "x", 1, { segment: "upsell" }), // left out
      won("2026-09-05", "no-lead", 1), // left out
      fact("lead", "2026-09-01T00:00:00Z", "y"),
      won("2026-09-01T12:00:00Z", "y", 1), // half a day
    ];
    const m = computeMeasures(facts, SEPTEMBER);
    expect(m.salesCycleCount).toBe(2);
    expect(m.salesCycleDaysSum).toBeCloseTo(101.5, 12);
  });

  it("attributes revenue to the first lead's channel, else the won's channel, else unknown", () => {
    const facts = [
      fact("lead", "2026-08-01", "a", { channel: "webinar" }),
      fact("lead", "2026-07-01", "a", { channel: "seo" }), // the earliest, though stored later
      won("2026-09-02", "a", 100, { channel: "outbound" }),
      won("2026-09-02", "b", 20, { channel: "partner" }), // no lead
      fact("lead", "2026-08-01", "c"), // earliest lead without channel
      fact("lead", "2026-08-02", "c", { channel: "events" }),
      won("2026-09-03", "c", 3, { channel: "referral" }),
      won("2026-09-04", "d", 4), // no lead, no channel
      fact("lead", "2026-08-05", "e", { channel: "ads" }),
      fact("lead", "2026-08-05", "e", { channel: "tv" }), // same instant, stored later: not first
      won("2026-09-05", "e", 5),
    ];
    expect(computeMeasures(facts, SEPTEMBER).revenueByChannel).toEqual({
      seo: 100,
      partner: 20,
      referral: 3,
      unknown: 4,
      ads: 5,
    });
  });

  it("files each lead entity under its earliest lead in the window", () => {
    const facts = [
      fact("lead", "2026-08-30", "a", { channel: "seo" }), // before the window
      fact("lead", "2026-09-03", "a", { channel: "ads" }),
      fact("lead", "2026-09-01", "b"),
      fact("lead", "2026-09-02", "b", { channel: "ads" }),
    ];
    const m = computeMeasures(facts, SEPTEMBER);
    expect(m.leads).toBe(2);
    expect(m.leadsByChannel).toEqual({ ads: 1, unknown: 1 });
  });

  it("keeps spend of other departments out and files spend without channel as unknown", () => {
    const facts = [
      spend("2026-09-01", "marketing", 10, "ads"),
      spend("2026-09-02", "marketing", 5),
      spend("2026-09-02", "sales", 7),
      spend("2026-09-02", "product", 1_000),
      spend("2026-10-01", "sales", 1_000),
    ];
    expect(computeMeasures(facts, SEPTEMBER)).toMatchObject({
      marketingSpend: 15,
      salesSpend: 7,
      marketingSpendByChannel: { ads: 10, unknown: 5 },
      salesSpendByChannel: { unknown: 7 },
    });
  });

  it("uses half-open windows: the start is in, the end is out", () => {
    const facts = [fact("lead", "2026-09-01T00:00:00Z", "in"), fact("lead", "2026-10-01T00:00:00Z", "out")];
    expect(computeMeasures(facts, SEPTEMBER).leads).toBe(1);
    expect(computeMeasures(facts, { startMs: SEPTEMBER.startMs, endMs: SEPTEMBER.endMs + 1 }).leads).toBe(2);
  });

  it("counts NPS promoters (9–10), passives (7–8) and detractors (0–6)", () => {
    const facts = [0, 6, 7, 8, 9, 10].map((value, i) => fact("nps", "2026-09-05", `c${i}`, { value }));
    expect(computeMeasures(facts, SEPTEMBER)).toMatchObject({ npsPromoters: 2, npsDetractors: 2, npsAnswers: 6 });
  });

  it("reads pulses closed in the window only", () => {
    const m = computeMeasures([], SEPTEMBER, [
      {
        closedMs: ms("2026-10-01"),
        asked: 4,
        respondents: 4,
        collaborationAnswers: [{ department: null, value: 1, respondent: "a" }],
      },
      {
        closedMs: ms("2026-09-30"),
        asked: 3,
        respondents: 2,
        collaborationAnswers: [{ department: null, value: 5, respondent: "b" }],
      },
    ]);
    expect(m).toMatchObject({ pulseAsked: 3, pulseRespondents: 2, collaborationSum: 5, collaborationCount: 1 });
    expect(m.collaborationByDepartment).toEqual({ unknown: { sum: 5, count: 1, people: 1 } });
    expect(m.collaborationPeople).toBe(1);
  });
});

describe("computeRecurring", () => {
  it("sums each customer's latest mrr strictly before the end", () => {
    const facts = [
      mrr("2026-09-01", "a", 100),
      mrr("2026-09-15", "a", 120),
      mrr("2026-10-01", "a", 999), // at the end: not before it
      mrr("2026-09-10", "b", 50),
    ];
    const r = computeRecurring(facts, ms("2026-09-01"), ms("2026-10-01"));
    expect(r).toEqual({ mrrAtEnd: 170, activeAtStart: 0, activeAtEnd: 2, retained: 0 });
  });

  it("takes the fact stored last when two share the latest instant", () => {
    const facts = [
      mrr("2026-09-10", "a", 100),
      mrr("2026-09-10", "a", 0),
      mrr("2026-09-10", "b", 0),
      mrr("2026-09-10", "b", 7),
    ];
    const r = computeRecurring(facts, ms("2026-09-01"), ms("2026-10-01"));
    expect(r).toMatchObject({ mrrAtEnd: 7, activeAtEnd: 1 });
  });

  it("counts mrr 0 as churned: not active, not retained", () => {
    const facts = [
      mrr("2026-08-01", "stays", 10),
      mrr("2026-08-01", "leaves", 10),
      mrr("2026-09-20", "leaves", 0),
      mrr("2026-08-01", "never", 0),
      mrr("2026-09-05", "returns", 0),
      mrr("2026-09-25", "returns", 30),
    ];
    const r = computeRecurring(facts, ms("2026-09-01"), ms("2026-10-01"));
    expect(r).toEqual({ mrrAtEnd: 40, activeAtStart: 2, activeAtEnd: 2, retained: 1 });
  });

  it("is empty without mrr facts", () => {
    expect(computeRecurring([won("2026-09-01", "a", 1)], 0, ms("2030-01-01"))).toEqual({
      mrrAtEnd: 0,
      activeAtStart: 0,
      activeAtEnd: 0,
      retained: 0,
    });
  });

  it("takes days of 24 hours for the cycle, whatever the calendar", () => {
    // One DST-free check of the unit: 36 hours are 1.5 days.
    const facts = [fact("lead", "2026-09-01T00:00:00Z", "a"), won("2026-09-02T12:00:00Z", "a", 1)];
    expect(computeMeasures(facts, SEPTEMBER).salesCycleDaysSum).toBe((36 * 3_600_000) / DAY);
  });
});
