import { describe, expect, it } from "vitest";
import { AppError, ErrorCode } from "../../../../src/core/errors.ts";
import {
  describePeriod,
  isPeriodText,
  lastComplete,
  monthBefore,
  parsePeriod,
  periodJson,
  periodOf,
  previousPeriod,
  shiftPeriod,
} from "../../../../src/core/kpi/periods.ts";

const NOW = new Date("2026-09-16T12:00:00Z"); // a Wednesday, in ISO week 38
const HOUR = 3_600_000;

function json(text: string, zone = "UTC", now = NOW) {
  return periodJson(parsePeriod(text, now, zone));
}

function hours(text: string, zone: string): number {
  const p = parsePeriod(text, NOW, zone);
  return (p.endMs - p.startMs) / HOUR;
}

function invalidInput(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(ErrorCode.InvalidInput);
    return error as AppError;
  }
  throw new Error("expected an AppError");
}

describe("parsePeriod: written forms", () => {
  it("reads a day", () => {
    expect(json("2026-09-14")).toEqual({
      grain: "day",
      start: "2026-09-14T00:00:00.000Z",
      end: "2026-09-15T00:00:00.000Z",
    });
  });

  it("reads an ISO week, Monday first", () => {
    expect(json("2026-W38")).toEqual({
      grain: "week",
      start: "2026-09-14T00:00:00.000Z",
      end: "2026-09-21T00:00:00.000Z",
    });
  });

  it("reads a month, a quarter and a year", () => {
    expect(json("2026-09")).toEqual({
      grain: "month",
      start: "2026-09-01T00:00:00.000Z",
      end: "2026-10-01T00:00:00.000Z",
    });
    expect(json("2026-Q3")).toEqual({
      grain: "quarter",
      start: "2026-07-01T00:00:00.000Z",
      end: "2026-10-01T00:00:00.000Z",
    });
    expect(json("2026")).toEqual({ grain: "year", start: "2026-01-01T00:00:00.000Z", end: "2027-01-01T00:00:00.000Z" });
  });

  it("ignores case and surrounding spaces", () => {
    expect(json("2026-w38")).toEqual(json("2026-W38"));
    expect(json(" 2026-q3 ")).toEqual(json("2026-Q3"));
    expect(json("This-Month")).toEqual(json("this-month"));
  });

  it("keys every period by its written form", () => {
    for (const text of ["2026-09-14", "2026-W38", "2026-09", "2026-Q3", "2026"]) {
      expect(parsePeriod(text, NOW, "UTC").key).toBe(text);
    }
    expect(parsePeriod("2026-w05", NOW, "UTC").key).toBe("2026-W05");
  });
});

describe("parsePeriod: relative words", () => {
  it("takes the bare grain as the last complete period", () => {
    expect(parsePeriod("day", NOW, "UTC").key).toBe("2026-09-15");
    expect(parsePeriod("yesterday", NOW, "UTC").key).toBe("2026-09-15");
    expect(parsePeriod("week", NOW, "UTC").key).toBe("2026-W37");
    expect(parsePeriod("month", NOW, "UTC").key).toBe("2026-08");
    expect(parsePeriod("quarter", NOW, "UTC").key).toBe("2026-Q2");
    expect(parsePeriod("year", NOW, "UTC").key).toBe("2025");
  });

  it("takes today and this-… as the current, incomplete period", () => {
    expect(parsePeriod("today", NOW, "UTC").key).toBe("2026-09-16");
    expect(parsePeriod("this-week", NOW, "UTC").key).toBe("2026-W38");
    expect(parsePeriod("this-month", NOW, "UTC").key).toBe("2026-09");
    expect(parsePeriod("this-quarter", NOW, "UTC").key).toBe("2026-Q3");
    expect(parsePeriod("this-year", NOW, "UTC").key).toBe("2026");
  });

  it("reads relative words in the workspace zone, not in UTC", () => {
    const lateEvening = new Date("2026-10-01T02:00:00Z"); // still 30 September in New York
    expect(parsePeriod("this-month", lateEvening, "America/New_York").key).toBe("2026-09");
    expect(parsePeriod("month", lateEvening, "America/New_York").key).toBe("2026-08");
    expect(parsePeriod("this-month", lateEvening, "UTC").key).toBe("2026-10");
  });

  it("crosses year boundaries", () => {
    const newYear = new Date("2027-01-01T10:00:00Z");
    expect(parsePeriod("month", newYear, "UTC").key).toBe("2026-12");
    expect(parsePeriod("quarter", newYear, "UTC").key).toBe("2026-Q4");
    expect(parsePeriod("week", newYear, "UTC").key).toBe("2026-W52");
    expect(parsePeriod("this-week", newYear, "UTC").key).toBe("2026-W53");
  });
});

describe("parsePeriod: ISO week edges", () => {
  it("accepts week 53 only in years that have one", () => {
    expect(json("2020-W53")).toEqual({
      grain: "week",
      start: "2020-12-28T00:00:00.000Z",
      end: "2021-01-04T00:00:00.000Z",
    });
    // 2026 starts on a Thursday, so it has 53 ISO weeks; 2025 and 2027 have 52.
    expect(parsePeriod("2026-W53", NOW, "UTC").key).toBe("2026-W53");
    expect(invalidInput(() => parsePeriod("2025-W53", NOW, "UTC")).message).toMatch(/no ISO week 53/);
    invalidInput(() => parsePeriod("2027-W53", NOW, "UTC"));
    invalidInput(() => parsePeriod("2026-W00", NOW, "UTC"));
    invalidInput(() => parsePeriod("2026-W54", NOW, "UTC"));
  });

  it("starts week 1 in the previous calendar year when 1 January is late in the week", () => {
    expect(json("2026-W01")).toEqual({
      grain: "week",
      start: "2025-12-29T00:00:00.000Z",
      end: "2026-01-05T00:00:00.000Z",
    });
    expect(json("2021-W01").start).toBe("2021-01-04T00:00:00.000Z");
  });

  it("keys a late-December day by its ISO week-year", () => {
    expect(periodOf("week", Date.parse("2025-12-30T12:00:00Z"), "UTC").key).toBe("2026-W01");
    expect(periodOf("week", Date.parse("2021-01-02T12:00:00Z"), "UTC").key).toBe("2020-W53");
  });
});

describe("parsePeriod: time zones and daylight saving", () => {
  it("makes the week of the spring change in America/New_York 167 hours", () => {
    // DST starts Sunday 8 March 2026: week 10 is Monday 2 to Sunday 8 March.
    expect(json("2026-W10", "America/New_York")).toEqual({
      grain: "week",
      start: "2026-03-02T05:00:00.000Z",
      end: "2026-03-09T04:00:00.000Z",
    });
    expect(hours("2026-W10", "America/New_York")).toBe(167);
    expect(hours("2026-03-08", "America/New_York")).toBe(23);
  });

  it("makes the week of the autumn change in America/New_York 169 hours", () => {
    // DST ends Sunday 1 November 2026: week 44 is Monday 26 October to Sunday 1 November.
    expect(json("2026-W44", "America/New_York")).toEqual({
      grain: "week",
      start: "2026-10-26T04:00:00.000Z",
      end: "2026-11-02T05:00:00.000Z",
    });
    expect(hours("2026-W44", "America/New_York")).toBe(169);
    expect(hours("2026-11-01", "America/New_York")).toBe(25);
    expect(hours("2026-03", "America/New_York")).toBe(31 * 24 - 1);
  });

  it("puts bare months on local midnights in Asia/Kolkata", () => {
    expect(json("2026-09", "Asia/Kolkata")).toEqual({
      grain: "month",
      start: "2026-08-31T18:30:00.000Z",
      end: "2026-09-30T18:30:00.000Z",
    });
    expect(json("2026-Q1", "Asia/Kolkata").start).toBe("2025-12-31T18:30:00.000Z");
  });

  it("starts a day whose midnight does not exist at its first instant", () => {
    // Santiago skipped 00:00–01:00 on 8 September 2024.
    const p = parsePeriod("2024-09-08", NOW, "America/Santiago");
    expect(new Date(p.startMs).toISOString()).toBe("2024-09-08T04:00:00.000Z");
    expect(shiftPeriod(p, 1).key).toBe("2024-09-09");
    expect(previousPeriod(shiftPeriod(p, 1)).startMs).toBe(p.startMs);
  });
});

describe("parsePeriod: refusals", () => {
  it("answers unknown text with periods that work now", () => {
    const error = invalidInput(() => parsePeriod("last fortnight", NOW, "UTC"));
    expect(error.message).toBe(
      "I don't understand the period “last fortnight”. Try last month, 2026-08, august 2026, Q2 or this quarter.",
    );
  });

  it("refuses impossible dates, months and quarters", () => {
    expect(invalidInput(() => parsePeriod("2026-02-30", NOW, "UTC")).message).toMatch(/not a real date/);
    expect(invalidInput(() => parsePeriod("2026-13", NOW, "UTC")).message).toMatch(/not a real month/);
    invalidInput(() => parsePeriod("2026-00", NOW, "UTC"));
    invalidInput(() => parsePeriod("2026-Q5", NOW, "UTC"));
    invalidInput(() => parsePeriod("2026-Q0", NOW, "UTC"));
  });

  it("refuses an unknown zone", () => {
    invalidInput(() => parsePeriod("2026-09", NOW, "Mars/Olympus"));
  });
});

describe("isPeriodText", () => {
  it("recognises every form and nothing else", () => {
    for (const text of [
      "2026-09-14",
      "2026-W38",
      "2026-w38",
      "2026-09",
      "2026-Q3",
      "2026",
      "week",
      "MONTH",
      "this-quarter",
      "today",
    ]) {
      expect(isPeriodText(text)).toBe(true);
    }
    for (const text of ["cac", "customer", "26-09", "monthly", "Q5", "last fortnight", "septmber", ""]) {
      expect(isPeriodText(text)).toBe(false);
    }
  });
});

describe("previous, shift, last complete", () => {
  it("steps back across year boundaries for every grain", () => {
    const at = (text: string) => parsePeriod(text, NOW, "UTC");
    expect(previousPeriod(at("2026-01-01")).key).toBe("2025-12-31");
    expect(previousPeriod(at("2026-W01")).key).toBe("2025-W52");
    expect(previousPeriod(at("2021-W01")).key).toBe("2020-W53");
    expect(previousPeriod(at("2026-01")).key).toBe("2025-12");
    expect(previousPeriod(at("2026-Q1")).key).toBe("2025-Q4");
    expect(previousPeriod(at("2026")).key).toBe("2025");
  });

  it("shifts by several periods either way", () => {
    const sep = parsePeriod("2026-09", NOW, "UTC");
    expect(shiftPeriod(sep, 4).key).toBe("2027-01");
    expect(shiftPeriod(sep, -9).key).toBe("2025-12");
    expect(shiftPeriod(sep, 0)).toEqual(sep);
    expect(shiftPeriod(parsePeriod("2026-W38", NOW, "UTC"), 16).key).toBe("2027-W01");
  });

  it("keeps local midnights when shifting across a DST change", () => {
    const w9 = parsePeriod("2026-W09", NOW, "America/New_York");
    const w11 = shiftPeriod(w9, 2);
    expect(w11.key).toBe("2026-W11");
    expect(new Date(w11.startMs).toISOString()).toBe("2026-03-09T04:00:00.000Z");
    expect(previousPeriod(w11).endMs).toBe(w11.startMs);
  });

  it("gives the last complete period before now", () => {
    expect(lastComplete("month", NOW, "UTC").key).toBe("2026-08");
    expect(lastComplete("week", NOW, "UTC").key).toBe("2026-W37");
  });

  it("finds the period containing an instant, the start included and the end excluded", () => {
    const sep = parsePeriod("2026-09", NOW, "UTC");
    expect(periodOf("month", sep.startMs, "UTC").key).toBe("2026-09");
    expect(periodOf("month", sep.endMs, "UTC").key).toBe("2026-10");
    expect(periodOf("month", sep.endMs - 1, "UTC").key).toBe("2026-09");
  });
});

describe("monthBefore", () => {
  it("steps back one calendar month in the zone", () => {
    expect(new Date(monthBefore(Date.parse("2026-10-01T00:00:00Z"), "UTC")).toISOString()).toBe(
      "2026-09-01T00:00:00.000Z",
    );
    expect(new Date(monthBefore(Date.parse("2026-03-31T00:00:00Z"), "UTC")).toISOString()).toBe(
      "2026-02-28T00:00:00.000Z",
    );
    // 1 April 2026 00:00 in New York (EDT) → 1 March 00:00 (EST): 31 days less one hour.
    const end = parsePeriod("2026-03", NOW, "America/New_York").endMs;
    expect(new Date(monthBefore(end, "America/New_York")).toISOString()).toBe("2026-03-01T05:00:00.000Z");
  });
});

describe("describePeriod", () => {
  const d = (text: string) => describePeriod(parsePeriod(text, NOW, "UTC"));
  it("names each grain the way people say it", () => {
    expect(d("2026-09")).toBe("September 2026");
    expect(d("2026-W38")).toBe("Week 38 2026 (14–20 Sep)");
    expect(d("2026-Q3")).toBe("Q3 2026");
    expect(d("2026")).toBe("2026");
    expect(d("2026-09-14")).toBe("Mon 14 Sep 2026");
  });

  it("names both months of a week that spans two", () => {
    expect(d("2026-W40")).toBe("Week 40 2026 (28 Sep–4 Oct)");
    expect(d("2026-W01")).toBe("Week 1 2026 (29 Dec–4 Jan)");
  });

  it("describes in the period's zone", () => {
    expect(describePeriod(parsePeriod("2026-09", NOW, "Asia/Kolkata"))).toBe("September 2026");
    expect(describePeriod(parsePeriod("2026-W44", NOW, "America/New_York"))).toBe("Week 44 2026 (26 Oct–1 Nov)");
  });
});
