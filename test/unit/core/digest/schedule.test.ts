import { describe, expect, it } from "vitest";
import { type DigestSchedule, latestDueAt, nextDueAt } from "../../../../src/core/digest/schedule.ts";

const weeklyNy: DigestSchedule = { cadence: "weekly", dayOfWeek: 1, time: "09:00", timezone: "America/New_York" };

describe("digest schedule", () => {
  it("fires at 09:00 local time the Monday after daylight saving starts (13:00 UTC)", () => {
    // DST starts in the US on Sunday 2026-03-08.
    expect(nextDueAt(weeklyNy, new Date("2026-03-07T12:00:00Z")).toISOString()).toBe("2026-03-09T13:00:00.000Z");
    expect(latestDueAt(weeklyNy, new Date("2026-03-09T13:00:00Z")).toISOString()).toBe("2026-03-09T13:00:00.000Z");
    expect(latestDueAt(weeklyNy, new Date("2026-03-09T12:59:59Z")).toISOString()).toBe("2026-03-02T14:00:00.000Z");
  });

  it("fires at 09:00 local time the Monday after daylight saving ends (14:00 UTC)", () => {
    // DST ends in the US on Sunday 2026-11-01.
    expect(nextDueAt(weeklyNy, new Date("2026-10-31T00:00:00Z")).toISOString()).toBe("2026-11-02T14:00:00.000Z");
    expect(latestDueAt(weeklyNy, new Date("2026-11-02T14:30:00Z")).toISOString()).toBe("2026-11-02T14:00:00.000Z");
  });

  it("runs biweekly schedules every other week from the anchor week", () => {
    const schedule: DigestSchedule = { ...weeklyNy, cadence: "biweekly", anchorMs: Date.parse("2026-09-07T12:00:00Z") };
    const first = nextDueAt(schedule, new Date("2026-09-08T00:00:00Z"));
    expect(first.toISOString()).toBe("2026-09-21T13:00:00.000Z");
    expect(nextDueAt(schedule, first).toISOString()).toBe("2026-10-05T13:00:00.000Z");
    expect(latestDueAt(schedule, new Date("2026-09-30T00:00:00Z")).toISOString()).toBe("2026-09-21T13:00:00.000Z");
  });

  it("runs monthly schedules on the first given weekday of the month", () => {
    const schedule: DigestSchedule = { cadence: "monthly", dayOfWeek: 1, time: "09:00", timezone: "Europe/Berlin" };
    // 2026-12-07 is the first Monday of December 2026.
    expect(nextDueAt(schedule, new Date("2026-11-24T00:00:00Z")).toISOString()).toBe("2026-12-07T08:00:00.000Z");
    expect(latestDueAt(schedule, new Date("2026-11-24T00:00:00Z")).toISOString()).toBe("2026-11-02T08:00:00.000Z");
  });
});
