// The digest as a neutral message. Text first: every number is in the blocks (and so
// in the fallback text); the chart, when there is one, only repeats them as a picture.
// Each shared metric appears once, under the departments that own it together, so the
// hand-offs (MQL → SQL for marketing × sales, retention for sales × product, new
// revenue for everyone) read as one table per group.
import {
  formatMetricChange,
  formatMetricValue,
  formatStatus,
  formatTarget,
  formatValue,
  toneWord,
} from "../kpi/format.ts";
import { describePeriod } from "../kpi/periods.ts";
import { type Block, clip, LIMITS, type Message, makeMessage } from "../messages/model.ts";
import { dayText } from "../rituals/messages.ts";
import { VERDICT_LABELS } from "../rituals/types.ts";
import { type Digest, type DigestMetric, PULSE_METRICS } from "./digest-types.ts";

/** groups of owners shown as their own table; the rest share one table with a "Shared by" column */
const GROUP_TABLES = 5;
const DEPARTMENT_ROWS = 12;
const PULSE_ROWS = 12;
/**
 * Rows and characters the shared-metric tables may take together. With the department and
 * pulse tables at their caps and the sections clipped below, the whole message stays inside
 * LIMITS.contentChars and its fallback text (which spells out every column name) inside
 * LIMITS.fallbackChars; in Teams every table cell costs ~80 bytes of card JSON, so rows are
 * capped as well as characters.
 */
const SHARED_ROWS = 30;
const SHARED_CHARS = 6_000;
/** what a table row adds to the fallback text: "• ", " — ", and "Column: " before each cell */
const FALLBACK_ROW_OVERHEAD = 50;
const SUMMARY_CHARS = 600;
const SECTION_CHARS = 1_200;
const TITLE_CHARS = 200;

const label = (text: string) => clip(text, LIMITS.labelChars);
const header = (text: string): Block => ({ type: "header", text: clip(text, LIMITS.headerChars) });
const section = (text: string): Block => ({ type: "section", text: clip(text, LIMITS.textChars) });
const context = (text: string): Block => ({ type: "context", text: clip(text, LIMITS.textChars) });

const GRAIN_TITLE: Record<string, string> = { week: "Weekly", month: "Monthly" };

function fmt(metric: DigestMetric, value: number | null): string {
  return formatMetricValue(metric, value);
}

function changeText(metric: DigestMetric): string {
  const change = formatMetricChange(metric, metric.better);
  if (!change) return "";
  if (change.tone === "neutral") return change.text;
  return `${change.text} (${toneWord(change.tone)})`;
}

function metricCells(metric: DigestMetric): string[] {
  return [
    label(metric.name),
    label(fmt(metric, metric.value)),
    label(changeText(metric)),
    metric.target === null ? "" : label(formatTarget(metric)),
    formatStatus(metric.status),
  ];
}

type Group = { owners: string[]; title: string; metrics: DigestMetric[] };

/** Shared metrics grouped by their exact set of owners: pairs first, then larger groups. */
function ownerGroups(digest: Digest): Group[] {
  const order = new Map(digest.departments.map((d, i) => [d.key, i]));
  const names = new Map(digest.departments.map((d) => [d.key, d.name]));
  const rank = (key: string) => order.get(key) ?? Number.MAX_SAFE_INTEGER;
  const groups = new Map<string, Group>();
  for (const metric of digest.metrics) {
    if (PULSE_METRICS.has(metric.key)) continue;
    const owners = [...new Set(metric.owners)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    const id = owners.join("\u0000");
    let group = groups.get(id);
    if (!group) {
      const everyone = owners.length >= 3 && owners.length === digest.departments.length;
      const joined = owners.map((key) => names.get(key) ?? key).join(" × ");
      const title = everyone ? (owners.length <= 4 ? `All departments (${joined})` : "All departments") : joined;
      group = { owners, title: clip(title, TITLE_CHARS), metrics: [] };
      groups.set(id, group);
    }
    group.metrics.push(metric);
  }
  return [...groups.values()].sort(
    (a, b) =>
      a.owners.length - b.owners.length ||
      a.owners.map(rank).join(",").localeCompare(b.owners.map(rank).join(","), "en", { numeric: true }),
  );
}

function sharedBlocks(digest: Digest, prefix: string): Block[] {
  const groups = ownerGroups(digest);
  if (groups.length === 0) return [section("*Shared metrics:* no two departments share a metric yet.")];
  const blocks: Block[] = [];
  let usedRows = 0;
  let usedChars = 0;
  let hidden = 0;
  const take = (rows: string[][]): string[][] => {
    const kept: string[][] = [];
    for (const row of rows) {
      const size = row.reduce((sum, cell) => sum + cell.length, FALLBACK_ROW_OVERHEAD);
      if (usedRows >= SHARED_ROWS || usedChars + size > SHARED_CHARS) {
        hidden++;
        continue;
      }
      usedRows++;
      usedChars += size;
      kept.push(row);
    }
    return kept;
  };
  const columns = ["Metric", "Value", "Change", "Target", "Status"];
  for (const group of groups.slice(0, GROUP_TABLES)) {
    const rows = take(group.metrics.map(metricCells));
    if (rows.length === 0) continue;
    blocks.push(section(`*${group.title}*`), { type: "table", columns, rows });
  }
  const rest = groups.slice(GROUP_TABLES);
  if (rest.length > 0) {
    const rows = take(
      rest.flatMap((group) => group.metrics.map((metric) => [...metricCells(metric), label(group.title)])),
    );
    if (rows.length > 0) {
      blocks.push(section("*Also shared*"), { type: "table", columns: [...columns, "Shared by"], rows });
    }
  }
  if (hidden > 0) {
    blocks.push(context(`…and ${hidden} more shared metrics not shown. \`${prefix} shared\` lists them all.`));
  }
  return blocks;
}

function departmentBlocks(digest: Digest): Block[] {
  if (digest.departments.length === 0) return [];
  const rows = digest.departments
    .slice(0, DEPARTMENT_ROWS)
    .map((d) => [label(d.name), String(d.onTrack), String(d.atRisk), String(d.offTrack), String(d.noTarget)]);
  const blocks: Block[] = [
    section("*Departments*: the status of the metrics each one owns, against its own targets"),
    { type: "table", columns: ["Department", "On track", "At risk", "Off track", "No target"], rows },
  ];
  const more = digest.departments.length - rows.length;
  if (more > 0) blocks.push(context(`…and ${more} more departments not shown.`));
  return blocks;
}

function funnelBlock(digest: Digest): Block {
  const stages = digest.funnel.stages.map((stage) => `${stage.label} ${formatValue(stage.count, "count")}`).join(" → ");
  const labelOf = (key: string) => digest.funnel.stages.find((s) => s.key === key)?.label ?? key;
  const bottleneck = digest.funnel.bottleneck;
  const verdict = bottleneck
    ? `*Funnel bottleneck:* ${labelOf(bottleneck.from)} → ${labelOf(bottleneck.to)}. ${bottleneck.reason}`
    : "*Funnel bottleneck:* none. No hand-off fell against the previous period or missed its target.";
  return section(clip(`${verdict}\n${stages}`, SECTION_CHARS));
}

function pulseBlocks(digest: Digest): Block[] {
  const pulse = digest.pulse;
  if (!pulse) {
    return [context("Pulse: no pulse survey closed in this period, so there is no collaboration score yet.")];
  }
  const { collaboration, participation } = pulse;
  const lines = [
    `*Pulse:* collaboration ${fmt(collaboration, collaboration.value)} of 5` +
      (collaboration.change === null ? "" : ` (${changeText(collaboration)})`) +
      ` · participation ${fmt(participation, participation.value)}`,
  ];
  if (pulse.gap) {
    lines.push(
      `Gap between departments: ${formatValue(pulse.gap.points, "score", 1)} points, ` +
        `${pulse.gap.high.name} ${formatValue(pulse.gap.high.score, "score", 1)} and ` +
        `${pulse.gap.low.name} ${formatValue(pulse.gap.low.score, "score", 1)}.`,
    );
  }
  const blocks: Block[] = [section(clip(lines.join("\n"), SECTION_CHARS))];
  const rows = pulse.byDepartment
    .slice(0, PULSE_ROWS)
    .map((d) => [label(d.name), formatValue(d.score, "score", collaboration.decimals ?? 1)]);
  if (rows.length > 0) blocks.push({ type: "table", columns: ["Department", "Collaboration (1–5)"], rows });
  return blocks;
}

/** The digest, complete as text, within LIMITS however many departments and metrics. */
const DECISION_CHARS_SHOWN = 160;

/** Decisions with their outcomes: the verdict and the value then, or when it will be checked. */
function decisionBlocks(digest: Digest): Block[] {
  if (digest.decisions.length === 0) return [];
  const zone = digest.period.zone;
  const lines = digest.decisions.map((d) => {
    const what = `• *${label(d.name)}* (${d.periodKey}): “${clip(d.decision, DECISION_CHARS_SHOWN)}”`;
    const day = dayText(d.outcome.dueAt, zone);
    const { verdict, value, target } = d.outcome;
    if (d.outcome.status === "posted" && verdict) {
      const figures =
        value === null
          ? ""
          : `: ${formatMetricValue(d, value)}${target === null ? "" : ` against a target of ${formatMetricValue(d, target)}`}`;
      return `${what} → *${VERDICT_LABELS[verdict]}*${figures} (checked ${day})`;
    }
    return `${what} → outcome check on ${day}`;
  });
  return [{ type: "divider" }, section(clip(`*Decisions and outcomes*\n${lines.join("\n")}`, SECTION_CHARS))];
}

export function digestMessage(digest: Digest, options: { prefix?: "/kpi" | "kpi" } = {}): Message {
  const when = describePeriod(digest.period);
  const cadence = GRAIN_TITLE[digest.period.grain];
  const blocks: Block[] = [
    header(`${cadence ? `${cadence} alignment digest` : "Alignment digest"} · ${when}`),
    section(clip(digest.summary.text, SUMMARY_CHARS)),
    ...departmentBlocks(digest),
    { type: "divider" },
    ...sharedBlocks(digest, options.prefix ?? "/kpi"),
    { type: "divider" },
    funnelBlock(digest),
    ...pulseBlocks(digest),
    ...decisionBlocks(digest),
    context(
      `Values are the whole company's for ${when}, compared with the previous ${digest.period.grain}; ` +
        `status is against company targets for the ${digest.period.grain}` +
        (digest.metrics.some((m) => m.targetFrom)
          ? `, or, where none is set, derived from another grain's: totals pro rata by length, rates and levels as they are.`
          : "."),
    ),
  ];
  return makeMessage(blocks);
}
