// The `/kpi` grammar, platform-free: Slack's slash command, Teams' typed text and
// the local console all hand their text here. Metric and period words are left
// for getKpiSnapshot to resolve (it knows aliases and suggests near misses).
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
  | { kind: "invalid"; message: string };

export type KpiGrammarContext = {
  /** departments of the workspace, matched by key or name, case-insensitively */
  departments: { key: string; name: string }[];
  isPeriodText(text: string): boolean;
};

export const KPI_USAGE = {
  compare: "/kpi compare DEPARTMENT DEPARTMENT [PERIOD]",
  join: "/kpi join DEPARTMENT",
  target: "/kpi target METRIC VALUE [GRAIN] [DEPARTMENT]",
  member: "/kpi member @person DEPARTMENT",
  token: "/kpi token NAME",
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

export function findDepartment(ctx: KpiGrammarContext, words: string): string | null {
  const wanted = words.trim().toLowerCase();
  if (wanted === "") return null;
  const found = ctx.departments.find(
    (department) => department.key.toLowerCase() === wanted || department.name.toLowerCase() === wanted,
  );
  return found ? found.key : null;
}

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
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [first = "", ...rest] = words;
  const head = first.toLowerCase();
  const restText = rest.join(" ");

  if (words.length === 0) return { kind: "scorecard", period: "" };
  if (head === "help" || head === "?") return { kind: "help" };
  if (head === "funnel") return { kind: "funnel", period: restText };
  if (head === "shared" && (restText === "" || ctx.isPeriodText(restText))) return { kind: "shared", period: restText };
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
  if (ctx.isPeriodText(words.join(" "))) return { kind: "scorecard", period: words.join(" ") };
  // a department name may be several words ("customer success"): try the longest prefix first
  for (let cut = words.length; cut >= 1; cut--) {
    const department = findDepartment(ctx, words.slice(0, cut).join(" "));
    const period = words.slice(cut).join(" ");
    if (department && (period === "" || ctx.isPeriodText(period))) return { kind: "department", department, period };
  }
  return { kind: "metric", words: words.join(" ") };
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
