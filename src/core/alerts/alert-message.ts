// The alert as posted: what crossed, the numbers it was held to (pro rata said as such),
// the trend, the breakdown's biggest mover, the owners and how fresh the data is; then
// who acknowledged or snoozed it and the buttons. The text stands on its own.
import { DateTime } from "luxon";
import { formatMetricValue, type ValueFormat } from "../kpi/format.ts";
import { describePeriod } from "../kpi/periods.ts";
import type { Period } from "../kpi/types.ts";
import { type Block, type Button, clip, LIMITS, type Message, makeMessage } from "../messages/model.ts";
import type { AlertWindows } from "./alert-windows.ts";
import { windowWords } from "./describe-rule.ts";
import type { AlertJudgement } from "./evaluate-alert.ts";
import type { AlertRule } from "./types.ts";

export type AlertFacts = {
  alertId: number;
  ruleId: number;
  /** the rule in the grammar's words */
  ruleText: string;
  rule: AlertRule;
  metric: ValueFormat & { key: string; name: string };
  windows: AlertWindows;
  judgement: Exclude<AlertJudgement, { state: "quiet" }>;
  /** the last periods' values as a sparkline, oldest first, with how many periods */
  trend: { line: string; periods: number } | null;
  /** the breakdown label that moved most against the base, and by how much */
  mover: { label: string; change: number } | null;
  /** owning departments' names */
  owners: string[];
  /** when the newest fact happened */
  freshness: Date | null;
  now: Date;
  zone: string;
  prefix: "/kpi" | "kpi";
};

export type AlertState = {
  acknowledgedBy?: string | null;
  snoozedUntil?: Date | null;
  snoozedBy?: string | null;
  /** a ritual opened from the alert: in its thread, or one already open elsewhere */
  ritual?: "here" | "elsewhere" | null;
};

const value = (facts: AlertFacts, n: number) => formatMetricValue(facts.metric, n);

function windowLabel(windows: AlertWindows, rule: AlertRule): string {
  const label = describePeriod(windows.full);
  return rule.window.toDate ? `${label} to date` : label;
}

const DAY_MS = 86_400_000;
const round1 = (n: number) => Number(n.toFixed(1)).toString();
const daysOf = (p: Pick<Period, "startMs" | "endMs">) => round1((p.endMs - p.startMs) / DAY_MS);

/** ` (pro rata: 10 of 30 days of 200)`, or nothing when the line was not pro-rated. */
function proRataWords(facts: AlertFacts, whole: number): string {
  if (facts.judgement.proRata === null) return "";
  const { current, full } = facts.windows;
  return ` (pro rata: ${daysOf(current)} of ${daysOf(full)} days of ${value(facts, whole)})`;
}

/** `CAC is $5,412 in December 2026 to date, above the line of $5,000.` and its title. */
function headline(facts: AlertFacts): { title: string; text: string } {
  const { rule, judgement: j, metric } = facts;
  const c = rule.condition;
  const now = `*${metric.name}* is *${value(facts, j.value)}* in ${windowLabel(facts.windows, rule)}`;
  const whole = j.proRata === null ? j.against : j.against / j.proRata;
  switch (c.kind) {
    case "above":
    case "below":
      return {
        title: `${metric.name} ${c.kind} ${value(facts, c.value)}`,
        text: `${now}, ${c.kind} the line of ${value(facts, j.against)}${proRataWords(facts, whole)}.`,
      };
    case "drops":
    case "rises": {
      const versus = c.vs === "year_ago" ? "the same period a year earlier" : "the period before";
      const change = j.change ?? 0;
      const moved = c.points
        ? `${change < 0 ? "down" : "up"} ${round1(Math.abs(change))} percentage points`
        : `${change < 0 ? "down" : "up"} ${round1(Math.abs(change) * 100)}%`;
      const by = c.points ? `${round1(c.by)} percentage points` : `${round1(c.by * 100)}%`;
      const base = facts.windows.base;
      const was = base ? `${describePeriod(base)} had ${value(facts, whole)}` : `the base was ${value(facts, whole)}`;
      const scaled =
        j.proRata === null ? "" : `, ${value(facts, j.against)} pro rata for ${daysOf(facts.windows.current)} days`;
      return {
        title: `${metric.name} ${c.kind === "drops" ? "dropped" : "rose"} ${by}`,
        text: `${now}, ${moved} on ${versus}: ${was}${scaled}.`,
      };
    }
    case "status": {
      const status = c.status === "off_track" ? "off track" : "at risk";
      return {
        title: `${metric.name} ${status}`,
        text: `${now}, ${status} against a target of ${value(facts, j.against)}${proRataWords(facts, whole)}.`,
      };
    }
  }
}

function freshnessWords(facts: AlertFacts): string {
  if (!facts.freshness) return "Data: no facts yet.";
  const at = DateTime.fromJSDate(facts.freshness, { zone: facts.zone }).setLocale("en-US");
  const hours = (facts.now.getTime() - facts.freshness.getTime()) / 3_600_000;
  const ago =
    hours < 1
      ? "less than an hour ago"
      : hours < 48
        ? `${Math.floor(hours)} h ago`
        : `${Math.floor(hours / 24)} days ago`;
  return `Data: newest fact ${at.toFormat("ccc d LLL HH:mm")} (${ago}).`;
}

/** The alert without its state and buttons: stored, so a click can rebuild it in place. */
export function alertBody(facts: AlertFacts): Message {
  const { title, text } = headline(facts);
  const lines: string[] = [];
  if (facts.trend) lines.push(`Trend, last ${facts.trend.periods} ${facts.rule.window.grain}s: ${facts.trend.line}`);
  if (facts.mover) {
    const sign = facts.mover.change < 0 ? "−" : "+";
    lines.push(
      `Biggest mover: ${facts.mover.label} (${sign}${value(facts, Math.abs(facts.mover.change))} on the base)`,
    );
  }
  lines.push(`Owners: ${facts.owners.length > 0 ? facts.owners.join(", ") : "none named"}.`);
  lines.push(freshnessWords(facts));
  const blocks: Block[] = [
    { type: "header", text: clip(`Alert: ${title}`, LIMITS.headerChars) },
    { type: "section", text: clip(text, LIMITS.textChars) },
    { type: "section", text: clip(lines.join("\n"), LIMITS.textChars) },
    {
      type: "context",
      text: clip(
        `Rule #${facts.ruleId}: \`${facts.ruleText}\`, watching ${windowWords(facts.rule.window)}. ` +
          `It posts again only after the metric is back within bounds. \`${facts.prefix} alerts\` lists the rules.`,
        LIMITS.textChars,
      ),
    },
  ];
  return makeMessage(blocks, { visibility: "channel" });
}

export const ALERT_BUTTONS = {
  acknowledge: "alert_ack",
  snoozeDay: "alert_snooze_day",
  snoozeWeek: "alert_snooze_week",
  ritual: "alert_ritual",
} as const;
export type AlertButton = keyof typeof ALERT_BUTTONS;

const formatUntil = (until: Date, zone: string) =>
  DateTime.fromJSDate(until, { zone }).setLocale("en-US").toFormat("ccc d LLL HH:mm");

/** The stored body with who acted and the buttons still useful. */
export function alertMessage(body: Message, alertId: number, state: AlertState, zone: string): Message {
  const notes: string[] = [];
  if (state.acknowledgedBy) notes.push(`Acknowledged by ${state.acknowledgedBy}.`);
  if (state.snoozedUntil) {
    const by = state.snoozedBy ? ` by ${state.snoozedBy}` : "";
    notes.push(
      `Snoozed until ${formatUntil(state.snoozedUntil, zone)}${by}: the rule is not checked until then, and posts again if still crossed.`,
    );
  }
  if (state.ritual === "here") notes.push("A ritual is open in this thread: the why-poll and the decision.");
  if (state.ritual === "elsewhere")
    notes.push(
      "A ritual on this metric and period was open already, in another thread of this channel: the why-poll and the decision are there.",
    );
  const button = (kind: AlertButton, label: string, style?: Button["style"]): Button => ({
    label,
    actionId: `${ALERT_BUTTONS[kind]}:${alertId}`,
    value: String(alertId),
    ...(style ? { style } : {}),
  });
  const buttons: Button[] = [
    ...(state.acknowledgedBy ? [] : [button("acknowledge", "Acknowledge", "primary")]),
    ...(state.snoozedUntil ? [] : [button("snoozeDay", "Snooze a day"), button("snoozeWeek", "Snooze a week")]),
    ...(state.ritual ? [] : [button("ritual", "Open a ritual")]),
  ];
  const blocks: Block[] = [
    ...body.blocks,
    ...(notes.length > 0 ? [{ type: "context" as const, text: notes.join(" ") }] : []),
    ...(buttons.length > 0 ? [{ type: "actions" as const, buttons }] : []),
  ];
  return makeMessage(blocks, { visibility: "channel" });
}
