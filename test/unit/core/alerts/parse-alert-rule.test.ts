import { describe, expect, it } from "vitest";
import { parseAlertRule, ruleText } from "../../../../src/core/alerts/parse-alert-rule.ts";
import { buildCatalog } from "../../../../src/core/kpi/catalog.ts";
import { DEFAULT_KPI_SETTINGS } from "../../../../src/core/kpi/types.ts";

const catalog = buildCatalog(DEFAULT_KPI_SETTINGS);
const parse = (text: string) => parseAlertRule(text, catalog);
const unitOf = (key: string) => catalog.get(key)?.unit;
const error = (text: string) => {
  try {
    parse(text);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`"${text}" parsed`);
};

describe("the alert rule grammar", () => {
  it("reads a line to cross, above or below, in the metric's unit", () => {
    expect(parse("cac above 5000")).toEqual({
      metric: "cac",
      condition: { kind: "above", value: 5000 },
      window: { grain: "month", toDate: true },
      minimum: null,
    });
    expect(parse("Customer acquisition cost is over $5,000").condition).toEqual({ kind: "above", value: 5000 });
    expect(parse("leads below 200").condition).toEqual({ kind: "below", value: 200 });
    expect(parse("mql_to_sql_rate under 30%").condition).toEqual({ kind: "below", value: 0.3 });
    expect(parse("mql_to_sql_rate under 30 %").condition).toEqual({ kind: "below", value: 0.3 });
    expect(parse("mql_to_sql_rate below 0.3").condition).toEqual({ kind: "below", value: 0.3 });
  });

  it("reads a change against the previous period or the same period a year earlier", () => {
    expect(parse("leads drops 15%").condition).toEqual({ kind: "drops", by: 0.15, points: false, vs: "previous" });
    expect(parse("new_revenue rises by 20% vs last year").condition).toEqual({
      kind: "rises",
      by: 0.2,
      points: false,
      vs: "year_ago",
    });
    expect(parse("leads falls 10% year over year").condition).toMatchObject({ kind: "drops", vs: "year_ago" });
    expect(parse("leads grows 10% vs previous period").condition).toMatchObject({ kind: "rises", vs: "previous" });
  });

  it("reads a percent metric's change in percentage points, whichever way it is written", () => {
    const points = { kind: "drops", by: 15, points: true, vs: "year_ago" };
    expect(parse("mql_to_sql_rate drops 15% vs last year").condition).toEqual(points);
    expect(parse("mql_to_sql_rate drops 15 pp vs last year").condition).toEqual(points);
    expect(parse("mql_to_sql_rate drops 15pp vs last year").condition).toEqual(points);
    expect(parse("mql_to_sql_rate drops 15 points vs last year").condition).toEqual(points);
  });

  it("reads a status change", () => {
    expect(parse("win_rate off track").condition).toEqual({ kind: "status", status: "off_track" });
    expect(parse("win rate goes off track").condition).toEqual({ kind: "status", status: "off_track" });
    expect(parse("cac is at risk").condition).toEqual({ kind: "status", status: "at_risk" });
  });

  it("reads the window: running to date, or the last complete period", () => {
    expect(parse("leads below 200 this week").window).toEqual({ grain: "week", toDate: true });
    expect(parse("leads below 200 month to date").window).toEqual({ grain: "month", toDate: true });
    expect(parse("leads below 200 qtd").window).toEqual({ grain: "quarter", toDate: true });
    expect(parse("leads below 200 last month").window).toEqual({ grain: "month", toDate: false });
    expect(parse("leads drops 10% vs last year last quarter").window).toEqual({ grain: "quarter", toDate: false });
  });

  it("reads a minimum volume with ≥, >= or at least", () => {
    const minimum = { metric: "leads", value: 50 };
    expect(parse("mql_to_sql_rate drops 15% when leads ≥ 50").minimum).toEqual(minimum);
    expect(parse("mql_to_sql_rate drops 15% when leads >= 50").minimum).toEqual(minimum);
    expect(parse("mql_to_sql_rate drops 15% when leads>=50").minimum).toEqual(minimum);
    expect(parse("mql_to_sql_rate drops 15% this week when leads at least 50")).toMatchObject({
      minimum,
      window: { grain: "week", toDate: true },
    });
  });

  it("writes every rule back in words it reads the same way", () => {
    for (const text of [
      "cac above 5000",
      "mql_to_sql_rate below 30% last week",
      "leads drops 15% vs last year",
      "mql_to_sql_rate drops 15 pp this quarter when leads ≥ 50",
      "win_rate at risk last month",
      "new revenue rises 12.5% mtd",
    ]) {
      const rule = parse(text);
      const written = ruleText(rule, unitOf);
      expect(parse(written), written).toEqual(rule);
    }
    expect(ruleText(parse("mql_to_sql_rate drops 15% vs last year"), unitOf)).toBe(
      "mql_to_sql_rate drops 15 pp vs last year this month",
    );
  });

  it("refuses what is not a rule, saying what was expected, with rules that work", () => {
    expect(error("")).toMatch(/Give a rule\. Rules read like `cac above 5000`/);
    expect(error("cac is high")).toMatch(/has no condition: say above, below, drops, rises, off track or at risk/);
    expect(error("cacc above 5000")).toMatch(/I don't know the metric “cacc” in this rule\. Did you mean: .*cac/);
    expect(error("cac above lots")).toMatch(/After “above”, give a number \(cac above 5000\)/);
    expect(error("mql_to_sql_rate below 30")).toMatch(/is a percentage: write 30% \(or 0\.3\)/);
    expect(error("cac above 50%")).toMatch(/cac is not a percentage/);
    expect(error("leads drops 15 pp")).toMatch(/changes by percent, not points: e\.g\. `leads drops 15%`/);
    expect(error("leads drops 15")).toMatch(/Give the change in percent, e\.g\. `leads drops 15%`/);
    expect(error("mql_to_sql_rate drops 0.15")).toMatch(
      /Say how many percentage points, e\.g\. `mql_to_sql_rate drops 15 pp`/,
    );
    expect(error("leads drops 0%")).toMatch(/must be more than 0/);
    expect(error("leads below 200 next month")).toMatch(/I don't understand “next month” in this rule.*last month/);
    expect(error("leads below 200 when leads 50")).toMatch(/After “when”, give a minimum volume as METRIC ≥ NUMBER/);
    expect(error("leads below 200 when visitors ≥ 50")).toMatch(/I don't know the metric “visitors” after “when”/);
    expect(error("cac above 5000 vs last year")).toMatch(/Only a change compares with another period/);
    expect(error(`cac above 5000 ${"x".repeat(1_000)}`)).toMatch(/at most 1000 characters/);
  });
});
