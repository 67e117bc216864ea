// Slack modals for pulses and rituals: the `/pulse` form (up to 5 questions with kind
// and tag, a template, anonymity, when it closes, a reminder, weekly repeats), the
// free-text answer, and the ritual's decision. Parsing the form's state into a pulse
// spec lives here too; the core validates it.
import type { types } from "@slack/bolt";
import { TEMPLATES } from "../../core/pulse/templates.ts";
import {
  DEFAULT_DURATION_MS,
  MAX_QUESTIONS,
  type PulseSpecInput,
  QUESTION_CHARS,
  QUESTION_KINDS,
  type QuestionKind,
  STANDARD_TAGS,
  TEXT_ANSWER_CHARS,
} from "../../core/pulse/types.ts";
import { DECISION_CHARS } from "../../core/rituals/types.ts";

export const PULSE_FORM_CALLBACK = "pulse_create";
export const PULSE_TEXT_CALLBACK = "pulse_text_answer";
export const RITUAL_DECISION_CALLBACK = "ritual_decision";

const plain = (text: string) => ({ type: "plain_text" as const, text, emoji: true });
const option = (text: string, value: string) => ({ text: plain(text), value });

const KIND_NAMES: Record<QuestionKind, string> = {
  agree5: "Agree 1–5",
  scale10: "Scale 0–10",
  yesno: "Yes / no",
  text: "Free text",
};
const DURATIONS: [string, number][] = [
  ["1 hour", 1],
  ["4 hours", 4],
  ["8 hours", 8],
  ["24 hours", 24],
  ["2 days", 48],
  ["3 days", 72],
  ["1 week", 168],
];
const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

type FormMetadata = { channelId: string };

export function pulseFormView(input: { channelId: string; zone: string }): types.View {
  const blocks: unknown[] = [
    {
      type: "input",
      block_id: "template",
      optional: true,
      label: plain("Template"),
      hint: plain("Uses the template's questions instead of the ones below."),
      element: {
        type: "static_select",
        action_id: "value",
        placeholder: plain("None: my own questions"),
        options: TEMPLATES.map((t) => option(t.title.slice(0, 75), t.key)),
      },
    },
    {
      type: "input",
      block_id: "title",
      optional: true,
      label: plain("Title"),
      element: {
        type: "plain_text_input",
        action_id: "value",
        max_length: 150,
        placeholder: plain("Defaults to the first question"),
      },
    },
  ];
  for (let i = 1; i <= MAX_QUESTIONS; i++) {
    blocks.push(
      { type: "divider" },
      {
        type: "input",
        block_id: `q${i}_text`,
        optional: true,
        label: plain(`Question ${i}`),
        element: { type: "plain_text_input", action_id: "value", max_length: QUESTION_CHARS },
      },
      {
        type: "input",
        block_id: `q${i}_kind`,
        optional: true,
        label: plain(`Question ${i}: answers`),
        element: {
          type: "static_select",
          action_id: "value",
          initial_option: option(KIND_NAMES.agree5, "agree5"),
          options: QUESTION_KINDS.map((kind) => option(KIND_NAMES[kind], kind)),
        },
      },
      {
        type: "input",
        block_id: `q${i}_tag`,
        optional: true,
        label: plain(`Question ${i}: tag`),
        element: {
          type: "static_select",
          action_id: "value",
          initial_option: option("collaboration", "collaboration"),
          options: [...STANDARD_TAGS.map((tag) => option(tag, tag)), option("custom (below)", "custom")],
        },
      },
      {
        type: "input",
        block_id: `q${i}_custom`,
        optional: true,
        label: plain(`Question ${i}: custom tag`),
        element: { type: "plain_text_input", action_id: "value", max_length: 40 },
      },
    );
  }
  blocks.push(
    { type: "divider" },
    {
      type: "input",
      block_id: "options",
      optional: true,
      label: plain("Options"),
      element: {
        type: "checkboxes",
        action_id: "value",
        options: [
          option("Anonymous: nobody can see who answered what", "anonymous"),
          option("One reminder in the thread 6 hours before it closes", "remind"),
        ],
        initial_options: [
          option("Anonymous: nobody can see who answered what", "anonymous"),
          option("One reminder in the thread 6 hours before it closes", "remind"),
        ],
      },
    },
    {
      type: "input",
      block_id: "duration",
      optional: true,
      label: plain("Open for"),
      element: {
        type: "static_select",
        action_id: "value",
        initial_option: option("24 hours", "24"),
        options: DURATIONS.map(([label, hours]) => option(label, String(hours))),
      },
    },
    {
      type: "input",
      block_id: "closes_at",
      optional: true,
      label: plain("Or close at"),
      element: { type: "datetimepicker", action_id: "value" },
    },
    {
      type: "input",
      block_id: "repeat_day",
      optional: true,
      label: plain("Repeat weekly on"),
      element: {
        type: "static_select",
        action_id: "value",
        placeholder: plain("Don't repeat"),
        options: DAYS.map((day, i) => option(`Every ${day}`, String(i + 1))),
      },
    },
    {
      type: "input",
      block_id: "repeat_time",
      optional: true,
      label: plain("at"),
      element: { type: "timepicker", action_id: "value", initial_time: "09:00" },
    },
    {
      type: "input",
      block_id: "repeat_zone",
      optional: true,
      label: plain("in the time zone"),
      element: { type: "plain_text_input", action_id: "value", initial_value: input.zone },
    },
  );
  return {
    type: "modal",
    callback_id: PULSE_FORM_CALLBACK,
    private_metadata: JSON.stringify({ channelId: input.channelId } satisfies FormMetadata),
    title: plain("New pulse"),
    submit: plain("Post"),
    close: plain("Cancel"),
    blocks,
  } as types.View;
}

type StateValue = {
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_options?: { value: string }[];
  selected_date_time?: number | null;
  selected_time?: string | null;
};
export type ViewState = Record<string, Record<string, StateValue>>;

const field = (state: ViewState, block: string): StateValue => state[block]?.value ?? {};

export type ParsedForm =
  | { ok: true; channelId: string; spec: PulseSpecInput }
  | { ok: false; errors: Record<string, string> };

export function parsePulseForm(state: ViewState, metadata: string): ParsedForm {
  let channelId = "";
  try {
    channelId = (JSON.parse(metadata) as FormMetadata).channelId;
  } catch {
    channelId = "";
  }
  if (!channelId) return { ok: false, errors: { title: "This form lost track of its channel; run /pulse again." } };
  const errors: Record<string, string> = {};
  const template = TEMPLATES.find((t) => t.key === field(state, "template").selected_option?.value) ?? null;
  const questions: PulseSpecInput["questions"] = [];
  for (let i = 1; i <= MAX_QUESTIONS; i++) {
    const text = (field(state, `q${i}_text`).value ?? "").trim();
    if (text === "") continue;
    const kind = (field(state, `q${i}_kind`).selected_option?.value ?? "agree5") as QuestionKind;
    let tag = field(state, `q${i}_tag`).selected_option?.value ?? "collaboration";
    if (tag === "custom") {
      tag = (field(state, `q${i}_custom`).value ?? "").trim().toLowerCase();
      if (tag === "") errors[`q${i}_custom`] = "Write the custom tag (a word such as onboarding).";
    }
    if (tag === "collaboration" && kind !== "agree5") {
      errors[`q${i}_tag`] = "collaboration questions use the 1–5 agreement scale (collaboration_score is a 1–5 mean)";
    }
    questions.push({ text, kind, tag, aboutDepartment: null });
  }
  if (!template && questions.length === 0) errors.q1_text = "Ask at least one question, or pick a template.";
  const chosen = new Set((field(state, "options").selected_options ?? []).map((o) => o.value));
  const closesAtSec = field(state, "closes_at").selected_date_time ?? null;
  const day = field(state, "repeat_day").selected_option?.value ?? null;
  const time = field(state, "repeat_time").selected_time ?? "09:00";
  const zone = (field(state, "repeat_zone").value ?? "").trim() || "UTC";
  if (day) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: zone });
    } catch {
      errors.repeat_zone = "Not a time zone I know: use an IANA name such as Europe/Berlin.";
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const hours = Number(field(state, "duration").selected_option?.value ?? DEFAULT_DURATION_MS / 3_600_000);
  const title = (field(state, "title").value ?? "").trim();
  const spec: PulseSpecInput = {
    title: title || template?.title || (questions[0]?.text ?? "Pulse").slice(0, 150),
    questions: template ? template.questions : questions,
    template: template?.key ?? null,
    anonymous: chosen.has("anonymous"),
    remind: chosen.has("remind"),
    ...(closesAtSec ? { closesAtMs: closesAtSec * 1000 } : { durationMs: hours * 3_600_000 }),
    weekly: day ? { dayOfWeek: Number(day), time, timezone: zone } : null,
  };
  return { ok: true, channelId, spec };
}

/** Maps the core's validation issues (paths into the spec) to the form's blocks. */
export function formErrorsFor(issues: { path: PropertyKey[]; message: string }[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const [first, index, key] = issue.path;
    let block = "title";
    if (first === "questions" && typeof index === "number") block = `q${index + 1}_${key === "tag" ? "tag" : "text"}`;
    else if (first === "durationMs" || first === "closesAtMs") block = "closes_at";
    else if (first === "weekly") block = key === "timezone" ? "repeat_zone" : "repeat_day";
    errors[block] ??= issue.message;
  }
  return errors;
}

/** What a modal carries back in private_metadata; null when it no longer reads (Slack lost it, or an older Tandem wrote it). */
export function readMetadata<T>(privateMetadata: string): T | null {
  try {
    return JSON.parse(privateMetadata) as T;
  } catch {
    return null;
  }
}

export type TextAnswerMetadata = { pulseId: number; questionId: number; channelId: string; messageTs: string };

export function textAnswerView(input: TextAnswerMetadata & { question: string; anonymous: boolean }): types.View {
  return {
    type: "modal",
    callback_id: PULSE_TEXT_CALLBACK,
    private_metadata: JSON.stringify({
      pulseId: input.pulseId,
      questionId: input.questionId,
      channelId: input.channelId,
      messageTs: input.messageTs,
    } satisfies TextAnswerMetadata),
    title: plain("Your answer"),
    submit: plain("Send"),
    close: plain("Cancel"),
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `*${input.question.replace(/[&<>]/g, "")}*` } },
      {
        type: "input",
        block_id: "answer",
        label: plain("Answer"),
        element: { type: "plain_text_input", action_id: "value", multiline: true, max_length: TEXT_ANSWER_CHARS },
      },
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text: input.anonymous
              ? "Anonymous: shown without your name, and only once at least 3 people have answered."
              : "Shown without your name, once at least 3 people have answered.",
          },
        ],
      },
    ],
  } as types.View;
}

export function thanksView(text: string): types.View {
  return {
    type: "modal",
    title: plain("Thanks"),
    close: plain("Done"),
    blocks: [{ type: "section", text: { type: "mrkdwn", text: text.replace(/[<>]/g, "") } }],
  } as types.View;
}

export type DecisionMetadata = { ritualId: number };

export function decisionView(input: { ritualId: number; metricName: string; checkDay: string }): types.View {
  return {
    type: "modal",
    callback_id: RITUAL_DECISION_CALLBACK,
    private_metadata: JSON.stringify({ ritualId: input.ritualId } satisfies DecisionMetadata),
    title: plain("Record decision"),
    submit: plain("Record"),
    close: plain("Cancel"),
    blocks: [
      {
        type: "input",
        block_id: "decision",
        label: plain(`What did you decide about ${input.metricName}?`.slice(0, 2000)),
        element: { type: "plain_text_input", action_id: "value", multiline: true, max_length: DECISION_CHARS },
      },
      {
        type: "input",
        block_id: "check",
        optional: true,
        label: plain("Check whether it worked on"),
        hint: plain(`Tandem posts the outcome in the thread that day (${input.checkDay} unless you pick another).`),
        element: { type: "datepicker", action_id: "value", initial_date: input.checkDay },
      },
    ],
  } as types.View;
}
