// KPI results → neutral messages. Every builder bounds its own output (rows, labels,
// breakdown entries) to LIMITS, so renderers never cut anything.
import {
  formatChange,
  formatMetricChange,
  formatMetricValue,
  formatStatus,
  formatTarget,
  formatValue,
  sparkline,
  toneWord,
  type ValueFormat,
} from "../kpi/format.ts";
import { MAX_COMMAND_CHARS } from "../kpi/parse-kpi-command.ts";
import { describePeriod, PERIOD_FORMS_HELP } from "../kpi/periods.ts";
import type { Direction, MetricDef, MetricResult, Period, Status, Unit } from "../kpi/types.ts";
import {
  type BarRow,
  type Block,
  type Change,
  clip,
  LIMITS,
  type Message,
  type MetricRow,
  makeMessage,
} from "./model.ts";

/** What the builders need of the catalog (src/core/kpi/catalog.ts's Catalog fits). */
export type MetricLookup = { get(key: string): MetricDef | undefined };

const BREAKDOWN_TOP = LIMITS.barRows - 1;
const BAR_LABEL_CHARS = 40;
const SERIES_POINTS = 12;
const SUGGESTIONS = 5;
/** a funnel has a handful of stages; more is a caller's mistake, not something to page */
const FUNNEL_STAGES_MAX = 10;
/** units whose breakdown entries add up, so "others" and shares mean something */
const ADDITIVE: ReadonlySet<Unit> = new Set(["count", "currency"]);

/** room rows and cells may take in one message, leaving the rest of LIMITS.contentChars to headers and notes */
const ROWS_BUDGET = 12_000;

/** The first items that fit both a count and a character budget; the rest are reported as not shown. */
function takeWithinBudget<T>(items: T[], max: number, size: (item: T) => number): T[] {
  const taken: T[] = [];
  let used = 0;
  for (const item of items.slice(0, max)) {
    used += size(item);
    if (used > ROWS_BUDGET) break;
    taken.push(item);
  }
  return taken;
}

const rowSize = (row: MetricRow) =>
  row.label.length +
  row.value.length +
  (row.change?.text.length ?? 0) +
  (row.target?.length ?? 0) +
  (row.note?.length ?? 0);
const cellsSize = (cells: string[]) => cells.reduce((sum, cell) => sum + cell.length, 0);

const label = (text: string) => clip(text, LIMITS.labelChars);
const header = (text: string): Block => ({ type: "header", text: clip(text, LIMITS.headerChars) });
const context = (text: string): Block => ({ type: "context", text: clip(text, LIMITS.textChars) });
const section = (text: string): Block => ({ type: "section", text: clip(text, LIMITS.textChars) });

/** How a result's numbers are written: its unit and currency, the catalog's decimals. */
function formatOf(result: MetricResult, def: MetricDef | undefined): ValueFormat {
  return { unit: result.unit, decimals: def?.decimals, currency: result.currency };
}

function changeOf(result: MetricResult, better: Direction): Change | undefined {
  return formatMetricChange(result, better);
}

function metricRow(result: MetricResult, def: MetricDef | undefined): MetricRow {
  const better = def?.better ?? "up";
  const format = formatOf(result, def);
  const row: MetricRow = { label: label(result.name), value: label(formatMetricValue(format, result.value)) };
  const change = changeOf(result, better);
  if (change) row.change = change;
  if (result.status) row.status = result.status;
  if (result.target !== null) row.target = label(formatTarget({ ...format, ...result }));
  const top = result.breakdown ? sortedEntries(result.breakdown)[0] : undefined;
  if (top) row.note = label(`largest: ${top[0]} ${formatMetricValue(format, top[1])}`);
  return row;
}

function sortedEntries(breakdown: Record<string, number>): [string, number][] {
  return Object.entries(breakdown)
    .filter(([, value]) => Number.isFinite(value))
    .sort(([la, a], [lb, b]) => b - a || la.localeCompare(lb));
}

function statusSummary(statuses: (Status | null)[]): string {
  const order: Status[] = ["on_track", "at_risk", "off_track"];
  return order
    .map((status) => ({ status, count: statuses.filter((s) => s === status).length }))
    .filter(({ count }) => count > 0)
    .map(({ status, count }) => `${count} ${formatStatus(status)}`)
    .join(" · ");
}

function moreNotShown(hidden: number, noun: string): Block[] {
  return hidden > 0 ? [context(`…and ${hidden} more ${noun} not shown. Ask for one by name for its detail.`)] : [];
}

function titleCase(name: string): string {
  return name.length > 0 ? `${name[0]?.toUpperCase()}${name.slice(1)}` : name;
}

/** The scorecard: each metric with its value, change (toned by its better direction), target and status. */
export function snapshotMessage(
  snapshot: { period: Period; metrics: MetricResult[] },
  catalog: MetricLookup,
  options: { title?: string } = {},
): Message {
  const { period, metrics } = snapshot;
  const when = describePeriod(period);
  const rows = takeWithinBudget(
    metrics.map((m) => metricRow(m, catalog.get(m.key))),
    LIMITS.metricRows,
    rowSize,
  );
  const summary = statusSummary(metrics.map((m) => m.status));
  const blocks: Block[] = [
    header(options.title ?? `KPIs · ${when}`),
    context([`${when}, compared with the previous ${period.grain}`, summary].filter(Boolean).join(" · ")),
  ];
  if (rows.length === 0) {
    blocks.push(section("No metrics to show for this period."));
  } else {
    blocks.push({ type: "metricRows", rows });
    blocks.push(...moreNotShown(metrics.length - rows.length, "metrics"));
  }
  return makeMessage(blocks);
}

function breakdownBars(breakdown: Record<string, number>, format: ValueFormat): Block[] {
  const entries = sortedEntries(breakdown);
  if (entries.length === 0) return [];
  const additive = ADDITIVE.has(format.unit);
  const total = entries.reduce((sum, [, value]) => sum + value, 0);
  const display = (value: number) => {
    const text = formatMetricValue(format, value);
    return additive && total > 0 && value >= 0 ? `${text} (${((value / total) * 100).toFixed(0)}%)` : text;
  };
  const bar = (name: string, value: number): BarRow => ({
    label: clip(name, BAR_LABEL_CHARS),
    value: Math.max(0, value),
    display: label(display(value)),
  });
  const top = entries.slice(0, BREAKDOWN_TOP);
  const rest = entries.slice(BREAKDOWN_TOP);
  const rows = top.map(([name, value]) => bar(name, value));
  const blocks: Block[] = [section("*Breakdown*, largest first")];
  if (rest.length > 0 && additive) {
    rows.push(
      bar(
        `others (${rest.length})`,
        rest.reduce((sum, [, value]) => sum + value, 0),
      ),
    );
  }
  blocks.push({ type: "bars", rows });
  // averages (scores, rates) cannot be summed into "others": say what was left out instead
  if (rest.length > 0 && !additive) blocks.push(context(`…and ${rest.length} more not shown.`));
  return blocks;
}

/** One metric in detail: value, previous, change, target, owners, trend and breakdown. */
export function metricDetailMessage(
  result: MetricResult,
  def: MetricDef,
  period: Period,
  series: { period: Period; value: number | null }[],
): Message {
  const format = formatOf(result, def);
  const fmt = (value: number | null) => formatMetricValue(format, value);
  const owners = result.owners.length > 0 ? result.owners : def.owners;
  const points = series.slice(-SERIES_POINTS);
  const lines = [`*Previous ${period.grain}:* ${fmt(result.previous)}`];
  if (owners.length > 0) {
    lines.push(`*Owners:* ${owners.map(titleCase).join(", ")}${owners.length > 1 ? " (shared metric)" : ""}`);
  }
  if (points.length > 1) {
    lines.push(`*Trend, last ${points.length} ${period.grain}s:* ${sparkline(points.map((p) => p.value))}`);
  }
  const blocks: Block[] = [
    header(def.name),
    context(`${describePeriod(period)} · \`${def.key}\``),
    { type: "metricRows", rows: [metricRow({ ...result, name: describePeriod(period), breakdown: null }, def)] },
    section(lines.join("\n")),
  ];
  // the sparkline is a picture; the numbers behind it are the text
  if (points.length > 1) {
    blocks.push(context(points.map((p) => `${p.period.key}: ${fmt(p.value)}`).join(" · ")));
  }
  if (result.breakdown) blocks.push(...breakdownBars(result.breakdown, format));
  if (def.description) blocks.push(context(clip(def.description, 500)));
  return makeMessage(blocks);
}

export type FunnelInput = {
  period: Period;
  stages: { key: string; label: string; count: number | null; previous: number | null }[];
  rates: MetricResult[];
  bottleneck: { from: string; to: string; reason: string } | null;
  /** when given, rates take their direction and decimals from it */
  catalog?: MetricLookup;
};

/** The funnel: stage counts, the hand-off rates, and the bottleneck called out. */
export function funnelMessage(input: FunnelInput): Message {
  const { period, stages, rates, bottleneck, catalog } = input;
  const stageLabel = (key: string) => stages.find((s) => s.key === key)?.label ?? key;
  // every funnel stage and hand-off rate is better when it goes up (docs/metrics.md)
  const stageRows = stages.slice(0, FUNNEL_STAGES_MAX).map((stage): MetricRow => {
    const row: MetricRow = { label: label(stage.label), value: formatValue(stage.count, "count") };
    if (stage.count !== null && stage.previous !== null && stage.previous > 0) {
      row.change = formatChange((stage.count - stage.previous) / stage.previous, "up");
    }
    row.note = `previous ${formatValue(stage.previous, "count")}`;
    return row;
  });
  const rateRows = takeWithinBudget(
    rates.map((rate) => metricRow(rate, catalog?.get(rate.key))),
    FUNNEL_STAGES_MAX,
    rowSize,
  );
  const blocks: Block[] = [
    header(`Funnel · ${describePeriod(period)}`),
    context(`${describePeriod(period)}, compared with the previous ${period.grain}`),
  ];
  if (stageRows.length > 0) blocks.push(section("*Stages*"), { type: "metricRows", rows: stageRows });
  if (rateRows.length > 0) blocks.push(section("*Conversion*"), { type: "metricRows", rows: rateRows });
  blocks.push(
    section(
      bottleneck
        ? `*Bottleneck:* ${stageLabel(bottleneck.from)} → ${stageLabel(bottleneck.to)}. ${bottleneck.reason}`
        : "*No bottleneck:* no hand-off fell against the previous period or missed its target.",
    ),
  );
  return makeMessage(blocks);
}

export type CompareInput = {
  period: Period;
  a: string;
  b: string;
  shared: MetricResult[];
  /** when given, a change is marked better or worse by the metric's direction */
  catalog?: MetricLookup;
};

/** The metrics two departments share, side by side in one table. */
export function compareMessage(input: CompareInput): Message {
  const { period, shared, catalog } = input;
  const a = titleCase(input.a);
  const b = titleCase(input.b);
  const blocks: Block[] = [header(`${a} × ${b}: shared metrics`)];
  if (shared.length === 0) {
    blocks.push(section(`${a} and ${b} share no metrics. Owners are set in the metrics config.`));
    return makeMessage(blocks);
  }
  const summary = statusSummary(shared.map((m) => m.status));
  blocks.push(
    context(
      [`${describePeriod(period)}`, `${shared.length} metrics owned by both`, summary].filter(Boolean).join(" · "),
    ),
  );
  const allRows = shared.map((m) => {
    const def = catalog?.get(m.key);
    const format = formatOf(m, def);
    const change = changeOf(m, def?.better ?? "up");
    const changeText = !change
      ? ""
      : !def || change.tone === "neutral"
        ? change.text
        : `${change.text} (${toneWord(change.tone)})`;
    return [
      label(m.name),
      label(formatMetricValue(format, m.value)),
      label(changeText),
      m.target === null ? "" : label(formatTarget({ ...format, ...m })),
      m.status ? formatStatus(m.status) : "",
    ];
  });
  const rows = takeWithinBudget(allRows, LIMITS.tableRows, cellsSize);
  blocks.push({ type: "table", columns: ["Metric", "Value", "Change", "Target", "Status"], rows });
  blocks.push(...moreNotShown(shared.length - rows.length, "shared metrics"));
  return makeMessage(blocks);
}

/** The commands, in the words of the platform: `/kpi` in Slack, `kpi` in Teams. */
export function helpMessage(commandPrefix: "/kpi" | "kpi"): Message {
  const kpi = commandPrefix;
  const pulse = commandPrefix === "/kpi" ? "/pulse" : "pulse";
  const lines = [
    `\`${kpi}\`: your department's scorecard (the shared metrics if you have no department)`,
    `\`${kpi} METRIC [PERIOD]\`: one metric in detail, e.g. \`${kpi} cac 2026-09\``,
    `\`${kpi} funnel [PERIOD]\`: the funnel stages, conversion rates and the bottleneck`,
    `\`${kpi} DEPARTMENT\`: a department's scorecard`,
    `\`${kpi} compare DEPT DEPT\`: the metrics two departments share, side by side`,
    `\`${kpi} join DEPARTMENT\`: place yourself in a department`,
    `\`${kpi} digest subscribe|unsubscribe|list|preview\`: the weekly alignment digest in this channel`,
    `\`${kpi} rituals\`: open and decided rituals`,
  ];
  const pulses = [
    `\`${pulse} "QUESTION" [48h] [#tag] [named]\`: a 1–5 pulse question, previewed to you first with Post and Cancel (\`${pulse} post\`, \`${pulse} cancel\`)`,
    `\`${pulse} handoff\`, \`${pulse} templates\`: ready-made pulses; \`${pulse}\` alone: the full form (Slack)`,
    `\`${pulse} close [NUMBER]\`: close the open pulse and post its results; \`${pulse} results [NUMBER]\`: the last closed pulse's results`,
    `\`${pulse} list\`, \`${pulse} stop [NUMBER]\` (weekly repeats), \`${pulse} answer NUMBER QUESTION ANSWER\`, \`${pulse} help\``,
  ];
  const admin = [
    `\`${kpi} target METRIC VALUE [GRAIN] [DEPARTMENT]\``,
    `\`${kpi} member @user DEPARTMENT\``,
    `\`${kpi} token NAME\``,
  ];
  return makeMessage(
    [
      header("Tandem: commands"),
      section(lines.join("\n")),
      section(`*Pulses:*\n${pulses.join("\n")}`),
      section(`*For admins:*\n${admin.join("\n")}`),
      context(
        `PERIOD is ${PERIOD_FORMS_HELP}. Commands are read up to ${MAX_COMMAND_CHARS.toLocaleString("en-US")} characters.`,
      ),
    ],
    { visibility: "private" },
  );
}

/** A friendly answer to a request that could not be served, with what the person may have meant. */
export function errorMessage(text: string, suggestions: string[] = []): Message {
  const blocks: Block[] = [section(text)];
  const shown = suggestions.slice(0, SUGGESTIONS).map((s) => `\`${clip(s, LIMITS.labelChars)}\``);
  if (shown.length > 0) blocks.push(section(`Did you mean ${shown.join(", ")}?`));
  return makeMessage(blocks, { visibility: "private" });
}
