// Neutral message → console text: the same facts as the fallback text, laid out in
// aligned columns with █ bars, for the local console and the CLI.
import { formatStatus } from "../../core/kpi/format.ts";
import { changeWords } from "../../core/messages/fallback-text.ts";
import { stripInline } from "../../core/messages/markdown-lite.ts";
import type { Block, Message } from "../../core/messages/model.ts";
import { BAR_WIDTH, maxBarValue, textBar } from "../../core/messages/text-bars.ts";

const RULE_WIDTH = 60;
/** labels wider than this wrap the columns anyway, so alignment stops there */
const MAX_COLUMN = 40;

const width = (text: string) => Array.from(text).length;
const pad = (text: string, to: number) => text + " ".repeat(Math.max(0, to - width(text)));
const padStart = (text: string, to: number) => " ".repeat(Math.max(0, to - width(text))) + text;

/** Lays out rows of cells in columns; the first column left-aligned, `right` columns right-aligned. */
function columns(rows: string[][], right: ReadonlySet<number> = new Set()): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.min(MAX_COLUMN, Math.max(widths[i] ?? 0, width(cell)));
    });
  }
  return rows.map((row) =>
    row
      .map((cell, i) => (right.has(i) ? padStart(cell, widths[i] ?? 0) : pad(cell, widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}

function renderBlock(block: Block): string[] {
  switch (block.type) {
    case "header":
      return [block.text, "=".repeat(Math.min(RULE_WIDTH, width(block.text)))];
    case "context":
    case "section":
      return stripInline(block.text).split("\n");
    case "metricRows":
      return columns(
        block.rows.map((row) => [
          row.label,
          row.value,
          changeWords(row.change),
          row.status ? formatStatus(row.status) : "",
          row.target ? `target ${row.target}` : "",
          row.note ?? "",
        ]),
        new Set([1]),
      ).map((line) => `  ${line}`);
    case "table": {
      const [head, ...body] = columns([block.columns, ...block.rows]);
      const rule = "-".repeat(width(head ?? ""));
      return [head ?? "", rule, ...body].map((line) => `  ${line}`);
    }
    case "bars": {
      const max = maxBarValue(block.rows);
      return columns(block.rows.map((row) => [row.label, pad(textBar(row.value, max), BAR_WIDTH), row.display])).map(
        (line) => `  ${line}`,
      );
    }
    case "divider":
      return ["-".repeat(RULE_WIDTH)];
    case "choices": {
      const options = block.options.map((option) => `[${option.label}]`).join(" ");
      return block.prompt ? [stripInline(block.prompt), `  ${options}`] : [`  ${options}`];
    }
    case "actions":
      // nothing to click in a console
      return [];
    case "image":
      return [`[chart] ${block.altText}`];
  }
}

export function toPlainText(message: Message): string {
  const lines = message.blocks.flatMap(renderBlock);
  return lines.length > 0 ? lines.join("\n").trimEnd() : message.text;
}
