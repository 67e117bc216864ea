// Neutral message → Adaptive Card 1.5 (what Teams supports). Pure; Action.Execute carries
// the choice / action id as its verb so Universal Actions refresh the card in place.
import { AppError, ErrorCode } from "../../core/errors.ts";
import { formatStatus } from "../../core/kpi/format.ts";
import type { Status } from "../../core/kpi/types.ts";
import { parseInline } from "../../core/messages/markdown-lite.ts";
import type { Block, Button, Message, MetricRow, Tone } from "../../core/messages/model.ts";
import { maxBarValue, textBar } from "../../core/messages/text-bars.ts";

export type CardElement = Record<string, unknown>;
export type AdaptiveCard = {
  $schema: string;
  type: "AdaptiveCard";
  version: "1.5";
  body: CardElement[];
  fallbackText: string;
  msteams: { width: "Full" };
};
export type TeamsActivity = {
  type: "message";
  /** notification preview; the full plain text travels as the card's fallbackText */
  summary: string;
  attachments: { contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE; content: AdaptiveCard }[];
};

export const ADAPTIVE_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";
export const TEAMS_LIMITS = { version: "1.5", maxBytes: 80 * 1024 } as const;
/** Buttons an ActionSet shows before Teams folds the rest into an overflow menu. */
const ACTIONS_PER_SET = 5;

const TONE_COLOR: Record<Tone, string> = { good: "Good", bad: "Attention", neutral: "Default" };
const STATUS_COLOR: Record<Status, string> = { on_track: "Good", at_risk: "Warning", off_track: "Attention" };

/** Markdown-lite → the markdown subset Adaptive Cards understand (no inline code there). */
export function toCardMarkdown(text: string): string {
  return parseInline(text)
    .map((span) => {
      if (span.style === "bold") return `**${span.text}**`;
      if (span.style === "italic") return `_${span.text}_`;
      return span.text;
    })
    .join("");
}

const textBlock = (text: string, extra: CardElement = {}): CardElement => ({
  type: "TextBlock",
  text,
  wrap: true,
  ...extra,
});

function cell(items: CardElement[]): CardElement {
  return { type: "TableCell", items };
}

function linesOf(text: string, extra: CardElement = {}): CardElement[] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, i) => textBlock(toCardMarkdown(line), i === 0 ? extra : { ...extra, spacing: "None" }));
}

function metricRowCells(row: MetricRow): CardElement {
  const labelItems = [textBlock(row.label, { weight: "Bolder" })];
  if (row.note) labelItems.push(textBlock(row.note, { isSubtle: true, size: "Small", spacing: "None" }));
  const status = row.status ? formatStatus(row.status) : "";
  const statusItems: CardElement[] = [];
  if (status && row.status) statusItems.push(textBlock(status, { color: STATUS_COLOR[row.status] }));
  if (row.target)
    statusItems.push(textBlock(`target ${row.target}`, { isSubtle: true, size: "Small", spacing: "None" }));
  return {
    type: "TableRow",
    cells: [
      cell(labelItems),
      cell([textBlock(row.value)]),
      cell(row.change ? [textBlock(row.change.text, { color: TONE_COLOR[row.change.tone] })] : []),
      cell(statusItems),
    ],
  };
}

function executeAction(title: string, verb: string, value: string, style?: Button["style"]): CardElement {
  const action: CardElement = { type: "Action.Execute", title, verb, data: { value } };
  if (style) action.style = style === "primary" ? "positive" : "destructive";
  return action;
}

function actionSets(actions: CardElement[]): CardElement[] {
  const sets: CardElement[] = [];
  for (let i = 0; i < actions.length; i += ACTIONS_PER_SET) {
    sets.push({ type: "ActionSet", actions: actions.slice(i, i + ACTIONS_PER_SET) });
  }
  return sets;
}

function renderBlock(block: Block): CardElement[] {
  switch (block.type) {
    case "header":
      return [textBlock(block.text, { size: "Large", weight: "Bolder", style: "heading" })];
    case "context":
      return linesOf(block.text, { isSubtle: true, size: "Small" });
    case "section":
      return linesOf(block.text);
    case "metricRows":
      return [
        {
          type: "Table",
          showGridLines: false,
          firstRowAsHeader: false,
          columns: [{ width: 3 }, { width: 2 }, { width: 2 }, { width: 2 }],
          rows: block.rows.map(metricRowCells),
        },
      ];
    case "table":
      return [
        {
          type: "Table",
          showGridLines: true,
          firstRowAsHeader: true,
          columns: block.columns.map((_, i) => ({ width: i === 0 ? 3 : 2 })),
          rows: [block.columns, ...block.rows].map((row, r) => ({
            type: "TableRow",
            cells: row.map((text, c) =>
              cell(text === "" ? [] : [textBlock(text, r === 0 || c === 0 ? { weight: "Bolder" } : {})]),
            ),
          })),
        },
      ];
    case "bars": {
      const max = maxBarValue(block.rows);
      return [
        {
          type: "Container",
          items: block.rows.map((row, i) => ({
            type: "ColumnSet",
            spacing: i === 0 ? "Default" : "None",
            columns: [
              { type: "Column", width: 2, items: [textBlock(row.label)] },
              { type: "Column", width: 3, items: [textBlock(textBar(row.value, max) || " ", { color: "Accent" })] },
              { type: "Column", width: 2, items: [textBlock(row.display)] },
            ],
          })),
        },
      ];
    }
    case "divider":
      // Adaptive Cards have no divider element: the next element carries a separator
      return [];
    case "choices": {
      const prompt = block.prompt ? linesOf(block.prompt, { weight: "Bolder" }) : [];
      return [
        ...prompt,
        ...actionSets(block.options.map((option) => executeAction(option.label, block.id, option.value))),
      ];
    }
    case "actions":
      return actionSets(block.buttons.map((b) => executeAction(b.label, b.actionId, b.value, b.style)));
    case "image":
      return [{ type: "Image", url: block.url, altText: block.altText }];
  }
}

/** Renders a message as an Adaptive Card 1.5; throws if Teams would refuse it. */
export function toAdaptiveCard(message: Message): AdaptiveCard {
  const body: CardElement[] = [];
  let separate = false;
  for (const block of message.blocks) {
    if (block.type === "divider") {
      separate = body.length > 0;
      continue;
    }
    const elements = renderBlock(block);
    const [first] = elements;
    if (separate && first) Object.assign(first, { separator: true, spacing: "Medium" });
    if (elements.length > 0) separate = false;
    body.push(...elements);
  }
  if (body.length === 0) body.push(textBlock(message.text));
  const card: AdaptiveCard = {
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    type: "AdaptiveCard",
    version: "1.5",
    body,
    // Shown by clients that cannot render the card; Teams would print an activity's
    // `text` above the card too, so the plain text lives here instead.
    fallbackText: message.text,
    msteams: { width: "Full" },
  };
  const problems = checkTeamsLimits(card);
  if (problems.length > 0) {
    throw new AppError(ErrorCode.Internal, `card exceeds Teams' limits: ${problems.join("; ")}`, problems);
  }
  return card;
}

/** The Bot Framework activity carrying the card, with the plain text alongside. */
export function toTeamsActivity(message: Message): TeamsActivity {
  const activity: TeamsActivity = {
    type: "message",
    summary: Array.from(message.text.split("\n")[0] ?? "")
      .slice(0, 200)
      .join(""),
    attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: toAdaptiveCard(message) }],
  };
  const bytes = jsonBytes(activity);
  if (bytes >= TEAMS_LIMITS.maxBytes) {
    throw new AppError(ErrorCode.Internal, `Teams activity is ${bytes} bytes, over ${TEAMS_LIMITS.maxBytes}`);
  }
  return activity;
}

export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), "utf8");
}

const ELEMENT_TYPES = new Set([
  "TextBlock",
  "RichTextBlock",
  "Image",
  "ImageSet",
  "Media",
  "Container",
  "ColumnSet",
  "Column",
  "FactSet",
  "Table",
  "TableRow",
  "TableCell",
  "ActionSet",
]);
const ACTION_TYPES = new Set([
  "Action.Execute",
  "Action.Submit",
  "Action.OpenUrl",
  "Action.ShowCard",
  "Action.ToggleVisibility",
]);
const COLORS = new Set(["Default", "Dark", "Light", "Accent", "Good", "Warning", "Attention"]);

/** Structural checks and size; schema-level validation is the adaptivecards package's job in tests. */
export function checkTeamsLimits(card: object): string[] {
  const problems: string[] = [];
  const root = card as Record<string, unknown>;
  if (root.type !== "AdaptiveCard") problems.push(`type: ${String(root.type)}`);
  if (root.version !== TEAMS_LIMITS.version) problems.push(`version: ${String(root.version)}, Teams takes 1.5`);
  if (!Array.isArray(root.body) || root.body.length === 0) problems.push("body: empty");
  const bytes = jsonBytes(card);
  if (bytes >= TEAMS_LIMITS.maxBytes) problems.push(`size: ${bytes} bytes ≥ ${TEAMS_LIMITS.maxBytes}`);

  const walk = (node: unknown, at: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        walk(item, `${at}[${i}]`);
      });
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const element = node as Record<string, unknown>;
    const type = typeof element.type === "string" ? element.type : undefined;
    if (type !== undefined && type !== "AdaptiveCard") {
      if (type.startsWith("Action.")) {
        if (!ACTION_TYPES.has(type)) problems.push(`${at}: unknown action ${type}`);
        if (typeof element.title !== "string" || element.title === "") problems.push(`${at}: action without title`);
        if (type === "Action.Execute" && (typeof element.verb !== "string" || element.verb === "")) {
          problems.push(`${at}: Action.Execute without verb`);
        }
      } else if (!ELEMENT_TYPES.has(type)) {
        problems.push(`${at}: unknown element ${type}`);
      }
      if (type === "TextBlock" && (typeof element.text !== "string" || element.text === "")) {
        problems.push(`${at}: TextBlock without text`);
      }
      if (type === "Image" && (typeof element.url !== "string" || typeof element.altText !== "string")) {
        problems.push(`${at}: Image needs url and altText`);
      }
      if (element.color !== undefined && !COLORS.has(String(element.color)))
        problems.push(`${at}: color ${String(element.color)}`);
      if (type === "Table" && Array.isArray(element.columns) && Array.isArray(element.rows)) {
        const columns = element.columns.length;
        element.rows.forEach((row, r) => {
          const cells = (row as { cells?: unknown[] }).cells;
          if (!Array.isArray(cells) || cells.length !== columns)
            problems.push(`${at}.rows[${r}]: cells ≠ ${columns} columns`);
        });
      }
    }
    for (const [key, value] of Object.entries(element)) {
      if (typeof value === "object" && value !== null && key !== "data") walk(value, `${at}.${key}`);
    }
  };
  walk(root.body, "body");
  return problems;
}
