// The plain-text fallback of a message: one line per fact, no layout tricks, so it
// reads well in a notification, a search result and a screen reader.
import { formatStatus } from "../kpi/format.ts";
import type { Block, Change, MetricRow } from "./blocks.ts";
import { stripInline } from "./markdown-lite.ts";

export function changeWords(change: Change | undefined): string {
  if (!change || change.text === "") return "";
  if (change.tone === "good") return `${change.text} (better)`;
  if (change.tone === "bad") return `${change.text} (worse)`;
  return change.text;
}

export function metricRowText(row: MetricRow): string {
  const parts = [`${row.label}: ${row.value}`];
  const change = changeWords(row.change);
  if (change) parts.push(change);
  if (row.target) parts.push(`target ${row.target}`);
  const status = row.status ? formatStatus(row.status) : "";
  if (status) parts.push(status);
  if (row.note) parts.push(row.note);
  return parts.join(" · ");
}

function blockLines(block: Block): string[] {
  switch (block.type) {
    case "header":
      return [block.text];
    case "context":
    case "section":
      return [stripInline(block.text)];
    case "metricRows":
      return block.rows.map((row) => `• ${metricRowText(row)}`);
    case "table":
      return block.rows.map((row) => {
        const [first = "", ...rest] = row;
        const cells = rest
          .map((cell, i) => (cell === "" ? "" : `${block.columns[i + 1] ?? ""}: ${cell}`))
          .filter((cell) => cell !== "");
        return cells.length > 0 ? `• ${first} — ${cells.join(", ")}` : `• ${first}`;
      });
    case "bars":
      return block.rows.map((row) => `• ${row.label}: ${row.display}`);
    case "divider":
      return [""];
    case "choices": {
      const options = `Options: ${block.options.map((option) => option.label).join(", ")}`;
      return block.prompt ? [stripInline(block.prompt), options] : [options];
    }
    case "actions":
      // buttons do nothing in plain text; what they offer is said elsewhere
      return [];
    case "image":
      return [`Chart: ${block.altText}`];
  }
}

export function fallbackText(blocks: Block[]): string {
  return blocks
    .flatMap(blockLines)
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
