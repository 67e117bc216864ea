// The ritual's messages: the thread reply under the digest (owners named, the why poll,
// the decision button), the private confirmations, and the `/kpi rituals` list.
import { DateTime } from "luxon";
import { type Block, clip, LIMITS, type Message, makeMessage } from "../messages/model.ts";
import { type Ritual, type Tally, VERDICT_LABELS, WHY_LABELS, WHY_REASONS } from "./types.ts";

export const DECIDE_ACTION_PREFIX = "ritual_decide";

export function ritualChoiceId(ritualId: number): string {
  return `ritual:${ritualId}`;
}

export function parseRitualChoiceId(id: string): number | null {
  const match = /^ritual:(\d+)$/.exec(id);
  return match ? Number(match[1]) : null;
}

export function decideActionId(ritualId: number): string {
  return `${DECIDE_ACTION_PREFIX}:${ritualId}`;
}

export function parseDecideActionId(id: string): number | null {
  const match = /^ritual_decide:(\d+)$/.exec(id);
  return match ? Number(match[1]) : null;
}

export function joinNames(names: string[]): string {
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

export function tallyText(tally: Tally): string {
  const parts = WHY_REASONS.filter((r) => tally[r] > 0).map((r) => `${WHY_LABELS[r]} ${tally[r]}`);
  return parts.length > 0 ? parts.join(" · ") : "no votes yet";
}

export function ritualMessage(input: {
  ritual: Ritual;
  metricName: string;
  periodLabel: string;
  ownerNames: string[];
  /** "5,000 against a target of 4,500", when known */
  figures: string | null;
  /** what opened it, instead of "is off track" (an alert's crossing) */
  situation?: string;
}): Message {
  const { ritual } = input;
  const owners = joinNames(input.ownerNames.map((n) => `*${n}*`));
  const figures = input.figures ? `: ${input.figures}` : "";
  const situation = input.situation ?? `*${input.metricName}* is off track for ${input.periodLabel}${figures}.`;
  const who =
    input.ownerNames.length >= 2 ? `${owners} share it.` : input.ownerNames.length === 1 ? `${owners} own it.` : "";
  const blocks: Block[] = [
    {
      type: "section",
      text: clip(
        `${situation}\n${who ? `${who} ` : ""}What's behind it? One tap below, then record what you decide.`,
        LIMITS.textChars,
      ),
    },
    {
      type: "choices",
      id: ritualChoiceId(ritual.id),
      prompt: input.situation ? "*Why did it move?*" : "*Why is it off track?*",
      options: WHY_REASONS.map((reason) => ({ label: WHY_LABELS[reason], value: reason })),
      style: "list",
    },
    {
      type: "actions",
      buttons: [
        { label: "Record decision", actionId: decideActionId(ritual.id), value: String(ritual.id), style: "primary" },
      ],
    },
    { type: "context", text: "Votes are counted, not named: `/kpi rituals` shows the tally." },
  ];
  return makeMessage(blocks, { visibility: "channel" });
}

export function decisionMessage(ritual: Ritual, metricName: string, tally: Tally, by: string, zone: string): Message {
  const check = ritual.outcome
    ? [
        {
          type: "context" as const,
          text: `Outcome check on ${dayText(ritual.outcome.dueAt, zone)}: Tandem posts here whether ${metricName} recovered.`,
        },
      ]
    : [];
  return makeMessage(
    [
      {
        type: "section",
        text: clip(
          `*Decision on ${metricName}* (${ritual.periodKey}), recorded by ${by}:\n${ritual.decision ?? ""}`,
          LIMITS.textChars,
        ),
      },
      { type: "context", text: `Why poll: ${tallyText(tally)}` },
      ...check,
    ],
    { visibility: "channel" },
  );
}

/** "1 Nov 2026", the day a check runs, in the workspace's zone */
export function dayText(instant: Date, zone: string): string {
  return DateTime.fromMillis(instant.getTime(), { zone, locale: "en-US" }).toFormat("d LLL yyyy");
}

/** What `/kpi rituals` says of a decision's outcome: its verdict, or when it will be checked. */
export function outcomeNote(ritual: Ritual, zone: string): string {
  const outcome = ritual.outcome;
  if (!outcome) return "";
  const day = dayText(outcome.dueAt, zone);
  if (outcome.status === "posted" && outcome.verdict)
    return ` → outcome: *${VERDICT_LABELS[outcome.verdict]}* (${day})`;
  if (outcome.status === "failed") return ` → the outcome check of ${day} could not be posted`;
  return ` → outcome check on ${day}`;
}

export function ritualListMessage(input: {
  rituals: Ritual[];
  tallies: Map<number, Tally>;
  nameOf: (metricKey: string) => string;
  zone: string;
}): Message {
  const line = (ritual: Ritual) => {
    const name = input.nameOf(ritual.metricKey);
    const tally = input.tallies.get(ritual.id);
    if (ritual.status === "decided") {
      const when = ritual.decidedAt
        ? DateTime.fromMillis(ritual.decidedAt.getTime(), { zone: input.zone, locale: "en-US" }).toFormat("d LLL")
        : "";
      return `• *${name}*, ${ritual.periodKey}: ${clip(ritual.decision ?? "", 200)} _(${[ritual.decidedBy, when].filter(Boolean).join(", ")})_${outcomeNote(ritual, input.zone)}`;
    }
    return `• *${name}*, ${ritual.periodKey}: why? ${tally ? tallyText(tally) : "no votes yet"}`;
  };
  const open = input.rituals.filter((r) => r.status === "open");
  const decided = input.rituals.filter((r) => r.status === "decided");
  if (open.length === 0 && decided.length === 0) {
    return makeMessage(
      [
        { type: "header", text: "Rituals" },
        {
          type: "section",
          text: "No rituals yet. When the digest finds a shared metric off track, it opens one in the digest's thread.",
        },
      ],
      { visibility: "private" },
    );
  }
  const section = (title: string, rituals: Ritual[]): Block[] => {
    if (rituals.length === 0) return [];
    const lines: string[] = [];
    let used = title.length;
    for (const ritual of rituals) {
      const text = line(ritual);
      if (used + text.length + 1 > LIMITS.textChars - 40) {
        lines.push(`_…and ${rituals.length - lines.length} more_`);
        break;
      }
      lines.push(text);
      used += text.length + 1;
    }
    return [{ type: "section", text: `*${title}*\n${lines.join("\n")}` }];
  };
  return makeMessage(
    [
      { type: "header", text: "Rituals" },
      ...section(`Open (${open.length})`, open),
      ...section(`Decided (${decided.length})`, decided),
    ],
    { visibility: "private" },
  );
}
