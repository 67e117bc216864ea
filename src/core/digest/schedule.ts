// When a digest subscription is due, in its own time zone, right across daylight
// saving: due instants are computed from local wall-clock times with luxon, so
// "Monday 09:00 America/New_York" is 13:00 UTC in summer and 14:00 UTC in winter.
import { DateTime } from "luxon";
import { z } from "zod";

export const CADENCES = ["weekly", "biweekly", "monthly"] as const;
export type Cadence = (typeof CADENCES)[number];

export const DigestScheduleSchema = z.object({
  cadence: z.enum(CADENCES),
  /** ISO day of week, 1 = Monday … 7 = Sunday */
  dayOfWeek: z.number().int().min(1).max(7),
  /** local time, HH:MM (24 h) */
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "expected HH:MM (24 h)"),
  timezone: z.string(),
  /** biweekly schedules alternate weeks counted from this instant's ISO week */
  anchorMs: z.number().optional(),
});
export type DigestSchedule = z.infer<typeof DigestScheduleSchema>;

function atLocalTime(day: DateTime, time: string): DateTime {
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  // In a spring-forward gap luxon moves the time forward by the gap, which is the
  // least surprising answer for a wall-clock schedule.
  return day.set({ hour, minute, second: 0, millisecond: 0 });
}

function weekOccurrence(weekStart: DateTime, schedule: DigestSchedule): DateTime {
  return atLocalTime(weekStart.plus({ days: schedule.dayOfWeek - 1 }), schedule.time);
}

function monthOccurrence(monthStart: DateTime, schedule: DigestSchedule): DateTime {
  // The first <dayOfWeek> of the month.
  const offset = (schedule.dayOfWeek - monthStart.weekday + 7) % 7;
  return atLocalTime(monthStart.plus({ days: offset }), schedule.time);
}

function isBiweeklyWeek(weekStart: DateTime, schedule: DigestSchedule): boolean {
  const anchor = DateTime.fromMillis(schedule.anchorMs ?? 0, { zone: schedule.timezone }).startOf("week");
  const weeks = Math.round(weekStart.diff(anchor, "weeks").weeks);
  return ((weeks % 2) + 2) % 2 === 0;
}

/** The most recent due instant at or before `now`. */
export function latestDueAt(schedule: DigestSchedule, now: Date): Date {
  const local = DateTime.fromJSDate(now, { zone: schedule.timezone });
  if (schedule.cadence === "monthly") {
    let month = local.startOf("month");
    let due = monthOccurrence(month, schedule);
    if (due > local) {
      month = month.minus({ months: 1 });
      due = monthOccurrence(month, schedule);
    }
    return due.toJSDate();
  }
  let week = local.startOf("week");
  for (let i = 0; i < 3; i++) {
    const due = weekOccurrence(week, schedule);
    if (due <= local && (schedule.cadence === "weekly" || isBiweeklyWeek(week, schedule))) return due.toJSDate();
    week = week.minus({ weeks: 1 });
  }
  throw new Error("unreachable: a weekly or biweekly schedule is due within three weeks");
}

/** The first due instant strictly after `now`. */
export function nextDueAt(schedule: DigestSchedule, now: Date): Date {
  const local = DateTime.fromJSDate(now, { zone: schedule.timezone });
  if (schedule.cadence === "monthly") {
    let month = local.startOf("month");
    for (let i = 0; i < 3; i++) {
      const due = monthOccurrence(month, schedule);
      if (due > local) return due.toJSDate();
      month = month.plus({ months: 1 });
    }
  }
  let week = local.startOf("week");
  for (let i = 0; i < 4; i++) {
    const due = weekOccurrence(week, schedule);
    if (due > local && (schedule.cadence === "weekly" || isBiweeklyWeek(week, schedule))) return due.toJSDate();
    week = week.plus({ weeks: 1 });
  }
  throw new Error("unreachable: a schedule is due within four weeks");
}

/** The grain a digest of this cadence reports on: the last complete week, or month. */
export function digestGrain(cadence: Cadence): "week" | "month" {
  return cadence === "monthly" ? "month" : "week";
}
