import { describe, expect, it } from "vitest";
import { alertWindows } from "../../../../src/core/alerts/alert-windows.ts";
import { evaluateAlert, nextStep } from "../../../../src/core/alerts/evaluate-alert.ts";
import { parseAlertRule } from "../../../../src/core/alerts/parse-alert-rule.ts";
import { buildCatalog } from "../../../../src/core/kpi/catalog.ts";
import { DEFAULT_KPI_SETTINGS } from "../../../../src/core/kpi/types.ts";

const catalog = buildCatalog(DEFAULT_KPI_SETTINGS);
const rule = (text: string) => parseAlertRule(text, catalog);
const metric = (key: string) => {
  const def = catalog.get(key);
  if (!def) throw new Error(key);
  return def;
};
const complete = { elapsed: 1, baseScale: 1 };
const judge = (text: string, numbers: Parameters<typeof evaluateAlert>[3], windows = complete) => {
  const r = rule(text);
  return evaluateAlert(r, metric(r.metric), windows, numbers);
};

describe("judging a rule on its numbers", () => {
  it("crosses a line only past it, in the rule's direction", () => {
    expect(judge("cac above 5000 last month", { value: 5001 }).state).toBe("crossed");
    expect(judge("cac above 5000 last month", { value: 5000 }).state).toBe("within");
    expect(judge("cac below 5000 last month", { value: 4999 }).state).toBe("crossed");
    expect(judge("mql_to_sql_rate below 30% last month", { value: 0.3 }).state).toBe("within");
    expect(judge("mql_to_sql_rate below 30% last month", { value: 0.29 }).state).toBe("crossed");
  });

  it("fires once per crossing and re-arms only back within bounds", () => {
    const crossed = judge("leads below 200 last month", { value: 150 });
    const within = judge("leads below 200 last month", { value: 250 });
    const quiet = judge("leads below 200 last month", { value: null });
    expect(nextStep("armed", crossed)).toBe("fire");
    expect(nextStep("firing", crossed)).toBe("stay");
    expect(nextStep("firing", quiet)).toBe("stay");
    expect(nextStep("firing", within)).toBe("rearm");
    expect(nextStep("armed", within)).toBe("stay");
    expect(nextStep("armed", quiet)).toBe("stay");
  });

  it("stays quiet while the minimum volume is not reached, and judges from it on", () => {
    const text = "mql_to_sql_rate below 30% last month when leads ≥ 50";
    expect(judge(text, { value: 0.1, volume: 49 })).toEqual({ state: "quiet", reason: "leads is under 50" });
    expect(judge(text, { value: 0.1, volume: null }).state).toBe("quiet");
    expect(judge(text, { value: 0.1, volume: 50 }).state).toBe("crossed");
  });

  it("holds a running period's additive metric to the line pro rata, and a rate to the line itself", () => {
    // 10 of 30 days of September: 200 leads a month means 66.7 by now
    const windows = alertWindows(rule("leads below 200"), new Date("2026-09-11T00:00:00Z"), "UTC");
    expect(windows.elapsed).toBeCloseTo(10 / 30, 12);
    const leads = judge("leads below 200", { value: 70 }, windows);
    expect(leads).toMatchObject({ state: "within", proRata: 10 / 30 });
    expect(leads.state !== "quiet" && leads.against).toBeCloseTo(66.667, 3);
    expect(judge("leads below 200", { value: 60 }, windows).state).toBe("crossed");
    expect(judge("cac above 5000", { value: 5100 }, windows)).toMatchObject({
      state: "crossed",
      proRata: null,
      against: 5000,
    });
  });

  it("compares a change with the previous period pro rata, and a percent metric in points", () => {
    const windows = alertWindows(rule("leads drops 15%"), new Date("2026-09-16T00:00:00Z"), "UTC");
    expect(windows.base?.key).toBe("2026-08");
    expect(windows.baseScale).toBeCloseTo(15 / 31, 12);
    // 310 leads in August are 150 by the 15th of September: 120 is 20 % down
    const drop = judge("leads drops 15%", { value: 120, base: 310 }, windows);
    expect(drop).toMatchObject({ state: "crossed" });
    expect(drop.state !== "quiet" && drop.change).toBeCloseTo(-0.2, 12);
    expect(judge("leads drops 15%", { value: 130, base: 310 }, windows).state).toBe("within");
    const points = judge("mql_to_sql_rate drops 15% last month", { value: 0.25, base: 0.4 });
    expect(points).toMatchObject({ state: "crossed", proRata: null });
    expect(points.state !== "quiet" && points.change).toBeCloseTo(-15, 9);
    expect(judge("mql_to_sql_rate drops 15% last month", { value: 0.26, base: 0.4 }).state).toBe("within");
    expect(judge("leads rises 10% last month", { value: 5, base: 0 }).state).toBe("quiet");
  });

  it("compares with the same period a year earlier across a leap day", () => {
    // February 2028 has 29 days, February 2027 28: 290 leads match 280 a year earlier
    const r = rule("leads drops 1% vs last year last month");
    const windows = alertWindows(r, new Date("2028-03-05T10:00:00Z"), "UTC");
    expect(windows.full.key).toBe("2028-02");
    expect(windows.base?.key).toBe("2027-02");
    expect(windows.baseScale).toBeCloseTo(29 / 28, 12);
    expect(evaluateAlert(r, metric("leads"), windows, { value: 290, base: 280 }).state).toBe("within");
    expect(evaluateAlert(r, metric("leads"), windows, { value: 280, base: 280 }).state).toBe("crossed");
    // the running February on the leap day itself, at noon: 28.5 days against a 28-day year-ago month
    const running = alertWindows(rule("leads drops 1% vs last year"), new Date("2028-02-29T12:00:00Z"), "UTC");
    expect(running.elapsed).toBeCloseTo(28.5 / 29, 12);
    expect(running.baseScale).toBeCloseTo(28.5 / 28, 12);
    // the week holding 29 February 2028 (W09) against W09 of 2027, weekdays aligned
    const week = alertWindows(rule("leads drops 1% vs last year last week"), new Date("2028-03-07T00:00:00Z"), "UTC");
    expect([week.full.key, week.base?.key, week.baseScale]).toEqual(["2028-W09", "2027-W09", 1]);
  });

  it("goes off track against the target in force, pro rata while the period runs", () => {
    expect(judge("win_rate off track last month", { value: 0.15, target: 0.25 }).state).toBe("crossed");
    expect(judge("win_rate off track last month", { value: 0.24, target: 0.25 }).state).toBe("within");
    expect(judge("win_rate at risk last month", { value: 0.24, target: 0.25 }).state).toBe("crossed");
    expect(judge("win_rate off track last month", { value: 0.1, target: null }).state).toBe("quiet");
    const windows = { elapsed: 0.5, baseScale: 1 };
    expect(judge("leads off track", { value: 60, target: 100 }, windows)).toMatchObject({
      state: "within",
      against: 50,
      proRata: 0.5,
    });
    expect(judge("leads off track", { value: 40, target: 100 }, windows).state).toBe("crossed");
  });
});
