// The label a chat command is counted under in /metrics (`tandem_chat_commands_total`):
// a verb from a closed set, never the words people type, so the number of series stays
// fixed whatever is typed. Metric questions (`cac last month`) and anything unknown are
// `other`.

/** `/kpi`'s verbs, as counted. */
const KPI_VERBS = new Set([
  "help",
  "funnel",
  "compare",
  "join",
  "target",
  "member",
  "token",
  "shared",
  "digest",
  "rituals",
  "sources",
  "alert",
  "alerts",
]);

/** Every label the counter can carry. */
export const COMMAND_LABELS: ReadonlySet<string> = new Set([
  ...KPI_VERBS,
  "scorecard",
  "pulse",
  "card_action",
  "other",
]);

/** The first `count` words of a text, read from a bounded prefix (a command may be a megabyte long). */
function firstWords(text: string, count: number): string[] {
  return text.slice(0, 200).trim().toLowerCase().split(/\s+/).filter(Boolean).slice(0, count);
}

/** `/kpi ARGS` (Slack's slash command): the verb, `scorecard` for none, `other` for the rest. */
export function kpiCommandLabel(args: string): string {
  const [verb] = firstWords(args, 1);
  if (verb === undefined) return "scorecard";
  return KPI_VERBS.has(verb) ? verb : "other";
}

/** Text typed to Tandem (Teams, the console): `kpi …`, `pulse …`, `help`, or a bare `/kpi` question. */
export function chatCommandLabel(text: string): string {
  const [first = "", second = ""] = firstWords(text.replace(/^\s*\//, ""), 2);
  if (first === "" || first === "help" || first === "?") return "help";
  if (first === "pulse") return "pulse";
  if (first === "kpi") return kpiCommandLabel(second);
  return kpiCommandLabel(first);
}
