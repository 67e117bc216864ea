// The `/kpi` grammar, platform-free: Slack's slash command, Teams' typed text, the
// local console and `tandem kpi` all hand their text here. Metric and period words
// are left for getKpiSnapshot to resolve (it knows aliases and suggests near misses).
// Parsing is linear in the text, and the text is capped before anything else runs.
import { AppError, ErrorCode } from "../errors.ts";
import { GRAINS, type Grain } from "./types.ts";

export type KpiCommand =
  | { kind: "help" }
  | { kind: "scorecard"; period: string }
  | { kind: "shared"; period: string }
  | { kind: "department"; department: string; period: string }
  | { kind: "metric"; words: string }
  | { kind: "funnel"; period: string }
  | { kind: "compare"; a: string; b: string; period: string }
  | { kind: "join"; department: string }
  | { kind: "target"; metric: string; value: number; percent: boolean; grain: Grain | null; department: string | null }
  | { kind: "member"; userId: string; userName: string | null; department: string }
  | { kind: "token"; name: string }
  | { kind: "alert"; rule: string }
  | { kind: "alertChange"; action: AlertAction; id: number }
  | { kind: "alerts" }
  | { kind: "invalid"; message: string };

/** What an admin may do to an alert rule. */
export const ALERT_ACTIONS = ["pause", "resume", "delete"] as const;
export type AlertAction = (typeof ALERT_ACTIONS)[number];
const ALERT_ACTION_WORDS: Record<string, AlertAction> = {
  pause: "pause",
  resume: "resume",
  unpause: "resume",
  delete: "delete",
  remove: "delete",
};

export type KpiGrammarContext = {
  /** departments of the workspace, matched by key or name, case-insensitively */
  departments: { key: string; name: string }[];
  /** true for text shaped like a period, readable or not (so `Q5` gets a period error) */
  looksLikePeriod(text: string): boolean;
};

/**
 * The longest command Tandem reads, in characters. The longest real one (a target
 * for a multi-word metric and department) is under 100; the cap keeps every
 * request's work small whatever is pasted into it.
 */
export const MAX_COMMAND_CHARS = 1_000;

/** Throws the length error for text over MAX_COMMAND_CHARS (counted in Unicode characters). */
export function checkCommandLength(text: string): void {
  // UTF-16 length is at least the character count: only text near the cap is counted exactly.
  if (text.length <= MAX_COMMAND_CHARS) return;
  const chars = text.length > 2 * MAX_COMMAND_CHARS ? text.length : Array.from(text).length;
  if (chars <= MAX_COMMAND_CHARS) return;
  const size = chars > 2 * MAX_COMMAND_CHARS ? `more than ${fmt(2 * MAX_COMMAND_CHARS)}` : fmt(chars);
  throw new AppError(
    ErrorCode.InvalidInput,
    `That command is ${size} characters long; Tandem reads commands of up to ${fmt(MAX_COMMAND_CHARS)} characters. ` +
      "A metric and a period are enough, e.g. `cac last month`.",
  );
}

const fmt = (n: number) => n.toLocaleString("en-US");

export const KPI_USAGE = {
  compare: "/kpi compare DEPARTMENT DEPARTMENT [PERIOD]",
  join: "/kpi join DEPARTMENT",
  target: "/kpi target METRIC VALUE [GRAIN] [DEPARTMENT]",
  member: "/kpi member @person DEPARTMENT",
  token: "/kpi token NAME",
  alert: "/kpi alert RULE (e.g. /kpi alert cac above 5000), or /kpi alert pause|resume|delete ID",
} as const;

const GRAIN_WORDS: Record<string, Grain> = {
  day: "day",
  daily: "day",
  week: "week",
  weekly: "week",
  month: "month",
  monthly: "month",
  quarter: "quarter",
  quarterly: "quarter",
  year: "year",
  yearly: "year",
  annual: "year",
};

export function findDepartment(ctx: Pick<KpiGrammarContext, "departments">, words: string): string | null {
  const wanted = words.trim().toLowerCase();
  if (wanted === "") return null;
  const found = ctx.departments.find(
    (department) => department.key.toLowerCase() === wanted || department.name.toLowerCase() === wanted,
  );
  return found ? found.key : null;
}

const wordCount = (text: string) => text.trim().split(/\s+/).length;

/** `35%` → 0.35 (percent); `1,300` → 1300; `0.35` → 0.35; anything else → null. */
export function parseNumber(token: string): { value: number; percent: boolean } | null {
  const match = /^([-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[-+]?\.\d+)(%?)$/.exec(token.replace(/^[$€£]/, ""));
  if (!match?.[1]) return null;
  const value = Number(match[1].replaceAll(",", ""));
  if (!Number.isFinite(value)) return null;
  return match[2] === "%" ? { value: value / 100, percent: true } : { value, percent: false };
}

/** `<@U123|ada>` or `<@U123>` (how Slack escapes a mention) → U123 and ada. */
export function parseMention(token: string): { userId: string; userName: string | null } | null {
  const match = /^<@([UW][A-Z0-9]+)(?:\|([^>]*))?>$/.exec(token);
  return match?.[1] ? { userId: match[1], userName: match[2] || null } : null;
}

export function parseKpiCommand(text: string, ctx: KpiGrammarContext): KpiCommand {
  try {
    checkCommandLength(text);
  } catch (error) {
    return { kind: "invalid", message: (error as Error).message };
  }
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [first = "", ...rest] = words;
  const head = first.toLowerCase();
  const restText = rest.join(" ");
  const allText = words.join(" ");

  if (words.length === 0) return { kind: "scorecard", period: "" };
  if (head === "help" || head === "?") return { kind: "help" };
  // `funnel conversion` is a metric's alias, `funnel last month` the funnel
  if (head === "funnel" && (restText === "" || ctx.looksLikePeriod(restText))) {
    return { kind: "funnel", period: restText };
  }
  if (head === "shared" && (restText === "" || ctx.looksLikePeriod(restText))) {
    return { kind: "shared", period: restText };
  }
  if (head === "compare") return parseCompare(rest, ctx);
  if (head === "join") {
    return restText === ""
      ? { kind: "invalid", message: `Which department? ${KPI_USAGE.join}` }
      : { kind: "join", department: restText };
  }
  if (head === "target") return parseTarget(rest);
  if (head === "member") return parseMember(rest);
  if (head === "token") {
    const name = restText.trim();
    if (!/^[\w.-]{1,64}$/.test(name)) {
      return { kind: "invalid", message: `Name the token with letters, digits, dots or dashes. ${KPI_USAGE.token}` };
    }
    return { kind: "token", name };
  }
  if (head === "alert") return parseAlert(rest);
  if (head === "alerts" && rest.length === 0) return { kind: "alerts" };
  if (ctx.looksLikePeriod(allText)) return { kind: "scorecard", period: allText };
  // A department name may be several words ("customer success"): try the longest prefix
  // first, but never more words than the longest department name has.
  const longest = Math.max(0, ...ctx.departments.map((d) => Math.max(wordCount(d.key), wordCount(d.name))));
  let prefix = words.slice(0, Math.min(words.length, longest));
  while (prefix.length > 0) {
    const department = findDepartment(ctx, prefix.join(" "));
    if (department) {
      const period = words.slice(prefix.length).join(" ");
      if (period === "" || ctx.looksLikePeriod(period)) return { kind: "department", department, period };
    }
    prefix = prefix.slice(0, -1);
  }
  return { kind: "metric", words: allText };
}

function parseCompare(rest: string[], ctx: KpiGrammarContext): KpiCommand {
  const words = rest.filter((word) => !["vs", "vs.", "and", "with", "to"].includes(word.toLowerCase()));
  const [a, b, ...period] = words;
  if (!a || !b) return { kind: "invalid", message: `Name two departments. ${KPI_USAGE.compare}` };
  return {
    kind: "compare",
    a: findDepartment(ctx, a) ?? a,
    b: findDepartment(ctx, b) ?? b,
    period: period.join(" "),
  };
}

function parseTarget(rest: string[]): KpiCommand {
  const at = rest.findIndex((word) => parseNumber(word) !== null);
  const number = at >= 0 ? parseNumber(rest[at] ?? "") : null;
  if (at <= 0 || !number) return { kind: "invalid", message: `Give a metric and a value. ${KPI_USAGE.target}` };
  const metric = rest.slice(0, at).join(" ");
  let tail = rest.slice(at + 1);
  let grain: Grain | null = null;
  const grainWord = GRAIN_WORDS[tail[0]?.toLowerCase() ?? ""];
  if (grainWord) {
    grain = grainWord;
    tail = tail.slice(1);
  } else if (tail[0] && (GRAINS as readonly string[]).includes(tail[0])) {
    grain = tail[0] as Grain;
    tail = tail.slice(1);
  }
  const department = tail.join(" ").trim();
  return {
    kind: "target",
    metric,
    value: number.value,
    percent: number.percent,
    grain,
    department: department || null,
  };
}

function parseMember(rest: string[]): KpiCommand {
  const [who = "", ...department] = rest;
  const mention = parseMention(who);
  if (!mention) {
    return {
      kind: "invalid",
      message: `Mention the person with @ so it links to them (${who || "nobody given"} is not a mention). ${KPI_USAGE.member}`,
    };
  }
  if (department.length === 0) return { kind: "invalid", message: `Which department? ${KPI_USAGE.member}` };
  return { kind: "member", ...mention, department: department.join(" ") };
}

function parseAlert(rest: string[]): KpiCommand {
  if (rest.length === 0) return { kind: "invalid", message: `Give a rule. ${KPI_USAGE.alert}` };
  const action = ALERT_ACTION_WORDS[rest[0]?.toLowerCase() ?? ""];
  if (!action) return { kind: "alert", rule: rest.join(" ") };
  const id = Number((rest[1] ?? "").replace(/^#/, ""));
  if (rest.length !== 2 || !Number.isSafeInteger(id) || id < 1) {
    return {
      kind: "invalid",
      message: `Name the rule by its number, as \`/kpi alerts\` lists it: /kpi alert ${action} 3`,
    };
  }
  return { kind: "alertChange", action, id };
}
