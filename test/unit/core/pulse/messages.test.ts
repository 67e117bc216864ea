// Pulse and ritual messages at their worst stay inside LIMITS and every platform's limits.
import { describe, expect, it } from "vitest";
import { checkMessage, type Message } from "../../../../src/core/messages/model.ts";
import { pulseMessage, reminderMessage, resultsMessage } from "../../../../src/core/pulse/messages.ts";
import { summarizePulse } from "../../../../src/core/pulse/results.ts";
import { QUESTION_CHARS, TEXT_ANSWER_CHARS } from "../../../../src/core/pulse/types.ts";
import { ritualListMessage, ritualMessage } from "../../../../src/core/rituals/messages.ts";
import type { Ritual } from "../../../../src/core/rituals/types.ts";
import { checkSlackLimits, toSlack } from "../../../../src/render/slack/render.ts";
import { checkTeamsLimits, toAdaptiveCard } from "../../../../src/render/teams/render.ts";
import { toPlainText } from "../../../../src/render/text/render.ts";
import { answers, DEPARTMENTS, pulse, question } from "./fixtures.ts";

const long = (n: number) =>
  "How well did marketing and sales work together on the hand-off this week? ".repeat(20).slice(0, n);

function worstPulse() {
  const kinds = ["scale10", "agree5", "yesno", "text", "scale10"] as const;
  return pulse(
    kinds.map((kind, i) =>
      question(i + 1, kind, { text: long(QUESTION_CHARS), aboutDepartment: i === 1 ? "marketing" : null }),
    ),
    { title: long(150) },
  );
}

function worstResults(): Message {
  const p = worstPulse();
  const rows = p.questions.flatMap((q) =>
    answers(
      q.id,
      Array.from({ length: 60 }, (_, i): [string | null, number | string] => [
        DEPARTMENTS[i % 3]?.key ?? null,
        q.kind === "text"
          ? long(TEXT_ANSWER_CHARS) + i
          : q.kind === "scale10"
            ? i % 11
            : q.kind === "yesno"
              ? i % 2
              : (i % 5) + 1,
      ]),
    ),
  );
  return resultsMessage(summarizePulse(p, rows, DEPARTMENTS), "Europe/Berlin");
}

const ritual: Ritual = {
  id: 3,
  workspaceId: 1,
  metricKey: "cac",
  periodKey: "2026-09",
  platform: "slack",
  channelId: "C1",
  threadId: "1.1",
  status: "open",
  decision: null,
  decidedBy: null,
  decidedAt: null,
  createdAt: new Date(),
  outcome: null,
};

const cases: [string, Message][] = [
  ["five-question pulse", pulseMessage(worstPulse(), { count: 1234, zone: "Europe/Berlin" })],
  ["closed pulse", pulseMessage(worstPulse(), { count: 1234, zone: "Europe/Berlin", closed: true })],
  ["reminder", reminderMessage(worstPulse(), { count: 9, now: new Date("2026-10-13T02:00:00Z") })],
  ["results", worstResults()],
  [
    "ritual",
    ritualMessage({
      ritual,
      metricName: long(100),
      periodLabel: "September 2026",
      ownerNames: ["Marketing", "Sales", "Product"],
      figures: "5,000 against a target of 4,500",
    }),
  ],
  [
    "ritual list",
    ritualListMessage({
      rituals: Array.from({ length: 30 }, (_, i) => ({
        ...ritual,
        id: i,
        status: i % 2 ? "decided" : "open",
        decision: long(1000),
        decidedBy: "Ada",
      })),
      tallies: new Map(),
      nameOf: () => long(100),
      zone: "UTC",
    }),
  ],
];

describe.each(cases)("the %s message at its worst", (_name, message) => {
  it("keeps within LIMITS", () => expect(checkMessage(message)).toEqual([]));
  it("renders for Slack", () => expect(checkSlackLimits(toSlack(message))).toEqual([]));
  it("renders for Teams", () => expect(checkTeamsLimits(toAdaptiveCard(message))).toEqual([]));
  it("prints as text", () => expect(toPlainText(message).length).toBeGreaterThan(0));
});

describe("the pulse message", () => {
  it("shows the count of answers and nothing about who answered", () => {
    const message = pulseMessage(pulse([question(1)], { status: "open" }), { count: 9, zone: "UTC" });
    expect(message.text).toContain("9 answers so far");
    expect(message.text).toContain("Anonymous");
  });

  it("draws the results as text bars with the mean", () => {
    const p = pulse([question(1)]);
    const message = resultsMessage(
      summarizePulse(
        p,
        answers(1, [
          [null, 4],
          [null, 4],
          [null, 5],
        ]),
        DEPARTMENTS,
      ),
      "UTC",
    );
    expect(toPlainText(message)).toMatch(/4 · Agree\s+█+\s+2 \(67%\)/);
    expect(message.text).toContain("Mean 4.3 of 5");
  });
});
