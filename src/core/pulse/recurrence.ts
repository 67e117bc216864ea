// Weekly pulses: the next occurrence opens at the next local day and time in the rule's
// zone (DST-safe, the digest's schedule arithmetic) and runs as long as the first one.
import { nextDueAt } from "../digest/schedule.ts";
import { type NewPulse, type Pulse, REMINDER_BEFORE_MS, type Recurrence } from "./types.ts";

export function reminderAtFor(closesAt: Date, durationMs: number, remind: boolean): Date | null {
  return remind && durationMs >= 2 * REMINDER_BEFORE_MS ? new Date(closesAt.getTime() - REMINDER_BEFORE_MS) : null;
}

export function nextOpening(recurrence: Recurrence, after: Date): Date {
  return nextDueAt({ cadence: "weekly", ...recurrence.weekly }, after);
}

/** The occurrence after `pulse`, opening strictly after both its opening and `now`. */
export function nextOccurrence(pulse: Pulse, now: Date): NewPulse | null {
  const recurrence = pulse.recurrence;
  if (!recurrence) return null;
  const after = new Date(Math.max(now.getTime(), pulse.opensAt.getTime()));
  const opensAt = nextOpening(recurrence, after);
  const closesAt = new Date(opensAt.getTime() + recurrence.durationMs);
  return {
    workspaceId: pulse.workspaceId,
    platform: pulse.platform,
    channelId: pulse.channelId,
    createdBy: pulse.createdBy,
    title: pulse.title,
    template: pulse.template,
    anonymous: pulse.anonymous,
    status: "scheduled",
    opensAt,
    closesAt,
    reminderAt: reminderAtFor(closesAt, recurrence.durationMs, recurrence.remind),
    askedCount: 0,
    minGroupSize: pulse.minGroupSize,
    recurrence,
    questions: pulse.questions.map(({ position, text, kind, tag, aboutDepartment }) => ({
      position,
      text,
      kind,
      tag,
      aboutDepartment,
    })),
  };
}
