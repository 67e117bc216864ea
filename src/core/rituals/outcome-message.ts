// The outcome check's reply in the ritual's thread: the verdict, the value then, the
// target, and the change since the decision (percentage points for a percent metric).
// Complete as text; Slack and Teams render the same blocks.
import { DateTime } from "luxon";
import { formatMetricChange, formatMetricValue, formatTarget, GRAIN_ADVERB } from "../kpi/format.ts";
import { describePeriod } from "../kpi/periods.ts";
import { changeOf } from "../kpi/status.ts";
import { clip, LIMITS, type Message, makeMessage } from "../messages/model.ts";
import type { CheckWindow } from "./check-date.ts";
import type { MeasuredOutcome } from "./measure-outcome.ts";
import { type Ritual, VERDICT_LABELS, type Verdict } from "./types.ts";

const DAY_MS = 86_400_000;

/** "October 2026", or "November 2026 so far (1–14 Nov)" for a check in the middle of a period. */
export function windowLabel(window: CheckWindow): string {
  if (window.complete) return describePeriod(window.whole);
  const { zone } = window.period;
  const first = DateTime.fromMillis(window.period.startMs, { zone, locale: "en-US" });
  const last = DateTime.fromMillis(window.period.endMs - 1, { zone, locale: "en-US" });
  const range = first.hasSame(last, "day")
    ? last.toFormat("d LLL")
    : `${first.toFormat(first.month === last.month ? "d" : "d LLL")}–${last.toFormat("d LLL")}`;
  return `${describePeriod(window.whole)} so far (${range})`;
}

function verdictSentence(verdict: Verdict, outcome: MeasuredOutcome): string {
  switch (verdict) {
    case "recovered":
      return "*Recovered*: the target is met.";
    case "worse":
      return outcome.target === null
        ? "*Worse* than when you decided (no target is set)."
        : "*Worse*: further from the target than when you decided.";
    case "not_yet":
      return outcome.target === null
        ? "*Not yet*: no target is set to recover to, and it is no worse than when you decided."
        : "*Not yet*: still short of the target, but no worse than when you decided.";
    case "no_data":
      return `*No data*: there are no numbers for ${windowLabel(outcome.window)}, so this can't be judged.`;
  }
}

function days(ms: number): number {
  return Math.round(ms / DAY_MS);
}

function targetText(outcome: MeasuredOutcome): string {
  const { metric, window } = outcome;
  if (outcome.target === null) return "none set";
  if (!outcome.prorated) return formatTarget({ ...metric, target: outcome.target, targetFrom: outcome.targetFrom });
  const whole = formatTarget({ ...metric, target: outcome.wholeTarget, targetFrom: outcome.targetFrom });
  const measured = days(window.period.endMs - window.period.startMs);
  const all = days(window.whole.endMs - window.whole.startMs);
  return `${formatMetricValue(metric, outcome.target)}, pro rata for ${measured} of ${all} days of the ${GRAIN_ADVERB[window.whole.grain]} ${whole}`;
}

function changeText(outcome: MeasuredOutcome): string {
  const { metric } = outcome;
  const then = describePeriod(outcome.baselinePeriod);
  if (outcome.wholeBaseline === null) return `not known (no value for ${then})`;
  const change = formatMetricChange(
    {
      unit: metric.unit,
      value: outcome.value,
      previous: outcome.baseline,
      change: changeOf(outcome.value, outcome.baseline),
    },
    metric.better,
  );
  const base = `${then}: ${formatMetricValue(metric, outcome.wholeBaseline)}`;
  const prorated = outcome.prorated ? `, ${formatMetricValue(metric, outcome.baseline)} pro rata` : "";
  return `${change?.text ?? "n/a"} (${base}${prorated})`;
}

export function outcomeMessage(input: { ritual: Ritual; outcome: MeasuredOutcome; zone: string }): Message {
  const { ritual, outcome } = input;
  const { metric } = outcome;
  const decidedOn = ritual.decidedAt
    ? DateTime.fromMillis(ritual.decidedAt.getTime(), { zone: input.zone, locale: "en-US" }).toFormat("d LLL yyyy")
    : "";
  const who = [ritual.decidedBy, decidedOn].filter(Boolean).join(", ");
  const lines = [
    `• Value then: ${formatMetricValue(metric, outcome.value)} for ${windowLabel(outcome.window)}`,
    `• Target: ${targetText(outcome)}`,
    `• Change since the decision: ${changeText(outcome)}`,
  ];
  return makeMessage(
    [
      {
        type: "section",
        text: clip(
          `*Outcome for ${metric.name}: ${VERDICT_LABELS[outcome.verdict]}*\n${verdictSentence(outcome.verdict, outcome)}\n${lines.join("\n")}`,
          LIMITS.textChars,
        ),
      },
      {
        type: "context",
        text: clip(
          `Decision (${ritual.periodKey}${who ? `, ${who}` : ""}): “${ritual.decision ?? ""}”`,
          LIMITS.textChars,
        ),
      },
    ],
    { visibility: "channel" },
  );
}
