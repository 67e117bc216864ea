// The outcome check of a ritual's decision: when it runs, what window it measures, the
// verdict (recovered / not yet / worse / no data), pro rata targets and baselines for
// metrics that add up over time, percentage points for percent metrics.
import { describe, expect, it } from "vitest";
import { isAppError } from "../../../../src/core/errors.ts";
import type { Fact } from "../../../../src/core/facts/fact.ts";
import { parsePeriod } from "../../../../src/core/kpi/periods.ts";
import { DEFAULT_KPI_SETTINGS, type TargetSpec } from "../../../../src/core/kpi/types.ts";
import {
  checkWindow,
  defaultCheckAt,
  defaultCheckDay,
  isCheckDateError,
  parseCheckDate,
} from "../../../../src/core/rituals/check-date.ts";
import { judgeOutcome } from "../../../../src/core/rituals/judge-outcome.ts";
import { measureOutcome } from "../../../../src/core/rituals/measure-outcome.ts";
import { outcomeMessage } from "../../../../src/core/rituals/outcome-message.ts";
import type { Ritual } from "../../../../src/core/rituals/types.ts";
import { fact, referenceStats, spend, won } from "../kpi/kpi-kit.ts";

describe("judgeOutcome", () => {
  it.each([
    // better up: leads
    [{ value: 120, target: 100, baseline: 60 }, "up", "recovered"],
    [{ value: 100, target: 100, baseline: 60 }, "up", "recovered"],
    [{ value: 99, target: 100, baseline: 60 }, "up", "not_yet"],
    [{ value: 60, target: 100, baseline: 60 }, "up", "not_yet"],
    [{ value: 59, target: 100, baseline: 60 }, "up", "worse"],
    // better down: cac
    [{ value: 4400, target: 4500, baseline: 5000 }, "down", "recovered"],
    [{ value: 4501, target: 4500, baseline: 5000 }, "down", "not_yet"],
    [{ value: 5001, target: 4500, baseline: 5000 }, "down", "worse"],
    // no target: never recovered, still worse or not
    [{ value: 70, target: null, baseline: 60 }, "up", "not_yet"],
    [{ value: 50, target: null, baseline: 60 }, "up", "worse"],
    // no baseline: not worse than an unknown
    [{ value: 10, target: 100, baseline: null }, "up", "not_yet"],
    // nothing to measure
    [{ value: null, target: 100, baseline: 60 }, "up", "no_data"],
    [{ value: Number.NaN, target: 100, baseline: 60 }, "up", "no_data"],
  ] as const)("%o, better %s → %s", (figures, better, verdict) => {
    expect(judgeOutcome({ ...figures, better })).toBe(verdict);
  });
});

describe("when the check runs", () => {
  const berlin = "Europe/Berlin";

  it("defaults to the end of the first period of the ritual's grain ending after the decision", () => {
    // a September ritual decided on 5 October: checked when October ends, Berlin midnight
    expect(defaultCheckAt("month", new Date("2026-10-05T09:00:00Z"), berlin).toISOString()).toBe(
      "2026-10-31T23:00:00.000Z",
    );
    // a week-40 ritual decided on Tuesday of week 41: checked when week 41 ends (Monday 12 Oct)
    expect(defaultCheckAt("week", new Date("2026-10-06T12:00:00Z"), "UTC").toISOString()).toBe(
      "2026-10-12T00:00:00.000Z",
    );
    expect(defaultCheckDay("2026-09", new Date("2026-10-05T09:00:00Z"), berlin)).toBe("2026-11-01");
    expect(defaultCheckDay("2026-W40", new Date("2026-10-06T12:00:00Z"), "UTC")).toBe("2026-10-12");
  });

  it("takes a picked day as that day's first instant in the workspace's zone", () => {
    const decidedAt = new Date("2026-10-05T09:00:00Z");
    expect(parseCheckDate(" 2026-11-16 ", { decidedAt, zone: berlin, grain: "month" }).toISOString()).toBe(
      "2026-11-15T23:00:00.000Z",
    );
    expect(parseCheckDate("2026-10-06", { decidedAt, zone: berlin, grain: "month" }).toISOString()).toBe(
      "2026-10-05T22:00:00.000Z",
    );
  });

  it.each([
    ["16/11/2026", "isn't a check date: write it as YYYY-MM-DD, e.g. 2026-11-01"],
    ["2026-02-30", "isn't a check date"],
    ["2026-10-05", "Pick a check date from 2026-10-06 to 2027-10-06, e.g. 2026-11-01."],
    ["2026-09-30", "from 2026-10-06"],
    ["2027-10-07", "to 2027-10-06"],
  ])("refuses %s: %s", (text, expected) => {
    let caught: unknown;
    try {
      parseCheckDate(text, { decidedAt: new Date("2026-10-05T09:00:00Z"), zone: berlin, grain: "month" });
    } catch (error) {
      caught = error;
    }
    expect(isAppError(caught) && caught.message).toContain(expected);
    expect(isCheckDateError(caught)).toBe(true);
  });

  it("measures the whole period at its end, the period so far in its middle", () => {
    const whole = checkWindow("month", new Date("2026-12-01T00:00:00Z"), "UTC");
    expect(whole).toMatchObject({ complete: true, fraction: 1 });
    expect(whole.period.key).toBe("2026-11");
    const part = checkWindow("month", new Date("2026-11-16T00:00:00Z"), "UTC");
    expect(part.complete).toBe(false);
    expect(part.fraction).toBe(0.5);
    expect(part.period.key).toBe("2026-11 to 2026-11-15");
    expect(new Date(part.period.endMs).toISOString()).toBe("2026-11-16T00:00:00.000Z");
    expect(part.whole.key).toBe("2026-11");
  });
});

describe("measureOutcome and its message", () => {
  const zone = "UTC";
  const deps = (facts: Fact[], targets: TargetSpec[]) => ({
    stats: referenceStats(facts),
    settingsSource: { load: async () => ({ ...DEFAULT_KPI_SETTINGS, targets }) },
    clock: { now: () => new Date("2026-12-01T00:00:00Z") },
  });
  const september = parsePeriod("2026-09", new Date("2026-10-05T00:00:00Z"), zone);
  const leads = (prefix: string, day: string, count: number) =>
    Array.from({ length: count }, (_, i) => fact("lead", day, `${prefix}-${i}`));
  const ritual = (metricKey: string): Ritual => ({
    id: 1,
    workspaceId: 1,
    metricKey,
    periodKey: "2026-09",
    platform: "slack",
    channelId: "C1",
    threadId: "1.1",
    status: "decided",
    decision: "Sales calls every demo request within a day.",
    decidedBy: "Ada",
    decidedAt: new Date("2026-10-05T09:00:00Z"),
    createdAt: new Date("2026-10-05T08:00:00Z"),
    outcome: null,
  });
  const measure = (facts: Fact[], targets: TargetSpec[], metricKey: string, dueAt: string) =>
    measureOutcome(deps(facts, targets), {
      workspaceId: 1,
      metricKey,
      baselinePeriod: september,
      dueAt: new Date(dueAt),
      zone,
    });
  const monthlyLeads: TargetSpec[] = [{ metric: "leads", grain: "month", department: null, value: 100 }];

  it("compares an additive metric checked mid-period pro rata: target and baseline scaled to the days measured", async () => {
    // 60 leads in September; 15 of November's 30 days measured
    const base = leads("sep", "2026-09-10", 60);
    const recovered = await measure([...base, ...leads("nov", "2026-11-03", 55)], monthlyLeads, "leads", "2026-11-16");
    expect(recovered).toMatchObject({ value: 55, target: 50, wholeTarget: 100, baseline: 30, wholeBaseline: 60 });
    expect(recovered.prorated).toBe(true);
    expect(recovered.verdict).toBe("recovered");
    const text = outcomeMessage({ ritual: ritual("leads"), outcome: recovered, zone }).text;
    expect(text).toContain("Outcome for Leads: recovered");
    expect(text).toContain("Value then: 55 for November 2026 so far (1–15 Nov)");
    expect(text).toContain("Target: 50, pro rata for 15 of 30 days of the monthly 100");
    expect(text).toContain("Change since the decision: ▲ 83.3% (September 2026: 60, 30 pro rata)");
    expect(text).toContain("Sales calls every demo request within a day.");

    const notYet = await measure([...base, ...leads("nov", "2026-11-03", 40)], monthlyLeads, "leads", "2026-11-16");
    expect(notYet.verdict).toBe("not_yet");
    const worse = await measure([...base, ...leads("nov", "2026-11-03", 25)], monthlyLeads, "leads", "2026-11-16");
    expect(worse.verdict).toBe("worse");
    expect(outcomeMessage({ ritual: ritual("leads"), outcome: worse, zone }).text).toContain(
      "Worse: further from the target than when you decided.",
    );
  });

  it("measures a whole period at its end without pro rata", async () => {
    const facts = [...leads("sep", "2026-09-10", 60), ...leads("oct", "2026-10-20", 90)];
    const whole = await measure(facts, monthlyLeads, "leads", "2026-11-01");
    expect(whole).toMatchObject({ value: 90, target: 100, baseline: 60, prorated: false, verdict: "not_yet" });
    expect(outcomeMessage({ ritual: ritual("leads"), outcome: whole, zone }).text).toContain(
      "Value then: 90 for October 2026",
    );
  });

  it("keeps a rate's target and baseline whole mid-period and says its change in percentage points", async () => {
    const rate = (prefix: string, day: string, mqls: number, sqls: number) => [
      ...Array.from({ length: mqls }, (_, i) => fact("mql", day, `${prefix}-${i}`)),
      ...Array.from({ length: sqls }, (_, i) => fact("sql", day, `${prefix}-${i}`)),
    ];
    const targets: TargetSpec[] = [{ metric: "mql_to_sql_rate", grain: "month", department: null, value: 0.5 }];
    const base = rate("sep", "2026-09-10", 10, 3);
    const worse = await measure(
      [...base, ...rate("nov", "2026-11-05", 20, 5)],
      targets,
      "mql_to_sql_rate",
      "2026-11-16",
    );
    expect(worse).toMatchObject({ value: 0.25, target: 0.5, baseline: 0.3, prorated: false, verdict: "worse" });
    const text = outcomeMessage({ ritual: ritual("mql_to_sql_rate"), outcome: worse, zone }).text;
    expect(text).toContain("Value then: 25.0% for November 2026 so far (1–15 Nov)");
    expect(text).toContain("Target: 50.0%");
    expect(text).toContain("Change since the decision: ▼ 5.0 pp (September 2026: 30.0%)");

    const better = await measure(
      [...base, ...rate("nov", "2026-11-05", 10, 4)],
      targets,
      "mql_to_sql_rate",
      "2026-11-16",
    );
    expect(better.verdict).toBe("not_yet");
    expect(outcomeMessage({ ritual: ritual("mql_to_sql_rate"), outcome: better, zone }).text).toContain("▲ 10.0 pp");
  });

  it("says there is no data when the window has nothing to measure", async () => {
    const targets: TargetSpec[] = [{ metric: "cac", grain: "month", department: null, value: 4500 }];
    const september = [spend("2026-09-05", "marketing", 10_000), won("2026-09-20", "acme", 1000)];
    const none = await measure(september, targets, "cac", "2026-11-01");
    expect(none).toMatchObject({ value: null, baseline: 10_000, verdict: "no_data" });
    expect(outcomeMessage({ ritual: ritual("cac"), outcome: none, zone }).text).toContain(
      "No data: there are no numbers for October 2026, so this can't be judged.",
    );
    const recovered = await measure(
      [...september, spend("2026-10-05", "marketing", 8000), won("2026-10-07", "a", 1), won("2026-10-08", "b", 1)],
      targets,
      "cac",
      "2026-11-01",
    );
    expect(recovered).toMatchObject({ value: 4000, verdict: "recovered" });
    expect(outcomeMessage({ ritual: ritual("cac"), outcome: recovered, zone }).text).toContain(
      "Change since the decision: ▼ 60.0% (September 2026: $10,000)",
    );
  });
});
