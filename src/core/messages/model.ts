// The neutral message model: what every answer is before a renderer turns it into
// Block Kit, an Adaptive Card or console text. Platform-free on purpose; builders
// keep within LIMITS so that no renderer ever has to cut content.
import type { Status } from "../kpi/types.ts";
import { fallbackText } from "./fallback-text.ts";
import { cleanStrings, withoutControlChars } from "./user-text.ts";

export type Tone = "good" | "bad" | "neutral";
export type Change = { text: string; tone: Tone };

export type MetricRow = {
  label: string;
  value: string;
  change?: Change;
  status?: Status | null;
  target?: string;
  note?: string;
};

export type BarRow = { label: string; value: number; display: string };
export type ChoiceOption = { label: string; value: string };
export type Button = { label: string; actionId: string; value: string; style?: "primary" | "danger" };

export type HeaderBlock = { type: "header"; text: string };
/** small print */
export type ContextBlock = { type: "context"; text: string };
/** markdown-lite: *bold*, _italic_, `code`, one item per line */
export type SectionBlock = { type: "section"; text: string };
export type MetricRowsBlock = { type: "metricRows"; rows: MetricRow[] };
/** comparisons; every row has one cell per column */
export type TableBlock = { type: "table"; columns: string[]; rows: string[][] };
/** a distribution or breakdown drawn as text bars; values are ≥ 0 */
export type BarsBlock = { type: "bars"; rows: BarRow[] };
export type DividerBlock = { type: "divider" };
/**
 * Buttons for pulses and polls. `id` and the option values are opaque to the renderers:
 * the adapters route on them.
 */
export type ChoicesBlock = {
  type: "choices";
  id: string;
  prompt?: string;
  options: ChoiceOption[];
  style?: "scale" | "list";
};
export type ActionsBlock = { type: "actions"; buttons: Button[] };
export type ImageBlock = { type: "image"; url: string; altText: string };

export type Block =
  | HeaderBlock
  | ContextBlock
  | SectionBlock
  | MetricRowsBlock
  | TableBlock
  | BarsBlock
  | DividerBlock
  | ChoicesBlock
  | ActionsBlock
  | ImageBlock;

export type Visibility = "private" | "channel";

export type Message = {
  /** the complete plain-text fallback: notifications, screen readers, clients without cards */
  text: string;
  blocks: Block[];
  visibility?: Visibility;
};

/**
 * Budgets every builder keeps to. They are tighter than the strictest platform
 * (Slack: 50 blocks, 3,000 a section, 150 a header, 75 a button; Teams: 80 KB a card)
 * so that renderer overhead and Slack's &amp; escaping still fit.
 */
export const LIMITS = {
  /** neutral blocks a message; a renderer may expand one into a few */
  blocks: 30,
  headerChars: 150,
  /** section and context text */
  textChars: 2_000,
  /** metric names, bar labels, table cells, row values and notes */
  labelChars: 100,
  metricRows: 50,
  tableRows: 50,
  tableColumns: 6,
  /** the top 10 plus "others" */
  barRows: 11,
  /** a 0–10 scale has 11 */
  choiceOptions: 11,
  choiceBlocks: 5,
  buttons: 5,
  buttonLabelChars: 75,
  /** action ids and choice ids: routing keys, not content (Slack appends ":index" for choices) */
  idChars: 100,
  /** button and option values: routing keys too; 55 pulse buttons must fit a Teams card */
  valueChars: 200,
  urlChars: 2_000,
  /** all the text in the blocks together: what keeps a card under 80 KB and Slack under 50 blocks */
  contentChars: 16_000,
  /** the fallback text */
  fallbackChars: 16_000,
} as const;

/** Shortens text to at most `max` characters, marking the cut with an ellipsis. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars
    .slice(0, max - 1)
    .join("")
    .trimEnd()}…`;
}

/**
 * Builds a message whose fallback text is derived from its blocks. Every answer is made
 * here, so this is where text people typed loses its control characters (user-text.ts).
 */
export function makeMessage(blocks: Block[], options: { visibility?: Visibility; text?: string } = {}): Message {
  const clean = cleanStrings(blocks);
  const message: Message = { text: withoutControlChars(options.text ?? fallbackText(clean)), blocks: clean };
  if (options.visibility) message.visibility = options.visibility;
  return message;
}

/** Adds blocks (a "Share in channel" button, say) and recomputes the fallback text. */
export function appendBlocks(message: Message, blocks: Block[]): Message {
  return makeMessage([...message.blocks, ...blocks], message.visibility ? { visibility: message.visibility } : {});
}

function contentChars(blocks: Block[]): number {
  const count = (value: unknown): number => {
    if (typeof value === "string") return Array.from(value).length;
    if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + count(item), 0);
    if (typeof value === "object" && value !== null) {
      return Object.entries(value).reduce((sum, [key, item]) => sum + (key === "type" ? 0 : count(item)), 0);
    }
    return 0;
  };
  return count(blocks);
}

/** Violations of LIMITS; builders' tests expect none. Renderers check the platform's own limits. */
export function checkMessage(message: Message): string[] {
  const problems: string[] = [];
  const over = (what: string, actual: number, max: number) => {
    if (actual > max) problems.push(`${what}: ${actual} > ${max}`);
  };
  const len = (text: string) => Array.from(text).length;
  if (message.text.trim() === "") problems.push("text: empty fallback");
  over("text", len(message.text), LIMITS.fallbackChars);
  over("blocks", message.blocks.length, LIMITS.blocks);
  over("content", contentChars(message.blocks), LIMITS.contentChars);
  over("choices blocks", message.blocks.filter((b) => b.type === "choices").length, LIMITS.choiceBlocks);
  message.blocks.forEach((block, i) => {
    const at = `blocks[${i}] ${block.type}`;
    switch (block.type) {
      case "header":
        over(at, len(block.text), LIMITS.headerChars);
        break;
      case "context":
      case "section":
        over(at, len(block.text), LIMITS.textChars);
        break;
      case "metricRows":
        over(`${at} rows`, block.rows.length, LIMITS.metricRows);
        for (const row of block.rows) {
          for (const text of [row.label, row.value, row.change?.text ?? "", row.target ?? "", row.note ?? ""]) {
            over(`${at} cell`, len(text), LIMITS.labelChars);
          }
        }
        break;
      case "table":
        over(`${at} columns`, block.columns.length, LIMITS.tableColumns);
        over(`${at} rows`, block.rows.length, LIMITS.tableRows);
        for (const row of [block.columns, ...block.rows]) {
          if (row.length !== block.columns.length) problems.push(`${at}: a row has ${row.length} cells`);
          for (const cell of row) over(`${at} cell`, len(cell), LIMITS.labelChars);
        }
        break;
      case "bars":
        over(`${at} rows`, block.rows.length, LIMITS.barRows);
        for (const row of block.rows) {
          over(`${at} label`, len(row.label), LIMITS.labelChars);
          over(`${at} display`, len(row.display), LIMITS.labelChars);
          if (!Number.isFinite(row.value) || row.value < 0) problems.push(`${at}: bar value ${row.value}`);
        }
        break;
      case "choices":
        over(`${at} id`, len(block.id), LIMITS.idChars);
        over(`${at} prompt`, len(block.prompt ?? ""), LIMITS.textChars);
        over(`${at} options`, block.options.length, LIMITS.choiceOptions);
        if (block.options.length === 0) problems.push(`${at}: no options`);
        for (const option of block.options) {
          over(`${at} label`, len(option.label), LIMITS.buttonLabelChars);
          over(`${at} value`, len(option.value), LIMITS.valueChars);
        }
        break;
      case "actions":
        over(`${at} buttons`, block.buttons.length, LIMITS.buttons);
        if (block.buttons.length === 0) problems.push(`${at}: no buttons`);
        for (const button of block.buttons) {
          over(`${at} label`, len(button.label), LIMITS.buttonLabelChars);
          over(`${at} actionId`, len(button.actionId), LIMITS.idChars);
          over(`${at} value`, len(button.value), LIMITS.valueChars);
        }
        break;
      case "image":
        over(`${at} url`, len(block.url), LIMITS.urlChars);
        over(`${at} altText`, len(block.altText), LIMITS.textChars);
        if (block.altText.trim() === "") problems.push(`${at}: empty altText`);
        break;
      case "divider":
        break;
    }
  });
  return problems;
}
