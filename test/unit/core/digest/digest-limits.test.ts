// The digest at its worst (many departments with long names, hundreds of shared
// metrics in every combination of owners, a pulse answered by every department) still
// fits every platform: LIMITS, Slack's Block Kit limits, and a Teams card under 80 KB.
import { describe, expect, it } from "vitest";
import type { Digest, DigestMetric } from "../../../../src/core/digest/build-digest.ts";
import { digestMessage } from "../../../../src/core/digest/build-digest.ts";
import { parsePeriod } from "../../../../src/core/kpi/periods.ts";
import { checkMessage, type Message } from "../../../../src/core/messages/model.ts";
import { checkSlackLimits, toSlack } from "../../../../src/render/slack/render.ts";
import {
  checkTeamsLimits,
  jsonBytes,
  TEAMS_LIMITS,
  toAdaptiveCard,
  toTeamsActivity,
} from "../../../../src/render/teams/render.ts";
import { toPlainText } from "../../../../src/render/text/render.ts";
import { adaptiveCardProblems } from "../../render/adaptive-card-validator.ts";

const LONG = "A metric whose name is long enough to wrap twice in any chat client, and then some more".padEnd(120, "x");
const period = parsePeriod("2026-W47", new Date("2026-12-01T00:00:00Z"), "America/New_York");

function worstDigest(): Digest {
  const departments = Array.from({ length: 24 }, (_, i) => ({
    key: `department_${i}`,
    name: `Department number ${i} with a name far longer than anyone would type`.padEnd(110, "y"),
    metrics: 400,
    onTrack: 123_456,
    atRisk: 234_567,
    offTrack: 345_678,
    noTarget: 456_789,
  }));
  const metrics: DigestMetric[] = [];
  for (let i = 0; i < 300; i++) {
    const a = departments[i % departments.length]?.key ?? "";
    const b = departments[(i * 7 + 1) % departments.length]?.key ?? "";
    const c = departments[(i * 3 + 2) % departments.length]?.key ?? "";
    metrics.push({
      key: `custom_${i}`,
      name: `${LONG} ${i}`,
      unit: i % 2 === 0 ? "currency" : "percent",
      value: -123_456_789_012.345,
      previous: 987_654_321_098.7,
      change: -1.12345,
      target: 555_555_555_555.5,
      status: "off_track",
      owners: i % 5 === 0 ? departments.map((d) => d.key) : [a, b, c],
      breakdown: null,
      better: "up",
    });
  }
  const score = (key: string, value: number | null): DigestMetric => ({
    key,
    name: key,
    unit: key === "collaboration_score" ? "score" : "percent",
    value,
    previous: 1,
    change: 0.5,
    target: null,
    status: null,
    owners: departments.map((d) => d.key),
    breakdown: null,
    better: "up",
    decimals: 1,
  });
  return {
    period,
    summary: {
      sharedMetrics: 300,
      onTrack: 0,
      atRisk: 0,
      offTrack: 300,
      noTarget: 0,
      biggestChange: null,
      text: `${"A very long summary sentence. ".repeat(100)}`,
    },
    metrics,
    departments,
    pairs: [],
    funnel: {
      stages: ["lead", "mql", "sql", "opportunity", "won"].map((key) => ({
        key,
        label: key,
        count: 123_456_789,
        previous: 1,
      })),
      bottleneck: { from: "mql", to: "sql", metric: "mql_to_sql_rate", reason: "x".repeat(3_000) },
    },
    pulse: {
      collaboration: score("collaboration_score", 3.3),
      participation: score("pulse_participation", 0.5),
      byDepartment: departments.map((d, i) => ({ key: d.key, name: d.name, score: 1 + (i % 5) })),
      gap: {
        high: { key: "department_0", name: departments[0]?.name ?? "", score: 5 },
        low: { key: "department_1", name: departments[1]?.name ?? "", score: 1 },
        points: 4,
      },
    },
    series: [],
    decisions: Array.from({ length: 5 }, (_, i) => ({
      metricKey: `metric_${i}`,
      name: `${LONG} ${i}`,
      unit: "currency" as const,
      currency: "USD",
      periodKey: "2026-09",
      decision: "d".repeat(1_000),
      decidedBy: "x".repeat(200),
      outcome: {
        dueAt: new Date("2026-11-01T00:00:00Z"),
        status: i % 2 === 0 ? ("posted" as const) : ("scheduled" as const),
        verdict: i % 2 === 0 ? ("worse" as const) : null,
        value: -123_456_789_012.345,
        target: 555_555_555_555.5,
        baseline: 1,
        postedAt: null,
      },
    })),
  };
}

describe.each<[string, Message]>([
  ["Slack wording", digestMessage(worstDigest())],
  ["Teams wording", digestMessage(worstDigest(), { prefix: "kpi" })],
])("the digest at its worst (%s)", (_name, message) => {
  it("keeps within the neutral LIMITS", () => {
    expect(checkMessage(message)).toEqual([]);
  });

  it("renders within Slack's limits", () => {
    expect(checkSlackLimits(toSlack(message))).toEqual([]);
  });

  it("renders as a valid Adaptive Card within Teams' limits", () => {
    const card = toAdaptiveCard(message);
    expect(checkTeamsLimits(card)).toEqual([]);
    expect(adaptiveCardProblems(card)).toEqual([]);
    expect(jsonBytes(toTeamsActivity(message))).toBeLessThan(TEAMS_LIMITS.maxBytes);
  });

  it("says how much it left out", () => {
    expect(toPlainText(message)).toMatch(/…and \d+ more shared metrics not shown/);
    expect(toPlainText(message)).toContain("…and 12 more departments not shown.");
  });
});
