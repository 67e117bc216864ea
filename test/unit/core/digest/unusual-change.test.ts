import { describe, expect, it } from "vitest";
import type { DigestMetric, SeriesPoint } from "../../../../src/core/digest/digest-types.ts";
import { MAX_SCORE, mostUnusualChange, unusualness } from "../../../../src/core/digest/unusual-change.ts";
import { parsePeriod, shiftPeriod } from "../../../../src/core/kpi/periods.ts";

const last = parsePeriod("2026-W47", new Date("2026-12-01T00:00:00Z"), "UTC");

function series(values: Record<string, (number | null)[]>): SeriesPoint[] {
  const length = Math.max(...Object.values(values).map((v) => v.length));
  return Array.from({ length }, (_, i) => ({
    period: shiftPeriod(last, i - length + 1),
    values: Object.fromEntries(Object.entries(values).map(([key, v]) => [key, v[i] ?? null])),
  }));
}

function metric(key: string, points: SeriesPoint[], unit: DigestMetric["unit"] = "count"): DigestMetric {
  const value = points[points.length - 1]?.values[key] ?? null;
  const previous = points[points.length - 2]?.values[key] ?? null;
  return {
    key,
    name: key,
    unit,
    value,
    previous,
    change: value !== null && previous ? (value - previous) / Math.abs(previous) : null,
    target: null,
    status: null,
    owners: ["sales", "product"],
    breakdown: null,
    better: "up",
  };
}

describe("how unusual a change is", () => {
  it("is the latest change's distance from the usual change, in units of its usual spread", () => {
    // changes: +2 −2 +2 −2 +2 −2 +2 −2, then +2: as usual
    expect(unusualness([10, 12, 10, 12, 10, 12, 10, 12, 10, 12])).toBeCloseTo(0.67, 2);
    // then −18: 18 / (1.4826 × 2) ≈ 6.07 spreads out
    expect(unusualness([10, 12, 10, 12, 10, 12, 10, 12, 10, -8])).toBeCloseTo(18 / (1.4826 * 2), 9);
  });

  it("is not thrown off by one wild period in the history", () => {
    const calm = unusualness([10, 11, 10, 11, 10, 11, 10, 11, 10, 20]);
    const oneWild = unusualness([10, 11, 10, 60, 10, 11, 10, 11, 10, 20]);
    expect(oneWild).toBeGreaterThan(5);
    expect(oneWild).toBeCloseTo(calm ?? 0, 0);
  });

  it("needs the latest change and at least four earlier ones", () => {
    expect(unusualness([1, 2, 3, 4, null])).toBeNull();
    expect(unusualness([1, 2, 3, 4, 9])).toBeNull();
    expect(unusualness([1, 2, 3, 4, 5, 9])).not.toBeNull();
    expect(unusualness([null, null, null, null, null, null, 1, 2])).toBeNull();
  });

  it("ranks a move after a run of identical changes as the most unusual", () => {
    expect(unusualness([5, 5, 5, 5, 5, 5, 5])).toBe(0);
    expect(unusualness([5, 5, 5, 5, 5, 5, 6])).toBe(MAX_SCORE);
  });
});

describe("the biggest change of a digest", () => {
  it("is the most unusual for its metric, not the largest relative change", () => {
    const points = series({
      // churn wobbles between 0.3 % and 0.6 % every week: +67 % this week is ordinary
      customer_churn_rate: [0.004, 0.006, 0.003, 0.005, 0.003, 0.006, 0.004, 0.006, 0.003, 0.005],
      // SQLs are steady at about 30 and fall to 18: −40 %, and unheard of
      sqls: [30, 31, 29, 30, 32, 30, 29, 31, 30, 18],
    });
    const churn = metric("customer_churn_rate", points, "percent");
    const sqls = metric("sqls", points);
    expect(Math.abs(churn.change ?? 0)).toBeGreaterThan(Math.abs(sqls.change ?? 0));
    const biggest = mostUnusualChange([churn, sqls], points, new Set());
    expect(biggest).toMatchObject({ key: "sqls", change: -0.4 });
    expect(biggest?.score).toBeGreaterThan(5);
  });

  it("leaves out what it is told to, what did not change, and what has too little history", () => {
    const points = series({
      a: [1, 2, 1, 2, 1, 2, 1, 2, 1, 50],
      b: [3, 3, 3, 3, 3, 3, 3, 3, 3, 3],
      c: [null, null, null, 1, 9],
    });
    const metrics = ["a", "b", "c"].map((key) => metric(key, points));
    expect(mostUnusualChange(metrics, points, new Set(["a"]))).toBeNull();
    expect(mostUnusualChange(metrics, points, new Set())?.key).toBe("a");
  });
});
