// Invariants of the reference measures and the formulas over arbitrary fact sets.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FACT_KINDS, type Fact } from "../../../../src/core/facts/fact.ts";
import { metricBreakdowns, metricValues } from "../../../../src/core/kpi/formulas.ts";
import { computeMeasures, computeRecurring } from "../../../../src/core/kpi/reference-measures.ts";

const START = Date.parse("2026-08-01T00:00:00Z");
const SPAN = 90 * 86_400_000;

const factArb: fc.Arbitrary<Fact> = fc
  .record({
    kind: fc.constantFrom(...FACT_KINDS),
    // A coarse clock makes same-instant ties common.
    occurredMs: fc.integer({ min: 0, max: 90 * 24 }).map((hour) => START + hour * 3_600_000),
    entity: fc.constantFrom("a", "b", "c", "d", "e", "f"),
    money: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 0, max: 1e4, noNaN: true })),
    score: fc.integer({ min: 0, max: 10 }),
    csat: fc.double({ min: 1, max: 5, noNaN: true }),
    channel: fc.constantFrom(null, "ads", "seo", "webinar"),
    department: fc.constantFrom("marketing", "sales", "product"),
    segment: fc.constantFrom(null, "new", "upsell", "cross_sell"),
  })
  .map((r): Fact => {
    const value =
      r.kind === "won" || r.kind === "spend" || r.kind === "mrr"
        ? r.money
        : r.kind === "nps"
          ? r.score
          : r.kind === "csat"
            ? r.csat
            : null;
    return {
      occurredMs: r.occurredMs,
      kind: r.kind,
      entityId: r.kind === "spend" ? null : r.entity,
      value,
      channel: r.channel,
      department: r.kind === "spend" ? r.department : null,
      segment: r.kind === "won" ? (r.segment as Fact["segment"]) : null,
      externalId: null,
    };
  });

const windowArb = fc
  .tuple(fc.integer({ min: 0, max: SPAN }), fc.integer({ min: 0, max: SPAN }))
  .map(([a, b]) => ({ startMs: START + Math.min(a, b), endMs: START + Math.max(a, b) }));

const factsArb = fc.array(factArb, { maxLength: 60 });
const sum = (record: Record<string, number>) => Object.values(record).reduce((total, n) => total + n, 0);
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

describe("reference measures, for any facts and window", () => {
  it("have breakdowns that sum to their totals", () => {
    fc.assert(
      fc.property(factsArb, windowArb, (facts, window) => {
        const m = computeMeasures(facts, window);
        expect(close(sum(m.revenueByChannel), m.newRevenue)).toBe(true);
        expect(sum(m.leadsByChannel)).toBe(m.leads);
        expect(close(sum(m.marketingSpendByChannel), m.marketingSpend)).toBe(true);
        expect(close(sum(m.salesSpendByChannel), m.salesSpend)).toBe(true);
        const b = metricBreakdowns(m);
        expect(close(sum(b.revenue_by_channel ?? {}), m.newRevenue)).toBe(true);
      }),
    );
  });

  it("count each customer once and each deal once", () => {
    fc.assert(
      fc.property(factsArb, windowArb, (facts, window) => {
        const m = computeMeasures(facts, window);
        expect(m.newCustomers).toBeLessThanOrEqual(m.dealsWon);
        expect(m.salesCycleCount).toBeLessThanOrEqual(m.dealsWon);
        expect(m.npsPromoters + m.npsDetractors).toBeLessThanOrEqual(m.npsAnswers);
        const inside = facts.filter((f) => f.occurredMs >= window.startMs && f.occurredMs < window.endMs);
        expect(m.dealsWon).toBe(inside.filter((f) => f.kind === "won").length);
        expect(m.leads).toBe(new Set(inside.filter((f) => f.kind === "lead").map((f) => f.entityId)).size);
      }),
    );
  });

  it("keep retained customers within both ends", () => {
    fc.assert(
      fc.property(factsArb, windowArb, (facts, window) => {
        const r = computeRecurring(facts, window.startMs, window.endMs);
        expect(r.retained).toBeLessThanOrEqual(Math.min(r.activeAtStart, r.activeAtEnd));
        expect(r.mrrAtEnd).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

describe("metric values, for any facts", () => {
  it("are finite or null, with bounded rates in [0, 1] and retention + churn = 1", () => {
    fc.assert(
      fc.property(factsArb, windowArb, fc.double({ min: 0, max: 1, noNaN: true }), (facts, window, grossMargin) => {
        const values = metricValues({
          current: computeMeasures(facts, window),
          recurring: computeRecurring(facts, window.startMs, window.endMs),
          churnWindow: computeRecurring(facts, window.endMs - 30 * 86_400_000, window.endMs),
          previousNewRevenue: computeMeasures(facts, { startMs: window.startMs - SPAN, endMs: window.startMs })
            .newRevenue,
          previousMrr: computeRecurring(facts, window.startMs - SPAN, window.startMs).mrrAtEnd,
          grossMargin,
        });
        for (const [key, value] of Object.entries(values)) {
          if (value !== null) expect(Number.isFinite(value), key).toBe(true);
        }
        for (const key of ["win_rate", "customer_retention_rate", "customer_churn_rate", "pulse_participation"]) {
          const value = values[key];
          if (value !== null && value !== undefined) {
            expect(value, key).toBeGreaterThanOrEqual(0);
            expect(value, key).toBeLessThanOrEqual(1);
          }
        }
        const retention = values.customer_retention_rate ?? null;
        const churn = values.customer_churn_rate ?? null;
        expect(retention === null).toBe(churn === null);
        if (retention !== null && churn !== null) expect(retention + churn).toBeCloseTo(1, 12);
        const nps = values.nps;
        if (nps !== null && nps !== undefined) expect(Math.abs(nps)).toBeLessThanOrEqual(100);
      }),
    );
  });
});
