// Pulse surveys: what a pulse asks, how it closes and recurs, and what the store keeps.
import { z } from "zod";
import type { Platform } from "../platform.ts";

export const QUESTION_KINDS = ["agree5", "scale10", "yesno", "text"] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

export const STANDARD_TAGS = ["collaboration", "communication", "handoff_quality", "shared_goals"] as const;

export const MIN_GROUP_SIZE = 3;
export const DEFAULT_DURATION_MS = 24 * 3_600_000;
export const MIN_DURATION_MS = 5 * 60_000;
export const MAX_DURATION_MS = 30 * 24 * 3_600_000;
/** reminders go out this long before the close, for pulses that run at least twice as long */
export const REMINDER_BEFORE_MS = 6 * 3_600_000;
export const MAX_QUESTIONS = 5;
export const QUESTION_CHARS = 300;
export const TEXT_ANSWER_CHARS = 500;

function isIanaZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const QuestionSpecSchema = z
  .object({
    text: z
      .string()
      .trim()
      .min(1, "a question needs some text")
      .max(QUESTION_CHARS, `at most ${QUESTION_CHARS} characters`),
    kind: z.enum(QUESTION_KINDS),
    tag: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z][a-z0-9_]{0,39}$/, "a tag is a word: letters, digits and _ (collaboration, handoff_quality, …)"),
    /** reciprocal pulses: the department whose work the question rates */
    aboutDepartment: z.string().trim().min(1).nullable().default(null),
  })
  // collaboration_score is the mean of 1–5 answers: a 0–10 or yes/no answer would skew it
  .refine((q) => q.tag !== "collaboration" || q.kind === "agree5", {
    message: "questions tagged collaboration must use the 1–5 agreement scale (collaboration_score is a 1–5 mean)",
    path: ["tag"],
  });
export type QuestionSpec = z.infer<typeof QuestionSpecSchema>;
export type QuestionSpecInput = z.input<typeof QuestionSpecSchema>;

export const WeeklySchema = z.object({
  /** ISO day of week, 1 = Monday */
  dayOfWeek: z.number().int().min(1).max(7),
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "expected HH:MM (24 h)"),
  timezone: z.string().refine(isIanaZone, "expected an IANA time zone such as Europe/Berlin"),
});
export type Weekly = z.infer<typeof WeeklySchema>;

/** Stored in pulses.recurrence: when the next one opens and how long each runs. */
export const RecurrenceSchema = z.object({
  weekly: WeeklySchema,
  durationMs: z
    .number()
    .int()
    .min(MIN_DURATION_MS)
    .max(7 * 24 * 3_600_000),
  remind: z.boolean(),
});
export type Recurrence = z.infer<typeof RecurrenceSchema>;

export const PulseSpecSchema = z
  .object({
    title: z.string().trim().min(1).max(150),
    questions: z
      .array(QuestionSpecSchema)
      .min(1, "a pulse asks at least one question")
      .max(MAX_QUESTIONS, `at most ${MAX_QUESTIONS} questions`),
    anonymous: z.boolean().default(true),
    /** how long it stays open (default 24 h), unless closesAtMs is given */
    durationMs: z
      .number()
      .int()
      .min(MIN_DURATION_MS, "at least 5 minutes")
      .max(MAX_DURATION_MS, "at most 30 days")
      .optional(),
    closesAtMs: z.number().int().optional(),
    /** one reminder in the thread 6 h before the close (only for pulses of 12 h or more) */
    remind: z.boolean().default(true),
    weekly: WeeklySchema.nullable().default(null),
    template: z.string().nullable().default(null),
  })
  .refine((spec) => !(spec.weekly && spec.durationMs !== undefined && spec.durationMs > 7 * 24 * 3_600_000), {
    message: "a weekly pulse stays open at most 7 days",
    path: ["durationMs"],
  });
export type PulseSpec = z.infer<typeof PulseSpecSchema>;
export type PulseSpecInput = z.input<typeof PulseSpecSchema>;

/** draft: previewed privately to its author, not posted yet (Post opens it, Cancel drops it) */
export type PulseStatus = "draft" | "scheduled" | "open" | "closed" | "cancelled";
export type PulsePlatform = Platform;

export type Question = {
  id: number;
  position: number;
  text: string;
  kind: QuestionKind;
  tag: string;
  aboutDepartment: string | null;
};

export type Pulse = {
  id: number;
  workspaceId: number;
  platform: Platform;
  channelId: string;
  createdBy: string;
  title: string;
  template: string | null;
  anonymous: boolean;
  status: PulseStatus;
  opensAt: Date;
  closesAt: Date;
  closedAt: Date | null;
  reminderAt: Date | null;
  reminderSentAt: Date | null;
  askedCount: number;
  minGroupSize: number;
  recurrence: Recurrence | null;
  messageId: string | null;
  questions: Question[];
};

export type NewPulse = Omit<Pulse, "id" | "closedAt" | "reminderSentAt" | "messageId" | "questions"> & {
  questions: Omit<Question, "id">[];
};

/** One stored answer; `respondent` is the pseudonymous key, never a user id for anonymous pulses. */
export type Answer = {
  questionId: number;
  respondent: string;
  department: string | null;
  value: number | null;
  text: string | null;
};
