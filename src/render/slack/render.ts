// Neutral message → Slack Block Kit. Pure: no Bolt calls, no I/O. Builders keep content
// within budget; this renderer only lays it out, and refuses (throws) rather than send a
// message Slack would reject or cut.
import type { types } from "@slack/bolt";
import { AppError, ErrorCode } from "../../core/errors.ts";
import { formatStatus } from "../../core/kpi/format.ts";
import type { Block, Message, MetricRow, Tone } from "../../core/messages/model.ts";
import { BAR_WIDTH, maxBarValue, textBar } from "../../core/messages/text-bars.ts";

export type SlackBlock = types.KnownBlock;
export type SlackMessage = { text: string; blocks: SlackBlock[] };

/** Slack's documented limits (https://docs.slack.dev/reference/block-kit/blocks). */
export const SLACK_LIMITS = {
  blocks: 50,
  headerChars: 150,
  sectionChars: 3_000,
  fields: 10,
  fieldChars: 2_000,
  contextElements: 10,
  contextChars: 3_000,
  actionsElements: 25,
  buttonTextChars: 75,
  actionIdChars: 255,
  valueChars: 2_000,
  blockIdChars: 255,
  imageUrlChars: 3_000,
  altTextChars: 2_000,
  /** chat.postMessage truncates `text` beyond this */
  textChars: 40_000,
} as const;

/** Rows a section holds at most, so a long scorecard reads in short groups. */
const ROWS_PER_SECTION = 10;

const TONE_EMOJI: Record<Tone, string> = {
  good: ":large_green_circle:",
  bad: ":red_circle:",
  neutral: ":white_circle:",
};

/** Slack's mrkdwn escaping: only &, < and > are control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The action_id of a choices block's option; unique within its actions block (block_id = the choice id). */
export function choiceActionId(choiceId: string, index: number): string {
  return `${choiceId}:${index}`;
}

/** Inverse of choiceActionId, for the adapter routing a click. */
export function parseChoiceActionId(actionId: string): { choiceId: string; index: number } | null {
  const match = /^(.*):(\d+)$/.exec(actionId);
  return match?.[1] !== undefined && match[2] !== undefined ? { choiceId: match[1], index: Number(match[2]) } : null;
}

/** Breaks an escaped line longer than `max` at a space, never inside an &amp; entity. */
function splitLongLine(line: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > max) {
    let cut = rest.lastIndexOf(" ", max);
    if (cut < max / 2) {
      cut = max;
      const amp = rest.lastIndexOf("&", cut - 1);
      if (amp >= 0 && amp > cut - 5 && !rest.slice(amp, cut).includes(";")) cut = amp;
    }
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^ /, "");
  }
  pieces.push(rest);
  return pieces;
}

/** Groups lines into texts of at most `maxChars` (joined by newlines) and `maxLines` lines. */
function packLines(input: string[], maxChars: number, maxLines = Number.POSITIVE_INFINITY): string[] {
  const lines = input.flatMap((line) => splitLongLine(line, maxChars));
  const chunks: string[] = [];
  let current: string[] = [];
  let size = 0;
  for (const line of lines) {
    const added = current.length === 0 ? line.length : size + 1 + line.length;
    if (current.length > 0 && (added > maxChars || current.length >= maxLines)) {
      chunks.push(current.join("\n"));
      current = [];
      size = 0;
    }
    size = current.length === 0 ? line.length : size + 1 + line.length;
    current.push(line);
  }
  if (current.length > 0) chunks.push(current.join("\n"));
  return chunks;
}

const mrkdwnSection = (text: string): SlackBlock => ({ type: "section", text: { type: "mrkdwn", text } });
const plain = (text: string) => ({ type: "plain_text" as const, text, emoji: true });

function metricRowLine(row: MetricRow): string {
  let line = `*${escapeMrkdwn(row.label)}*   ${escapeMrkdwn(row.value)}`;
  if (row.change && row.change.text !== "")
    line += `   ${TONE_EMOJI[row.change.tone]} ${escapeMrkdwn(row.change.text)}`;
  const extras: string[] = [];
  if (row.target) extras.push(`target ${escapeMrkdwn(row.target)}`);
  const status = row.status ? formatStatus(row.status) : "";
  if (status) extras.push(`_${status}_`);
  if (row.note) extras.push(escapeMrkdwn(row.note));
  return extras.length > 0 ? `${line}   · ${extras.join(" · ")}` : line;
}

function renderBlock(block: Block): SlackBlock[] {
  switch (block.type) {
    case "header":
      return [{ type: "header", text: plain(block.text) }];
    case "context":
      return [
        {
          type: "context",
          elements: packLines(escapeMrkdwn(block.text).split("\n"), SLACK_LIMITS.contextChars).map((text) => ({
            type: "mrkdwn" as const,
            text,
          })),
        },
      ];
    case "section":
      return packLines(escapeMrkdwn(block.text).split("\n"), SLACK_LIMITS.sectionChars).map(mrkdwnSection);
    case "metricRows":
      return packLines(block.rows.map(metricRowLine), SLACK_LIMITS.sectionChars, ROWS_PER_SECTION).map(mrkdwnSection);
    case "table": {
      const lines = block.rows.map((row) => {
        const [first = "", ...rest] = row.map(escapeMrkdwn);
        const cells = rest
          .map((cell, i) => (cell === "" ? "" : `${escapeMrkdwn(block.columns[i + 1] ?? "")}: ${cell}`))
          .filter((cell) => cell !== "");
        return cells.length > 0 ? `*${first}*   ${cells.join(" · ")}` : `*${first}*`;
      });
      return packLines(lines, SLACK_LIMITS.sectionChars, ROWS_PER_SECTION).map(mrkdwnSection);
    }
    case "bars": {
      // monospace so the bars line up; fences cost 8 characters per chunk
      const max = maxBarValue(block.rows);
      const width = Math.max(0, ...block.rows.map((row) => row.label.length));
      const lines = block.rows.map((row) =>
        escapeMrkdwn(`${row.label.padEnd(width)}  ${textBar(row.value, max).padEnd(BAR_WIDTH)}  ${row.display}`),
      );
      return packLines(lines, SLACK_LIMITS.sectionChars - 8).map((chunk) => mrkdwnSection(`\`\`\`\n${chunk}\n\`\`\``));
    }
    case "divider":
      return [{ type: "divider" }];
    case "choices": {
      const actions: SlackBlock = {
        type: "actions",
        block_id: block.id,
        elements: block.options.map((option, i) => ({
          type: "button",
          text: plain(option.label),
          action_id: choiceActionId(block.id, i),
          value: option.value,
        })),
      };
      return block.prompt ? [mrkdwnSection(escapeMrkdwn(block.prompt)), actions] : [actions];
    }
    case "actions":
      return [
        {
          type: "actions",
          elements: block.buttons.map((button) => ({
            type: "button",
            text: plain(button.label),
            action_id: button.actionId,
            value: button.value,
            ...(button.style ? { style: button.style } : {}),
          })),
        },
      ];
    case "image":
      return [{ type: "image", image_url: block.url, alt_text: block.altText }];
  }
}

/** Renders a message as Block Kit with its escaped fallback text; throws if Slack would refuse it. */
export function toSlack(message: Message): SlackMessage {
  const rendered: SlackMessage = { text: escapeMrkdwn(message.text), blocks: message.blocks.flatMap(renderBlock) };
  const problems = checkSlackLimits(rendered);
  if (problems.length > 0) {
    throw new AppError(ErrorCode.Internal, `message exceeds Slack's limits: ${problems.join("; ")}`, problems);
  }
  return rendered;
}

type Loose = Record<string, unknown>;
const textOf = (value: unknown): string =>
  typeof value === "object" && value !== null && typeof (value as Loose).text === "string"
    ? ((value as Loose).text as string)
    : "";

/** Every way a rendered message breaks Slack's limits; empty when it may be sent. */
export function checkSlackLimits(rendered: { text: string; blocks: object[] }): string[] {
  const problems: string[] = [];
  const over = (what: string, actual: number, max: number) => {
    if (actual > max) problems.push(`${what}: ${actual} > ${max}`);
  };
  if (rendered.text.trim() === "") problems.push("text: empty fallback text");
  over("text", rendered.text.length, SLACK_LIMITS.textChars);
  over("blocks", rendered.blocks.length, SLACK_LIMITS.blocks);
  const blockIds = new Set<string>();
  rendered.blocks.forEach((raw, i) => {
    const block = raw as Loose;
    const at = `blocks[${i}] ${String(block.type)}`;
    if (typeof block.block_id === "string") {
      over(`${at} block_id`, block.block_id.length, SLACK_LIMITS.blockIdChars);
      if (blockIds.has(block.block_id)) problems.push(`${at}: duplicate block_id ${block.block_id}`);
      blockIds.add(block.block_id);
    }
    switch (block.type) {
      case "header": {
        const text = textOf(block.text);
        if ((block.text as Loose | undefined)?.type !== "plain_text") problems.push(`${at}: text must be plain_text`);
        if (text === "") problems.push(`${at}: empty text`);
        over(at, text.length, SLACK_LIMITS.headerChars);
        break;
      }
      case "section": {
        const fields = Array.isArray(block.fields) ? (block.fields as unknown[]) : null;
        if (block.text === undefined && !fields) problems.push(`${at}: neither text nor fields`);
        if (block.text !== undefined) {
          const text = textOf(block.text);
          if (text === "") problems.push(`${at}: empty text`);
          over(at, text.length, SLACK_LIMITS.sectionChars);
        }
        if (fields) {
          over(`${at} fields`, fields.length, SLACK_LIMITS.fields);
          for (const field of fields) over(`${at} field`, textOf(field).length, SLACK_LIMITS.fieldChars);
        }
        break;
      }
      case "context": {
        const elements = Array.isArray(block.elements) ? (block.elements as unknown[]) : [];
        if (elements.length === 0) problems.push(`${at}: no elements`);
        over(`${at} elements`, elements.length, SLACK_LIMITS.contextElements);
        for (const element of elements) over(`${at} element`, textOf(element).length, SLACK_LIMITS.contextChars);
        break;
      }
      case "actions": {
        const elements = Array.isArray(block.elements) ? (block.elements as Loose[]) : [];
        if (elements.length === 0) problems.push(`${at}: no elements`);
        over(`${at} elements`, elements.length, SLACK_LIMITS.actionsElements);
        const actionIds = new Set<string>();
        for (const element of elements) {
          const label = textOf(element.text);
          if (label === "") problems.push(`${at}: button without text`);
          over(`${at} button text`, label.length, SLACK_LIMITS.buttonTextChars);
          const actionId = typeof element.action_id === "string" ? element.action_id : "";
          over(`${at} action_id`, actionId.length, SLACK_LIMITS.actionIdChars);
          if (actionId !== "" && actionIds.has(actionId)) problems.push(`${at}: duplicate action_id ${actionId}`);
          actionIds.add(actionId);
          if (typeof element.value === "string") over(`${at} value`, element.value.length, SLACK_LIMITS.valueChars);
          if (element.style !== undefined && element.style !== "primary" && element.style !== "danger") {
            problems.push(`${at}: style ${String(element.style)}`);
          }
        }
        break;
      }
      case "image": {
        const url = typeof block.image_url === "string" ? block.image_url : "";
        const alt = typeof block.alt_text === "string" ? block.alt_text : "";
        if (url === "") problems.push(`${at}: no image_url`);
        if (alt === "") problems.push(`${at}: no alt_text`);
        over(`${at} image_url`, url.length, SLACK_LIMITS.imageUrlChars);
        over(`${at} alt_text`, alt.length, SLACK_LIMITS.altTextChars);
        break;
      }
      case "divider":
        break;
      default:
        problems.push(`${at}: a block type this renderer does not produce`);
    }
  });
  return problems;
}
