import { describe, expect, it } from "vitest";
import { findBottleneck } from "../../../../src/core/kpi/get-funnel.ts";
import type { MetricResult } from "../../../../src/core/kpi/types.ts";

const rate = (
  key: string,
  value: number | null,
  previous: number | null,
  target: number | null = null,
): MetricResult => ({
  key,
  name: key,
  unit: "percent",
  value,
  previous,
  change: value !== null && previous ? (value - previous) / previous : null,
  target,
  status: null,
  owners: [],
  breakdown: null,
});

describe("the funnel bottleneck", () => {
  it("is the hand-off that fell most against the previous period, relatively", () => {
    const bottleneck = findBottleneck([
      rate("lead_to_mql_rate", 0.3, 0.4), // −25 %
      rate("mql_to_sql_rate", 0.5, 0.5),
      rate("sql_to_opportunity_rate", 0.1, 0.2), // −50 %
      rate("opportunity_to_win_rate", 0.2, 0.19),
    ]);
    expect(bottleneck).toMatchObject({ from: "sql", to: "opportunity" });
    expect(bottleneck?.reason).toBe("sql_to_opportunity_rate fell 10.0 pp, from 20.0% to 10.0%.");
  });

  it("is the hand-off that missed its target most, when that is worse than any fall", () => {
    const bottleneck = findBottleneck([
      rate("lead_to_mql_rate", 0.38, 0.4, null), // −5 %
      rate("opportunity_to_win_rate", 0.2, 0.19, 0.4), // 50 % short of target
    ]);
    expect(bottleneck).toMatchObject({ from: "opportunity", to: "won" });
    expect(bottleneck?.reason).toContain("against a target of 40.0%");
  });

  it("is none when every hand-off held or improved and met its target", () => {
    expect(findBottleneck([rate("lead_to_mql_rate", 0.4, 0.3, 0.35), rate("mql_to_sql_rate", null, 0.5)])).toBeNull();
  });

  it("ignores hand-offs without a previous value or a target", () => {
    expect(findBottleneck([rate("lead_to_mql_rate", 0.1, null), rate("mql_to_sql_rate", 0.1, 0)])).toBeNull();
  });
});
