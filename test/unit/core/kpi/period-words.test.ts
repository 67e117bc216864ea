// Periods as people type them (docs/metrics.md, "Periods"): every
// spoken form against the written form it means, at a fixed moment.
import { describe, expect, it } from "vitest";
import { AppError, ErrorCode } from "../../../../src/core/errors.ts";
import { looksLikePeriod } from "../../../../src/core/kpi/period-words.ts";
import { isPeriodText, parsePeriod } from "../../../../src/core/kpi/periods.ts";

const NOW = new Date("2026-09-16T12:00:00Z"); // a Wednesday in ISO week 38, in Q3
const key = (text: string, now = NOW, zone = "UTC") => parsePeriod(text, now, zone).key;

function refusal(text: string, now = NOW): string {
  try {
    parsePeriod(text, now, "UTC");
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(ErrorCode.InvalidInput);
    return (error as AppError).message;
  }
  throw new Error(`expected “${text}” to be refused`);
}

describe("periods as people say them", () => {
  it.each([
    ["last month", "2026-08"],
    ["Last Month", "2026-08"],
    ["last-month", "2026-08"],
    ["previous month", "2026-08"],
    ["last week", "2026-W37"],
    ["last quarter", "2026-Q2"],
    ["last year", "2025"],
    ["this month", "2026-09"],
    ["this week", "2026-W38"],
    ["this quarter", "2026-Q3"],
    ["this year", "2026"],
    ["this-month", "2026-09"],
    ["yesterday", "2026-09-15"],
    ["today", "2026-09-16"],
    ["month", "2026-08"],
  ])("%s is %s", (text, expected) => {
    expect(key(text)).toBe(expected);
  });

  it.each([
    ["Q3", "2026-Q3"],
    ["q1", "2026-Q1"],
    // Q4 2026 has not started on 16 September: the most recent Q4 is last year's
    ["Q4", "2025-Q4"],
    ["2026 Q3", "2026-Q3"],
    ["q3 2026", "2026-Q3"],
    ["Q2 2025", "2025-Q2"],
    ["2026q3", "2026-Q3"],
    ["2026-Q3", "2026-Q3"],
  ])("quarter %s is %s", (text, expected) => {
    expect(key(text)).toBe(expected);
  });

  it.each([
    ["september", "2026-09"],
    ["September", "2026-09"],
    ["sep", "2026-09"],
    ["sept", "2026-09"],
    ["august", "2026-08"],
    // October 2026 has not started: the most recent October is 2025's
    ["october", "2025-10"],
    ["sep 2026", "2026-09"],
    ["september 2026", "2026-09"],
    ["Sep, 2025", "2025-09"],
    ["dec 2024", "2024-12"],
    ["2026-09", "2026-09"],
    ["2026-9", "2026-09"],
  ])("month %s is %s", (text, expected) => {
    expect(key(text)).toBe(expected);
  });

  it.each([
    ["W38", "2026-W38"],
    ["w39", "2025-W39"],
    ["week 38", "2026-W38"],
    ["week 38 2026", "2026-W38"],
    ["W38 2025", "2025-W38"],
    ["2026-W38", "2026-W38"],
    // the most recent ISO week 53 that has started: 2026's starts on 28 December
    ["W53", "2020-W53"],
  ])("week %s is %s", (text, expected) => {
    expect(key(text)).toBe(expected);
  });

  it("reads a bare month in the workspace zone", () => {
    // 1 September, 01:00 in Auckland; still 31 August in UTC
    const now = new Date("2026-08-31T13:00:00Z");
    expect(key("september", now, "Pacific/Auckland")).toBe("2026-09");
    expect(key("september", now, "UTC")).toBe("2025-09");
  });

  it("crosses the new year", () => {
    const newYear = new Date("2027-01-02T10:00:00Z");
    expect(key("Q4", newYear)).toBe("2026-Q4");
    expect(key("december", newYear)).toBe("2026-12");
    expect(key("january", newYear)).toBe("2027-01");
    expect(key("last month", newYear)).toBe("2026-12");
  });
});

describe("period errors say what would work", () => {
  it("Q5 is not a quarter", () => {
    expect(refusal("Q5")).toBe("Q5 is not a quarter (quarters are Q1 to Q4): try Q2 or 2026-Q2.");
    expect(refusal("2026-Q0")).toMatch(/^2026-Q0 is not a quarter/);
  });

  it("a month, a week and a day out of range", () => {
    expect(refusal("2026-13")).toBe("2026-13 is not a real month (months are 01 to 12): try 2026-08 or august 2026.");
    expect(refusal("W60")).toBe("W60 is not a week (weeks are W01 to W53): try W37 or 2026-W37.");
    expect(refusal("2026-02-30")).toBe("2026-02-30 is not a real date: try 2026-09-15.");
  });

  it("words meant as a period", () => {
    expect(refusal("next month")).toBe(
      "I don't understand the period “next month”. Did you mean this month or last month? " +
        "Try last month, 2026-08, august 2026, Q2 or this quarter.",
    );
    expect(refusal("septmber")).toMatch(/Did you mean september\?/);
    expect(refusal("last 7 days")).toMatch(/^I don't understand the period “last 7 days”/);
  });

  it("never echoes more than a few words of what was typed", () => {
    expect(refusal("x".repeat(5_000)).length).toBeLessThan(200);
  });
});

describe("what counts as a period", () => {
  it("tells periods, attempts at periods and other words apart", () => {
    for (const text of ["Q3", "last month", "sep 2026", "week 38", "yesterday"]) {
      expect(isPeriodText(text)).toBe(true);
      expect(looksLikePeriod(text)).toBe(true);
    }
    for (const text of ["Q5", "2026-13", "next month", "septmber", "last fortnight"]) {
      expect(isPeriodText(text)).toBe(false);
      expect(looksLikePeriod(text)).toBe(true);
    }
    for (const text of ["cac", "customer acquisition cost", "mqls", "member", "revenue", "marketing", "lead"]) {
      expect(looksLikePeriod(text)).toBe(false);
    }
  });
});
