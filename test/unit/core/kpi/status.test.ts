import { describe, expect, it } from "vitest";
import { changeOf, statusFor, targetFor } from "../../../../src/core/kpi/status.ts";
import { deriveTarget, GRAIN_DAYS, resolveTarget } from "../../../../src/core/kpi/targets.ts";
import { DEFAULT_KPI_SETTINGS, type KpiSettings } from "../../../../src/core/kpi/types.ts";

describe("statusFor", () => {
  it("judges a metric where up is better", () => {
    expect(statusFor(100, 100, "up")).toBe("on_track");
    expect(statusFor(120, 100, "up")).toBe("on_track");
    expect(statusFor(95, 100, "up")).toBe("at_risk");
    expect(statusFor(90, 100, "up")).toBe("at_risk");
    expect(statusFor(89.9, 100, "up")).toBe("off_track");
  });

  it("judges a metric where down is better (a CAC under target is good)", () => {
    expect(statusFor(1_000, 1_300, "down")).toBe("on_track");
    expect(statusFor(1_300, 1_300, "down")).toBe("on_track");
    expect(statusFor(1_430, 1_300, "down")).toBe("at_risk");
    expect(statusFor(1_431, 1_300, "down")).toBe("off_track");
  });

  it("forgives binary rounding at the edge of the 10 % band", () => {
    expect(statusFor(0.27, 0.3, "up")).toBe("at_risk");
    expect(statusFor(0.33, 0.3, "down")).toBe("at_risk");
  });

  it("measures the band on the target's magnitude for negative targets", () => {
    expect(statusFor(-11, -10, "up")).toBe("at_risk");
    expect(statusFor(-12, -10, "up")).toBe("off_track");
  });

  it("has no status without a value or a target", () => {
    expect(statusFor(null, 10, "up")).toBeNull();
    expect(statusFor(10, null, "down")).toBeNull();
  });
});

describe("changeOf", () => {
  it("is the change relative to the previous magnitude", () => {
    expect(changeOf(150, 100)).toBe(0.5);
    expect(changeOf(50, 100)).toBe(-0.5);
    expect(changeOf(-5, -10)).toBe(0.5);
  });

  it("is null without a previous value, after a zero, or without a value", () => {
    expect(changeOf(5, 0)).toBeNull();
    expect(changeOf(5, null)).toBeNull();
    expect(changeOf(null, 5)).toBeNull();
  });
});

describe("targetFor", () => {
  const settings: KpiSettings = {
    ...DEFAULT_KPI_SETTINGS,
    targets: [
      { metric: "cac", grain: "month", department: null, value: 1_300 },
      { metric: "cac", grain: "month", department: "sales", value: 1_200 },
      { metric: "cac", grain: "quarter", department: null, value: 1_250 },
    ],
  };

  it("prefers the department's own target, else the company's", () => {
    expect(targetFor(settings, "cac", "month", "sales")).toBe(1_200);
    expect(targetFor(settings, "cac", "month", "marketing")).toBe(1_300);
    expect(targetFor(settings, "cac", "month", null)).toBe(1_300);
    expect(targetFor(settings, { key: "cac" }, "quarter", "marketing")).toBe(1_250);
    // sales' own monthly target comes before the company's quarterly one
    expect(targetFor(settings, { key: "cac" }, "quarter", "sales")).toBe(1_200);
  });

  it("serves grains without a target of their own from the nearest grain that has one", () => {
    // CAC is an average, not a total: the same number at every grain
    expect(targetFor(settings, "cac", "week", null)).toBe(1_300);
    expect(targetFor(settings, "cac", "year", null)).toBe(1_250);
  });

  it("is null when the metric has no target at any grain", () => {
    expect(targetFor(settings, "cpl", "month", "sales")).toBeNull();
    expect(targetFor(settings, "cpl", "week", null)).toBeNull();
  });
});

describe("resolveTarget: pro rata for metrics that add up over time", () => {
  const targets = [
    { metric: "new_revenue", grain: "month" as const, department: null, value: 200_000 },
    { metric: "new_revenue", grain: "quarter" as const, department: null, value: 780_000 },
    { metric: "leads", grain: "week" as const, department: "marketing", value: 100 },
    { metric: "mql_to_sql_rate", grain: "month" as const, department: null, value: 0.38 },
  ];

  it("pro-rates a monthly new-revenue target to a week by the grains' average lengths (docs/metrics.md)", () => {
    const week = resolveTarget(targets, "new_revenue", "week", null);
    // 200,000 × 7 / 30.436875 = 45,996.84…, unrounded
    expect(week?.value).toBeCloseTo(45_996.84, 2);
    expect(week?.value).toBe((200_000 * 7) / 30.436875);
    expect(week?.from).toEqual({ grain: "month", value: 200_000, rule: "pro_rata" });
  });

  it("keeps an explicit target for the grain, and derives from the nearest grain otherwise", () => {
    expect(resolveTarget(targets, "new_revenue", "quarter", null)).toEqual({ value: 780_000, from: null });
    // a day: the month is nearer than the quarter
    expect(resolveTarget(targets, "new_revenue", "day", null)?.value).toBe(200_000 / 30.436875);
    // a year: the quarter is nearer than the month
    expect(resolveTarget(targets, "new_revenue", "year", null)?.value).toBe((780_000 * 365.2425) / 91.310625);
  });

  it("scales weekly leads up to a month, and keeps a rate as it is", () => {
    expect(resolveTarget(targets, "leads", "month", "marketing")?.value).toBe((100 * 30.436875) / 7);
    expect(resolveTarget(targets, "leads", "month", null)).toBeNull();
    expect(resolveTarget(targets, "mql_to_sql_rate", "week", "sales")).toEqual({
      value: 0.38,
      from: { grain: "month", value: 0.38, rule: "same" },
    });
  });

  it("uses average grain lengths that add up: four quarters are a year, twelve months too", () => {
    expect(GRAIN_DAYS.quarter * 4).toBeCloseTo(GRAIN_DAYS.year, 10);
    expect(GRAIN_DAYS.month * 12).toBeCloseTo(GRAIN_DAYS.year, 10);
    expect(deriveTarget("new_revenue", 100, "month", "quarter")).toBeCloseTo(300, 10);
  });
});
