// The `/pulse` grammar, the same on every surface:
//   /pulse                         the form (Slack's modal; elsewhere, help)
//   /pulse "QUESTION" [48h] [#tag] [named]
//   /pulse handoff | alignment | … [48h] [named]   a template
//   /pulse templates | list | help
//   /pulse close [ID] | results [ID] | stop [ID]
//   /pulse answer ID QUESTION_NUMBER VALUE          (console and Teams typing)
//   /pulse post [ID] | cancel [ID]                   a draft's Post and Cancel, typed
//   /pulse vote VALUE…                               the open pulse, question by question (the console)
// Unquoted text is a question only when it reads like one (three words or more, not
// starting with an answer or a command word): `/pulse 4`, `/pulse yes` and `/pulse result`
// are slips, answered with what to do, never asked as questions.
import { distance } from "fastest-levenshtein";
import { inQuotes } from "../messages/user-text.ts";
import { TEMPLATES } from "./templates.ts";
import { MAX_DURATION_MS } from "./types.ts";

export type PulseOptions = { durationMs?: number; tag?: string; anonymous?: boolean };

export type PulseCommand =
  | { kind: "form" }
  | { kind: "help" }
  | { kind: "templates" }
  | { kind: "list" }
  | ({ kind: "ask"; question: string } & PulseOptions)
  | ({ kind: "template"; key: string } & PulseOptions)
  | { kind: "close" | "results" | "stop"; pulseId: number | null }
  | { kind: "answer"; pulseId: number; position: number; value: string }
  | { kind: "post" | "cancel"; pulseId: number | null }
  | { kind: "vote"; values: string[] }
  /** typed by mistake: an answer (`4`, `vote 4` where votes are clicked), a misspelt verb, or a word or two */
  | { kind: "slip"; reason: "answer" | "verb" | "short"; verb?: string }
  | { kind: "invalid"; message: string };

const OPEN_QUOTES = new Set(['"', "“", "”", "„", "«", "'"]);
const CLOSE_QUOTES: Record<string, string[]> = {
  '"': ['"', "”", "“"],
  "“": ["”", '"', "“"],
  "”": ["”", '"'],
  "„": ["“", "”", '"'],
  "«": ["»"],
  "'": ["'"],
};
const VERBS = ["help", "templates", "list", "close", "results", "stop", "answer", "post", "cancel", "vote"];
const NUMBER = /^[-+]?\d+([.,]\d+)?$/;
const ANSWER_WORD = /^([-+]?\d+([.,]\d+)?|yes|no|y|n|agree|disagree|neither|strongly)$/i;

/** A slip rather than a question: an answer typed to the command, a misspelt verb, a word or two. */
function slipOf(words: string[]): PulseCommand | null {
  const head = (words[0] ?? "").toLowerCase();
  if (NUMBER.test(head) || words.every((word) => ANSWER_WORD.test(word))) return { kind: "slip", reason: "answer" };
  if (words.length <= 2) {
    const verb = VERBS.find((v) => head.length >= 3 && distance(head, v) <= (v.length > 4 ? 2 : 1));
    if (verb) return { kind: "slip", reason: "verb", verb };
  }
  return words.length < 3 ? { kind: "slip", reason: "short" } : null;
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** Slack escapes &, < and > in command text. */
function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/**
 * A pulse number as typed: `12` or `#12`. Anything that reads as a number (1e23, -1, 1.5)
 * is taken as one, so that the answer is "no such pulse" rather than a usage lesson;
 * whether a pulse has it is the store's question.
 */
function parseId(word: string | undefined): number | null | "bad" {
  if (word === undefined) return null;
  const match = /^#?([-+]?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?)$/i.exec(word);
  return match ? Number(match[1]) : "bad";
}

function parseOptions(words: string[]): PulseOptions | string {
  const options: PulseOptions = {};
  for (const word of words) {
    const duration = /^(\d+)(m|min|h|d|w)$/i.exec(word);
    if (duration) {
      const ms = Number(duration[1]) * (UNIT_MS[(duration[2] ?? "h").toLowerCase()[0] ?? "h"] ?? 0);
      if (ms <= 0 || ms > MAX_DURATION_MS) return `${inQuotes(word)}: a pulse stays open between 5 minutes and 30 days`;
      options.durationMs = ms;
    } else if (/^#[A-Za-z][\w]*$/.test(word)) {
      options.tag = word.slice(1).toLowerCase();
    } else if (/^named$/i.test(word)) {
      options.anonymous = false;
    } else if (/^anonymous$/i.test(word)) {
      options.anonymous = true;
    } else {
      return `I don't understand ${inQuotes(word)} after the question. Options: a duration (4h, 48h, 3d), a #tag, or named.`;
    }
  }
  return options;
}

export function parsePulseCommand(input: string): PulseCommand {
  const text = unescapeSlack(input).trim();
  if (text === "") return { kind: "form" };
  const words = text.split(/\s+/);
  const head = (words[0] ?? "").toLowerCase();
  const rest = words.slice(1);

  switch (head) {
    case "help":
    case "?":
      return { kind: "help" };
    case "templates":
      return { kind: "templates" };
    case "list":
      return { kind: "list" };
    case "vote":
      return rest.length === 0 ? { kind: "slip", reason: "answer" } : { kind: "vote", values: rest };
    case "post":
    case "cancel":
    case "close":
    case "results":
    case "stop": {
      const id = parseId(rest[0]);
      if (id === "bad" || rest.length > 1) return { kind: "invalid", message: `Usage: /pulse ${head} [PULSE_NUMBER]` };
      return { kind: head, pulseId: id };
    }
    case "answer": {
      const [id, position, ...value] = rest;
      const pulseId = parseId(id);
      if (typeof pulseId !== "number" || !/^\d+$/.test(position ?? "") || value.length === 0) {
        return {
          kind: "invalid",
          message: "Usage: /pulse answer PULSE_NUMBER QUESTION_NUMBER ANSWER (1–5, 0–10, yes/no, or text)",
        };
      }
      return { kind: "answer", pulseId, position: Number(position), value: value.join(" ") };
    }
  }

  if (TEMPLATES.some((t) => t.key === head)) {
    const options = parseOptions(rest);
    return typeof options === "string"
      ? { kind: "invalid", message: options }
      : { kind: "template", key: head, ...options };
  }
  if (head === "template") {
    const key = (rest[0] ?? "").toLowerCase();
    const options = parseOptions(rest.slice(1));
    if (typeof options === "string") return { kind: "invalid", message: options };
    return { kind: "template", key, ...options };
  }

  const open = text[0] ?? "";
  if (OPEN_QUOTES.has(open)) {
    const closers = CLOSE_QUOTES[open] ?? [open];
    let end = -1;
    for (let i = text.length - 1; i > 0; i--) {
      if (closers.includes(text[i] ?? "")) {
        end = i;
        break;
      }
    }
    if (end <= 1)
      return {
        kind: "invalid",
        message: 'Put the question in quotes: /pulse "How well did sales and marketing work together this week?"',
      };
    const question = text.slice(1, end).trim();
    const after = text.slice(end + 1).trim();
    const options = parseOptions(after === "" ? [] : after.split(/\s+/));
    if (typeof options === "string") return { kind: "invalid", message: options };
    return { kind: "ask", question, ...options };
  }
  // Without quotes the whole text is the question, when it reads like one.
  return slipOf(words) ?? { kind: "ask", question: text };
}
