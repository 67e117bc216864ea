// The pulse's chat messages, as neutral messages within LIMITS: the pulse with its
// answer buttons and the count of answers (never who answered), the reminder, the
// results, and the private confirmations. Routing keys for the buttons are made here.
import { DateTime } from "luxon";
import { type Block, clip, LIMITS, type Message, makeMessage } from "../messages/model.ts";
import { isNumeric, type PulseResults, type QuestionResult, scaleOf } from "./results.ts";
import type { Pulse, Question, QuestionKind } from "./types.ts";

const CHOICE_PREFIX = "pulse";
export const TEXT_ACTION_PREFIX = "pulse_text";

/** The choices block id of a question: the adapters route a click on it back to recordAnswer. */
export function pulseChoiceId(pulseId: number, questionId: number): string {
  return `${CHOICE_PREFIX}:${pulseId}:${questionId}`;
}

export function parsePulseChoiceId(id: string): { pulseId: number; questionId: number } | null {
  const match = /^pulse:(\d+):(\d+)$/.exec(id);
  return match ? { pulseId: Number(match[1]), questionId: Number(match[2]) } : null;
}

/** The "write your answer" button of a free-text question (its value is the same pair). */
export function pulseTextActionId(pulseId: number, questionId: number): string {
  return `${TEXT_ACTION_PREFIX}:${pulseId}:${questionId}`;
}

export function parsePulseTextActionId(id: string): { pulseId: number; questionId: number } | null {
  const match = /^pulse_text:(\d+):(\d+)$/.exec(id);
  return match ? { pulseId: Number(match[1]), questionId: Number(match[2]) } : null;
}

const DRAFT_ACTION = /^pulse_(post|cancel):(\d+)$/;

/** The Post or Cancel button of a draft's preview. */
export function pulseDraftActionId(verb: "post" | "cancel", pulseId: number): string {
  return `pulse_${verb}:${pulseId}`;
}

export function parsePulseDraftActionId(id: string): { verb: "post" | "cancel"; pulseId: number } | null {
  const match = DRAFT_ACTION.exec(id);
  return match ? { verb: match[1] as "post" | "cancel", pulseId: Number(match[2]) } : null;
}

function durationText(ms: number): string {
  const hours = ms / 3_600_000;
  if (hours >= 48 && Number.isInteger(hours / 24)) return `${hours / 24} days`;
  if (hours >= 1 && Number.isInteger(hours)) return hours === 1 ? "1 hour" : `${hours} hours`;
  return `${Math.round(ms / 60_000)} minutes`;
}

export function formatWhen(date: Date, zone: string): string {
  const local = DateTime.fromMillis(date.getTime(), { zone, locale: "en-US" });
  return `${local.toFormat("ccc d LLL, HH:mm")} (${zone})`;
}

export function answerLabel(kind: QuestionKind, value: number | null, text: string | null): string {
  if (kind === "text") return `“${clip(text ?? "", 200)}”`;
  return scaleOf(kind).find((option) => option.value === value)?.label ?? String(value);
}

const KIND_HINT: Record<QuestionKind, string> = {
  agree5: "1 = strongly disagree, 5 = strongly agree",
  scale10: "0 = not at all, 10 = completely",
  yesno: "yes or no",
  text: "a few words, in your own voice",
};

function answersText(count: number): string {
  return count === 1 ? "1 answer" : `${count} answers`;
}

function privacyLine(pulse: Pulse): string {
  return pulse.anonymous
    ? "Anonymous: nobody, admins included, can see who answered what."
    : "Not anonymous: your answers are stored with your name (results never show names).";
}

function questionPrompt(pulse: Pulse, question: Question): string {
  const number = pulse.questions.length > 1 ? `${question.position}. ` : "";
  return `*${number}${question.text}*\n_${KIND_HINT[question.kind]}_`;
}

function headerOf(pulse: Pulse): string {
  const only = pulse.questions.length === 1 ? pulse.questions[0] : undefined;
  return only && only.text === pulse.title ? "Pulse" : clip(`Pulse · ${pulse.title}`, LIMITS.headerChars);
}

/** The pulse as posted in the channel; `closed` drops the buttons. */
export function pulseMessage(pulse: Pulse, state: { count: number; zone: string; closed?: boolean }): Message {
  const blocks: Block[] = [{ type: "header", text: headerOf(pulse) }];
  for (const question of pulse.questions) {
    if (state.closed) {
      blocks.push({ type: "section", text: questionPrompt(pulse, question) });
    } else if (question.kind === "text") {
      blocks.push({ type: "section", text: questionPrompt(pulse, question) });
      blocks.push({
        type: "actions",
        buttons: [
          {
            label: "Write your answer",
            actionId: pulseTextActionId(pulse.id, question.id),
            value: `${pulse.id}:${question.id}`,
          },
        ],
      });
    } else {
      blocks.push({
        type: "choices",
        id: pulseChoiceId(pulse.id, question.id),
        prompt: questionPrompt(pulse, question),
        options: scaleOf(question.kind).map((option) => ({ label: option.label, value: String(option.value) })),
        style: question.kind === "yesno" ? "list" : "scale",
      });
    }
  }
  const status = state.closed
    ? `Closed · ${answersText(state.count)} · results below`
    : `${answersText(state.count)} so far · closes ${formatWhen(pulse.closesAt, state.zone)} · you can change your answer until then`;
  blocks.push({ type: "context", text: `${status}\n${privacyLine(pulse)} Pulse #${pulse.id}.` });
  return makeMessage(blocks, { visibility: "channel" });
}

/**
 * What the author sees before anything reaches the channel: the pulse as it will read,
 * with Post and Cancel (typed: `/pulse post`, `/pulse cancel`, what the console offers).
 */
export function pulsePreview(pulse: Pulse, options: { zone: string; prefix: string }): Message {
  const blocks: Block[] = [
    { type: "section", text: "*Preview: only you can see this.* Nothing is posted until you click Post." },
    { type: "divider" },
    { type: "header", text: headerOf(pulse) },
  ];
  for (const question of pulse.questions) blocks.push({ type: "section", text: questionPrompt(pulse, question) });
  const weekly = pulse.recurrence ? " Repeats weekly." : "";
  blocks.push(
    {
      type: "context",
      text: `Open for ${durationText(pulse.closesAt.getTime() - pulse.opensAt.getTime())} from when you post it.${weekly}\n${privacyLine(pulse)} Draft #${pulse.id}.`,
    },
    {
      type: "actions",
      buttons: [
        { label: "Post", actionId: pulseDraftActionId("post", pulse.id), value: String(pulse.id), style: "primary" },
        { label: "Cancel", actionId: pulseDraftActionId("cancel", pulse.id), value: String(pulse.id) },
      ],
    },
    { type: "context", text: `Typed: \`${options.prefix} post\` posts it, \`${options.prefix} cancel\` drops it.` },
  );
  return makeMessage(blocks, { visibility: "private" });
}

export function reminderMessage(pulse: Pulse, state: { count: number; now: Date }): Message {
  const hours = Math.max(1, Math.round((pulse.closesAt.getTime() - state.now.getTime()) / 3_600_000));
  const left = hours === 1 ? "1 hour left" : `${hours} hours left`;
  return makeMessage(
    [{ type: "section", text: `${left}, ${answersText(state.count)} so far. The buttons are on the pulse above.` }],
    {
      visibility: "channel",
    },
  );
}

function score(kind: QuestionKind, value: number): string {
  if (kind === "yesno") return `${(value * 100).toFixed(0)}% yes`;
  return value.toFixed(1);
}

function outOf(kind: QuestionKind): string {
  if (kind === "agree5") return " of 5";
  if (kind === "scale10") return " of 10";
  return "";
}

/** Free text within one section's budget; the rest is counted, not shown. */
function textLines(texts: string[], budget: number): string {
  const lines: string[] = [];
  let used = 0;
  for (const text of texts) {
    const line = `• ${clip(text.replace(/\s+/g, " "), 300)}`;
    if (used + line.length + 1 > budget) break;
    lines.push(line);
    used += line.length + 1;
  }
  const more = texts.length - lines.length;
  if (more > 0) lines.push(`_…and ${more} more_`);
  return lines.join("\n");
}

function questionBlocks(results: PulseResults, result: QuestionResult, numbered: boolean): Block[] {
  const { question } = result;
  const title = `*${numbered ? `${question.position}. ` : ""}${question.text}*`;
  if (result.hidden) {
    return [
      {
        type: "section",
        text: `${title}\n${answersText(result.answers)}: results show from ${results.minGroupSize} answers on, so that nobody's answer can be singled out.`,
      },
    ];
  }
  if (!isNumeric(question.kind)) {
    const head = `${title}\n${answersText(result.answers)}, in alphabetical order:\n`;
    // room for the "…and N more" line too
    const budget = LIMITS.textChars - Array.from(head).length - 30;
    return [{ type: "section", text: `${head}${textLines(result.texts ?? [], budget)}` }];
  }
  const lines = [title];
  if (result.mean !== null)
    lines.push(`Mean *${score(question.kind, result.mean)}*${outOf(question.kind)} · ${answersText(result.answers)}`);
  if (result.reciprocal) {
    const { about, self, others, gap } = result.reciprocal;
    const direction =
      Math.abs(gap) < 0.05 ? "the same" : `${Math.abs(gap).toFixed(1)} points ${gap < 0 ? "lower" : "higher"}`;
    lines.push(
      `${about.name} rates its own work ${score(question.kind, self.mean)} (${self.count}); everyone else rates it ${score(question.kind, others.mean)} (${others.count}): ${direction}.`,
    );
  }
  const blocks: Block[] = [
    { type: "section", text: lines.join("\n") },
    {
      type: "bars",
      rows: (result.distribution ?? []).map((row) => ({
        label: row.label,
        value: row.count,
        display: result.answers > 0 ? `${row.count} (${((row.count / result.answers) * 100).toFixed(0)}%)` : "0",
      })),
    },
  ];
  if (result.byDepartment) {
    blocks.push({
      type: "table",
      columns: ["Department", "Mean", "Answers"],
      rows: result.byDepartment.map((g) => [
        clip(g.name, LIMITS.labelChars),
        score(question.kind, g.mean),
        String(g.count),
      ]),
    });
  }
  return blocks;
}

export function resultsMessage(results: PulseResults, zone: string): Message {
  const { pulse } = results;
  const participation =
    results.participation === null
      ? `${results.respondents} answered`
      : `${results.respondents} of ${results.asked} asked answered (${(results.participation * 100).toFixed(1)}%)`;
  const blocks: Block[] = [
    { type: "header", text: clip(`Pulse results · ${pulse.title}`, LIMITS.headerChars) },
    {
      type: "context",
      text: `${participation} · closed ${formatWhen(pulse.closedAt ?? pulse.closesAt, zone)} · pulse #${pulse.id}`,
    },
  ];
  const numbered = results.questions.length > 1;
  for (const result of results.questions) blocks.push(...questionBlocks(results, result, numbered));
  blocks.push({
    type: "context",
    text: `Departments are shown where at least ${results.minGroupSize} people answered; answers never carry names.`,
  });
  return makeMessage(blocks, { visibility: "channel" });
}

export function confirmationMessage(input: {
  pulse: Pulse;
  question: Question;
  label: string;
  change: "new" | "changed" | "same";
  zone: string;
}): Message {
  const { pulse, question } = input;
  const what =
    input.change === "same"
      ? `You had already answered ${input.label}; it still counts once.`
      : input.change === "changed"
        ? `Changed: your answer is now ${input.label}.`
        : `Thanks! Your answer: ${input.label}.`;
  return makeMessage(
    [
      { type: "section", text: `${what}\n_${clip(question.text, 200)}_` },
      {
        type: "context",
        text: `You can change it until the pulse closes, ${formatWhen(pulse.closesAt, input.zone)}. ${privacyLine(pulse)}`,
      },
    ],
    { visibility: "private" },
  );
}

export function closedRefusal(pulse: Pulse, zone: string): Message {
  const when = formatWhen(pulse.closedAt ?? pulse.closesAt, zone);
  return makeMessage(
    [
      {
        type: "section",
        text: `Sorry, this pulse closed on ${when}, so answers are no longer counted. Thanks for wanting to take part! The results are posted in the channel.`,
      },
    ],
    { visibility: "private" },
  );
}

export function note(text: string): Message {
  return makeMessage([{ type: "section", text }], { visibility: "private" });
}
