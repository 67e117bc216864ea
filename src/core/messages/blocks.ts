// The blocks a neutral message is made of (model.ts builds messages from them). Types
// only, so the fallback text (fallback-text.ts) and the model can both read them.
import type { Status } from "../kpi/types.ts";

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
