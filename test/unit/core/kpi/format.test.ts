import { describe, expect, it } from "vitest";
import {
  formatChange,
  formatMetricChange,
  formatStatus,
  formatTarget,
  formatValue,
  sparkline,
} from "../../../../src/core/kpi/format.ts";

describe("formatValue", () => {
  it("shows currency with thousands separators and no decimals", () => {
    expect(formatValue(157_500, "currency")).toBe("157,500");
    expect(formatValue(1234.5, "currency")).toBe("1,235");
    expect(formatValue(1_234_567.49, "currency")).toBe("1,234,567");
    expect(formatValue(0, "currency")).toBe("0");
  });

  it("shows percent from fractions with one decimal", () => {
    expect(formatValue(0.314, "percent")).toBe("31.4%");
    expect(formatValue(1, "percent")).toBe("100.0%");
    expect(formatValue(12.5, "percent")).toBe("1,250.0%");
    expect(formatValue(-0.0504, "percent")).toBe("-5.0%");
  });

  it("shows days and ratios with one decimal", () => {
    expect(formatValue(42.345, "days")).toBe("42.3 days");
    expect(formatValue(3.16, "ratio")).toBe("3.2×");
  });

  it("shows scores as the metric asks: NPS whole, 1–5 scales with one decimal", () => {
    expect(formatValue(32.6, "score", 0)).toBe("33");
    expect(formatValue(-12.2, "score", 0)).toBe("-12");
    expect(formatValue(4.26, "score")).toBe("4.3");
  });

  it("shows counts with separators", () => {
    expect(formatValue(12_345, "count")).toBe("12,345");
  });

  it("shows n/a for a missing or undefined number, never NaN or Infinity", () => {
    expect(formatValue(null, "currency")).toBe("n/a");
    expect(formatValue(undefined, "percent")).toBe("n/a");
    expect(formatValue(Number.NaN, "count")).toBe("n/a");
    expect(formatValue(Number.POSITIVE_INFINITY, "ratio")).toBe("n/a");
  });

  it("does not show a negative zero", () => {
    expect(formatValue(-0.0001, "percent")).toBe("0.0%");
    expect(formatValue(-0.4, "currency")).toBe("0");
  });
});

describe("formatChange", () => {
  it("marks a rise as good when up is better", () => {
    expect(formatChange(0.123, "up")).toEqual({ text: "▲ 12.3%", tone: "good" });
    expect(formatChange(-0.04, "up")).toEqual({ text: "▼ 4.0%", tone: "bad" });
  });

  it("marks a falling CAC as good news", () => {
    expect(formatChange(-0.118, "down")).toEqual({ text: "▼ 11.8%", tone: "good" });
    expect(formatChange(0.2, "down")).toEqual({ text: "▲ 20.0%", tone: "bad" });
  });

  it("calls a change that rounds to zero flat", () => {
    expect(formatChange(0, "up")).toEqual({ text: "→ 0.0%", tone: "neutral" });
    expect(formatChange(0.0004, "down")).toEqual({ text: "→ 0.0%", tone: "neutral" });
    expect(formatChange(-0.0004, "up")).toEqual({ text: "→ 0.0%", tone: "neutral" });
  });

  it("shows n/a without a previous value", () => {
    expect(formatChange(null, "up")).toEqual({ text: "n/a", tone: "neutral" });
    expect(formatChange(Number.NaN, "down")).toEqual({ text: "n/a", tone: "neutral" });
  });
});

describe("formatStatus", () => {
  it("words each status and leaves no status blank", () => {
    expect(formatStatus("on_track")).toBe("on track");
    expect(formatStatus("at_risk")).toBe("at risk");
    expect(formatStatus("off_track")).toBe("off track");
    expect(formatStatus(null)).toBe("");
  });
});

describe("sparkline", () => {
  it("scales between the lowest and highest value", () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe("▁▂▃▄▅▆▇█");
    expect(sparkline([10, 5, 10])).toBe("█▁█");
  });

  it("leaves a gap for a missing value", () => {
    expect(sparkline([1, null, 3])).toBe("▁ █");
    expect(sparkline([null, null])).toBe("  ");
  });

  it("draws a flat series at mid height", () => {
    expect(sparkline([4, 4, 4])).toBe("▄▄▄");
    expect(sparkline([])).toBe("");
  });
});

describe("formatValue with a currency", () => {
  it("writes the workspace's currency with its symbol or code, without decimals", () => {
    expect(formatValue(157_500, "currency", undefined, "USD")).toBe("$157,500");
    expect(formatValue(157_500, "currency", undefined, "EUR")).toBe("€157,500");
    expect(formatValue(157_500, "currency", undefined, "GBP")).toBe("£157,500");
    expect(formatValue(157_500.6, "currency", undefined, "JPY")).toBe("¥157,501");
    expect(formatValue(157_500, "currency", undefined, "CHF")).toBe("CHF\u00a0157,500"); // a no-break space keeps the code with its number
    expect(formatValue(-1_234.4, "currency", undefined, "USD")).toBe("-$1,234");
    expect(formatValue(-0.4, "currency", undefined, "USD")).toBe("$0");
    expect(formatValue(null, "currency", undefined, "USD")).toBe("n/a");
  });

  it("leaves other units alone", () => {
    expect(formatValue(0.314, "percent", undefined, "EUR")).toBe("31.4%");
  });
});

describe("formatMetricChange", () => {
  const rate = (value: number | null, previous: number | null) => ({
    unit: "percent" as const,
    value,
    previous,
    change: value !== null && previous ? (value - previous) / previous : null,
  });

  it("shows a rate's change in percentage points, not as a relative change of the rate", () => {
    expect(formatMetricChange(rate(0.37, 0.378), "up")).toEqual({ text: "▼ 0.8 pp", tone: "bad" });
    expect(formatMetricChange(rate(0.005, 0.003), "down")).toEqual({ text: "▲ 0.2 pp", tone: "bad" });
    expect(formatMetricChange(rate(0.57, 0.0423), "up")).toEqual({ text: "▲ 52.8 pp", tone: "good" });
    // from 0 a relative change is undefined; points are not
    expect(formatMetricChange(rate(0.012, 0), "down")).toEqual({ text: "▲ 1.2 pp", tone: "bad" });
    expect(formatMetricChange(rate(0.3704, 0.3701), "up")).toEqual({ text: "→ 0.0 pp", tone: "neutral" });
    expect(formatMetricChange(rate(0.3, null), "up")).toBeUndefined();
  });

  it("shows every other unit's change relative to the previous value", () => {
    expect(formatMetricChange({ unit: "currency", value: 90, previous: 100, change: -0.1 }, "down")).toEqual({
      text: "▼ 10.0%",
      tone: "good",
    });
    expect(formatMetricChange({ unit: "count", value: 5, previous: 0, change: null }, "up")).toBeUndefined();
  });
});

describe("formatTarget", () => {
  it("says when a target was derived from another grain's", () => {
    const money = { unit: "currency" as const, currency: "USD" };
    expect(formatTarget({ ...money, target: 200_000 })).toBe("$200,000");
    expect(
      formatTarget({
        ...money,
        target: (200_000 * 7) / 30.436875,
        targetFrom: { grain: "month", value: 200_000, rule: "pro_rata" },
      }),
    ).toBe("$45,997, pro rata from the monthly $200,000");
    expect(
      formatTarget({ unit: "percent", target: 0.38, targetFrom: { grain: "quarter", value: 0.38, rule: "same" } }),
    ).toBe("38.0%, from the quarterly target");
  });
});
