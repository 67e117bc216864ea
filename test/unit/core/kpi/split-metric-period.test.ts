import { describe, expect, it } from "vitest";
import { AppError } from "../../../../src/core/errors.ts";
import { buildCatalog } from "../../../../src/core/kpi/catalog.ts";
import { splitMetricAndPeriod } from "../../../../src/core/kpi/split-metric-period.ts";
import { DEFAULT_KPI_SETTINGS } from "../../../../src/core/kpi/types.ts";

const catalog = buildCatalog(DEFAULT_KPI_SETTINGS);
const split = (text: string) => splitMetricAndPeriod(text, catalog);

describe("telling the metric from the period", () => {
  it("finds the period after the metric, or before it", () => {
    expect(split("cac 2026-09")).toEqual({ metric: "cac", period: "2026-09" });
    expect(split("cac last month")).toEqual({ metric: "cac", period: "last month" });
    expect(split("cac Q3")).toEqual({ metric: "cac", period: "Q3" });
    expect(split("cac sep 2026")).toEqual({ metric: "cac", period: "sep 2026" });
    expect(split("2026-Q3 customer acquisition cost")).toEqual({
      metric: "customer acquisition cost",
      period: "2026-Q3",
    });
    expect(split("this month new revenue")).toEqual({ metric: "new revenue", period: "this month" });
  });

  it("keeps multi-word and Chinese names whole", () => {
    expect(split("customer acquisition cost last month")).toEqual({
      metric: "customer acquisition cost",
      period: "last month",
    });
    expect(split("获客成本 Q3")).toEqual({ metric: "获客成本", period: "Q3" });
    expect(split("整个渠道的转化率 2026-09")).toEqual({ metric: "整个渠道的转化率", period: "2026-09" });
    expect(split("lead to customer rate")).toEqual({ metric: "lead to customer rate", period: null });
  });

  it("returns only what was given", () => {
    expect(split("2026-09")).toEqual({ metric: null, period: "2026-09" });
    expect(split("last week")).toEqual({ metric: null, period: "last week" });
    expect(split("mqls")).toEqual({ metric: "mqls", period: null });
    expect(split("   ")).toEqual({ metric: null, period: null });
  });

  it("takes a period-shaped word as the period even when it is wrong, so the error names the period", () => {
    expect(split("cac Q5")).toEqual({ metric: "cac", period: "Q5" });
    expect(split("cac 2026-13")).toEqual({ metric: "cac", period: "2026-13" });
    expect(split("win rate next month")).toEqual({ metric: "win rate", period: "next month" });
  });

  it("leaves an unknown name whole, apart from a readable period", () => {
    expect(split("cca 2026-09")).toEqual({ metric: "cca", period: "2026-09" });
    expect(split("lead to mqll")).toEqual({ metric: "lead to mqll", period: null });
  });

  it("refuses two periods", () => {
    expect(() => split("cac 2026-09 2026-10")).toThrow(AppError);
    expect(() => split("cac 2026-09 last week")).toThrow("Give one period, not two (2026-09, last week).");
  });
});
