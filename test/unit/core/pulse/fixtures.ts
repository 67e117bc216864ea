// Pulses and answers for unit tests of results and messages.
import type { Answer, Pulse, Question, QuestionKind } from "../../../../src/core/pulse/types.ts";

export function question(id: number, kind: QuestionKind = "agree5", extra: Partial<Question> = {}): Question {
  return { id, position: id, text: `Question ${id}`, kind, tag: "collaboration", aboutDepartment: null, ...extra };
}

export function pulse(questions: Question[], extra: Partial<Pulse> = {}): Pulse {
  return {
    id: 7,
    workspaceId: 1,
    platform: "slack",
    channelId: "C1",
    createdBy: "UCREATOR",
    title: "Weekly check",
    template: null,
    anonymous: true,
    status: "closed",
    opensAt: new Date("2026-10-12T08:00:00Z"),
    closesAt: new Date("2026-10-13T08:00:00Z"),
    closedAt: new Date("2026-10-13T08:00:00Z"),
    reminderAt: null,
    reminderSentAt: null,
    askedCount: 20,
    minGroupSize: 3,
    recurrence: null,
    messageId: "1.1",
    questions,
    ...extra,
  };
}

let counter = 0;
/** answers to one question: [department, value] pairs, each from a different person */
export function answers(questionId: number, rows: [string | null, number | string][]): Answer[] {
  return rows.map(([department, value]) => ({
    questionId,
    respondent: `r${++counter}`,
    department,
    value: typeof value === "number" ? value : null,
    text: typeof value === "string" ? value : null,
  }));
}

export const DEPARTMENTS = [
  { key: "marketing", name: "Marketing" },
  { key: "sales", name: "Sales" },
  { key: "product", name: "Product" },
];
