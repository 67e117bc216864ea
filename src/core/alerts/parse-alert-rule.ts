// The alert rule grammar, platform-free: `/kpi alert RULE`, Teams' `kpi alert RULE` and the
// config file's `alerts:` all hand their text here. A rule is a metric, a condition, an
// optional window and an optional minimum volume:
//   cac above 5000                          mql_to_sql_rate drops 15% vs last year
//   win_rate off track last month           leads below 200 this month when leads ≥ 50
// Anything else is refused with what was expected and a rule that works.
import { AppError, ErrorCode } from "../errors.ts";
import { MAX_COMMAND_CHARS, parseNumber } from "../kpi/parse-kpi-command.ts";
import type { AlertCondition, AlertGrain, AlertMetric, AlertRule, AlertWindow } from "./types.ts";

export const RULE_EXAMPLES =
  "`cac above 5000`, `mql_to_sql_rate drops 15% vs last year`, `win_rate off track last month`, " +
  "`leads below 200 this month when leads ≥ 50`";

/** Without window words a rule watches the running month to date. */
export const DEFAULT_WINDOW: AlertWindow = { grain: "month", toDate: true };

export type RuleMetrics = {
  /** the metric a key or alias names, or suggestions when none does */
  resolve(text: string): { ok: true; metric: AlertMetric } | { ok: false; suggestions: string[] };
};

const invalid = (message: string) => new AppError(ErrorCode.InvalidInput, message);
const withExamples = (message: string) => invalid(`${message} Rules read like ${RULE_EXAMPLES}.`);

const THRESHOLD: Record<string, "above" | "below"> = {
  above: "above",
  over: "above",
  ">": "above",
  exceeds: "above",
  below: "below",
  under: "below",
  "<": "below",
};
const CHANGE: Record<string, "drops" | "rises"> = {
  drops: "drops",
  drop: "drops",
  falls: "drops",
  fall: "drops",
  decreases: "drops",
  rises: "rises",
  rise: "rises",
  grows: "rises",
  increases: "rises",
  jumps: "rises",
};
const FILLERS = new Set(["is", "goes", "gets", "becomes"]);
const GRAINS: Record<string, AlertGrain> = { week: "week", month: "month", quarter: "quarter" };
const TO_DATE: Record<string, AlertGrain> = { wtd: "week", mtd: "month", qtd: "quarter" };

/** `≥50`, `>=50`, `15pp`: operators and units become words of their own. */
function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/(≥|>=|<=|≤)/g, " $1 ")
    .replace(/(\d)(pp|points?)\b/g, "$1 $2")
    .trim()
    .split(/\s+/)
    .filter(Boolean);
}

type Condition = { at: number; kind: "above" | "below" | "drops" | "rises" | "off_track" | "at_risk"; length: number };

function findCondition(ws: string[]): Condition | null {
  for (let i = 1; i < ws.length; i++) {
    const word = ws[i] ?? "";
    const threshold = THRESHOLD[word];
    if (threshold) return { at: i, kind: threshold, length: 1 };
    const change = CHANGE[word];
    if (change) return { at: i, kind: change, length: 1 };
    const next = ws[i + 1];
    if ((word === "off" && next === "track") || word === "off-track") {
      return { at: i, kind: "off_track", length: word === "off" ? 2 : 1 };
    }
    if ((word === "at" && next === "risk") || word === "at-risk") {
      return { at: i, kind: "at_risk", length: word === "at" ? 2 : 1 };
    }
  }
  return null;
}

function resolveMetric(metrics: RuleMetrics, text: string, role: string): AlertMetric {
  const found = metrics.resolve(text);
  if (found.ok) return found.metric;
  const hint = found.suggestions.length > 0 ? ` Did you mean: ${found.suggestions.join(", ")}?` : "";
  throw invalid(`I don't know the metric “${clipText(text)}” ${role}.${hint}`);
}

function clipText(text: string): string {
  return text.length <= 40 ? text : `${text.slice(0, 39)}…`;
}

/** A line to cross, in the metric's unit: a percent metric's `30%` is 0.3. */
function thresholdValue(metric: AlertMetric, token: string | undefined, kind: string): number {
  const number = token === undefined ? null : parseNumber(token);
  if (!number) throw withExamples(`After “${kind}”, give a number (${metric.key} ${kind} ${example(metric)}).`);
  if (metric.unit === "percent") {
    if (!number.percent && Math.abs(number.value) > 1) {
      throw invalid(
        `${metric.key} is a percentage: write ${number.value}% (or ${number.value / 100}), e.g. \`${metric.key} ${kind} ${number.value}%\`.`,
      );
    }
    return number.value;
  }
  if (number.percent) {
    throw invalid(
      `${metric.key} is not a percentage; give it in its own unit, e.g. \`${metric.key} ${kind} ${example(metric)}\`.`,
    );
  }
  return number.value;
}

function example(metric: AlertMetric): string {
  return metric.unit === "percent" ? "30%" : metric.unit === "count" ? "200" : "5000";
}

/** `15%`, `15 %`, `15 pp`, `15 points`, `by 15%`: the size of a change and how many words it took. */
function changeSize(metric: AlertMetric, ws: string[], kind: string): { by: number; points: boolean; used: number } {
  let at = 0;
  if (ws[at] === "by") at += 1;
  const token = ws[at] ?? "";
  const unit = ws[at + 1];
  const joined = unit === "%" ? `${token}%` : token;
  const number = parseNumber(joined);
  const sample = `${metric.key} ${kind} 15${metric.unit === "percent" ? " pp" : "%"}`;
  if (!number) throw withExamples(`After “${kind}”, give how much, e.g. \`${sample}\`.`);
  const used = at + 1 + (unit === "%" || unit === "pp" || unit === "point" || unit === "points" ? 1 : 0);
  const inPoints = unit === "pp" || unit === "point" || unit === "points";
  if (number.value <= 0) throw invalid(`The change must be more than 0, e.g. \`${sample}\`.`);
  if (metric.unit === "percent") {
    // A percent metric moves in percentage points: 40% → 25% dropped 15 points, not 37.5%.
    if (!number.percent && !inPoints) throw invalid(`Say how many percentage points, e.g. \`${sample}\`.`);
    return { by: number.percent ? number.value * 100 : number.value, points: true, used };
  }
  if (inPoints) {
    throw invalid(`${metric.key} is not a percentage, so it changes by percent, not points: e.g. \`${sample}\`.`);
  }
  if (!number.percent) throw invalid(`Give the change in percent, e.g. \`${sample}\`.`);
  return { by: number.value, points: false, used };
}

const YEAR_AGO = [
  ["vs", "last", "year"],
  ["versus", "last", "year"],
  ["vs", "a", "year", "ago"],
  ["vs", "same", "period", "last", "year"],
  ["year", "over", "year"],
  ["yoy"],
];
const PREVIOUS = [
  ["vs", "last", "period"],
  ["vs", "previous", "period"],
  ["vs", "the", "previous", "period"],
  ["vs", "previous"],
];

function takePhrase(ws: string[], phrases: string[][]): { found: boolean; rest: string[] } {
  for (const phrase of phrases) {
    for (let i = 0; i + phrase.length <= ws.length; i++) {
      if (phrase.every((word, j) => ws[i + j] === word)) {
        return { found: true, rest: [...ws.slice(0, i), ...ws.slice(i + phrase.length)] };
      }
    }
  }
  return { found: false, rest: ws };
}

/** `this month`, `month to date`, `mtd` (running), `last month` (the last complete one). */
function readWindow(ws: string[]): AlertWindow {
  if (ws.length === 0) return DEFAULT_WINDOW;
  const [a = "", b = "", c = ""] = ws;
  const text = ws.join(" ");
  const grain = (word: string): AlertGrain | undefined => GRAINS[word];
  let window: AlertWindow | null = null;
  const running = TO_DATE[a];
  if (ws.length === 1 && running) window = { grain: running, toDate: true };
  if (ws.length === 2) {
    const g = grain(b);
    if (g && (a === "this" || a === "current")) window = { grain: g, toDate: true };
    if (g && (a === "last" || a === "previous")) window = { grain: g, toDate: false };
  }
  if (ws.length === 3 && b === "to" && c === "date") {
    const g = grain(a);
    if (g) window = { grain: g, toDate: true };
  }
  if (window) return window;
  throw withExamples(
    `I don't understand “${clipText(text)}” in this rule. A rule may end with the period it watches: ` +
      "this week, this month, this quarter (running to date) or last week, last month, last quarter (the last complete one).",
  );
}

function readMinimum(metrics: RuleMetrics, ws: string[]): AlertRule["minimum"] {
  const at = ws.findIndex((word) => word === "≥" || word === ">=" || word === "least");
  const metricWords = at < 0 ? [] : ws.slice(0, ws[at] === "least" && ws[at - 1] === "at" ? at - 1 : at);
  const number = at < 0 ? null : parseNumber(ws[at + 1] ?? "");
  if (at < 0 || metricWords.length === 0 || !number || number.percent || ws.length > at + 2) {
    throw withExamples(
      `After “when”, give a minimum volume as METRIC ≥ NUMBER (also >= or “at least”), e.g. \`when leads ≥ 50\`.`,
    );
  }
  const metric = resolveMetric(metrics, metricWords.join(" "), "after “when”");
  return { metric: metric.key, value: number.value };
}

/** Reads a rule; throws AppError(InvalidInput) naming what is wrong, with rules that work. */
export function parseAlertRule(text: string, metrics: RuleMetrics): AlertRule {
  if (text.length > MAX_COMMAND_CHARS) throw invalid(`A rule is at most ${MAX_COMMAND_CHARS} characters long.`);
  let ws = words(text);
  if (ws.length === 0) throw withExamples("Give a rule.");
  const when = ws.lastIndexOf("when");
  const minimum = when > 0 ? readMinimum(metrics, ws.slice(when + 1)) : null;
  if (when > 0) ws = ws.slice(0, when);

  const found = findCondition(ws);
  if (!found) {
    throw withExamples(
      `“${clipText(text.trim())}” has no condition: say above, below, drops, rises, off track or at risk after the metric.`,
    );
  }
  const metricWords = ws.slice(0, found.at);
  while (metricWords.length > 1 && FILLERS.has(metricWords[metricWords.length - 1] ?? "")) metricWords.pop();
  const metric = resolveMetric(metrics, metricWords.join(" "), "in this rule");
  let rest = ws.slice(found.at + found.length);

  let condition: AlertCondition;
  if (found.kind === "above" || found.kind === "below") {
    const token = rest[1] === "%" ? `${rest[0]}%` : rest[0];
    condition = { kind: found.kind, value: thresholdValue(metric, token, found.kind) };
    rest = rest.slice(rest[1] === "%" ? 2 : 1);
  } else if (found.kind === "drops" || found.kind === "rises") {
    const size = changeSize(metric, rest, found.kind);
    rest = rest.slice(size.used);
    const yearAgo = takePhrase(rest, YEAR_AGO);
    rest = yearAgo.rest;
    if (!yearAgo.found) rest = takePhrase(rest, PREVIOUS).rest;
    condition = { kind: found.kind, by: size.by, points: size.points, vs: yearAgo.found ? "year_ago" : "previous" };
  } else {
    condition = { kind: "status", status: found.kind };
  }
  if (takePhrase(rest, [...YEAR_AGO, ...PREVIOUS]).found) {
    throw invalid(
      `Only a change compares with another period: e.g. \`${metric.key} drops 15${metric.unit === "percent" ? " pp" : "%"} vs last year\`.`,
    );
  }
  return { metric: metric.key, condition, window: readWindow(rest), minimum };
}

/** The rule in the words the grammar reads back: stored, listed and compared as this. */
export function ruleText(rule: AlertRule, unitOf: (metric: string) => AlertMetric["unit"] | undefined): string {
  const number = (value: number, metric: string) =>
    unitOf(metric) === "percent" ? `${round(value * 100)}%` : String(round(value));
  const c = rule.condition;
  let condition: string;
  switch (c.kind) {
    case "status":
      condition = c.status === "off_track" ? "off track" : "at risk";
      break;
    case "above":
    case "below":
      condition = `${c.kind} ${number(c.value, rule.metric)}`;
      break;
    case "drops":
    case "rises":
      condition = `${c.kind} ${c.points ? `${round(c.by)} pp` : `${round(c.by * 100)}%`}${c.vs === "year_ago" ? " vs last year" : ""}`;
  }
  const window = `${rule.window.toDate ? "this" : "last"} ${rule.window.grain}`;
  const minimum = rule.minimum ? ` when ${rule.minimum.metric} ≥ ${round(rule.minimum.value)}` : "";
  return `${rule.metric} ${condition} ${window}${minimum}`;
}

/** Rounds away binary noise (0.15 × 100 = 15.000000000000002). */
function round(value: number): number {
  return Number(value.toPrecision(12));
}
