import { describe, expect, it } from "vitest";
import { changeOf, statusFor, targetFor } from "../../../../src/core/kpi/status.ts";
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
    expect(targetFor(settings, { key: "cac" }, "quarter", "sales")).toBe(1_250);
  });

  it("is null when no target is set for the metric at that grain", () => {
    expect(targetFor(settings, "cac", "week", null)).toBeNull();
    expect(targetFor(settings, "cpl", "month", "sales")).toBeNull();
  });
});
