import { describe, expect, it } from "vitest";
import { findBottleneck, getFunnel } from "../../../../src/core/kpi/get-funnel.ts";
import { DEFAULT_KPI_SETTINGS, type MetricResult } from "../../../../src/core/kpi/types.ts";
import { fact, referenceStats, won } from "./kpi-kit.ts";

const rate = (
  key: string,
  value: number | null,
  previous: number | null,
  target: number | null = null,
): MetricResult => ({
  key,
  name: key,
  unit: "percent",
  value,
  previous,
  change: value !== null && previous ? (value - previous) / previous : null,
  target,
  status: null,
  owners: [],
  breakdown: null,
});

describe("the funnel bottleneck", () => {
  it("is the hand-off that fell most against the previous period, relatively", () => {
    const bottleneck = findBottleneck([
      rate("lead_to_mql_rate", 0.3, 0.4), // −25 %
      rate("mql_to_sql_rate", 0.5, 0.5),
      rate("sql_to_opportunity_rate", 0.1, 0.2), // −50 %
      rate("opportunity_to_win_rate", 0.2, 0.19),
    ]);
    expect(bottleneck).toMatchObject({ from: "sql", to: "opportunity" });
    expect(bottleneck?.reason).toBe("sql_to_opportunity_rate fell 10.0 pp, from 20.0% to 10.0%.");
  });

  it("is the hand-off that missed its target most, when that is worse than any fall", () => {
    const bottleneck = findBottleneck([
      rate("lead_to_mql_rate", 0.38, 0.4, null), // −5 %
      rate("opportunity_to_win_rate", 0.2, 0.19, 0.4), // 50 % short of target
    ]);
    expect(bottleneck).toMatchObject({ from: "opportunity", to: "won" });
    expect(bottleneck?.reason).toContain("against a target of 40.0%");
  });

  it("is none when every hand-off held or improved and met its target", () => {
    expect(findBottleneck([rate("lead_to_mql_rate", 0.4, 0.3, 0.35), rate("mql_to_sql_rate", null, 0.5)])).toBeNull();
  });

  it("ignores hand-offs without a previous value or a target", () => {
    expect(findBottleneck([rate("lead_to_mql_rate", 0.1, null), rate("mql_to_sql_rate", 0.1, 0)])).toBeNull();
  });
});

describe("getFunnel", () => {
  /** `counts` entities enter each stage in turn (lead, MQL, SQL, opportunity, won) on `day` of the month. */
  const month = (prefix: string, yearMonth: string, counts: [number, number, number, number, number]) => {
    const kinds = ["lead", "mql", "sql", "opportunity"] as const;
    const facts = kinds.flatMap((kind, stage) =>
      Array.from({ length: counts[stage] ?? 0 }, (_, i) =>
        fact(kind, `${yearMonth}-${String(stage + 2).padStart(2, "0")}`, `${prefix}${i}`),
      ),
    );
    for (let i = 0; i < counts[4]; i++) facts.push(won(`${yearMonth}-20`, `${prefix}${i}`, 1_000));
    return facts;
  };
  const facts = [
    ...month("s", "2026-09", [10, 7, 5, 4, 3]),
    // a second deal with a customer: a won deal, not a new customer
    won("2026-09-25", "s0", 500, { segment: "upsell" }),
    ...month("a", "2026-08", [8, 5, 3, 2, 1]),
  ];
  const deps = {
    stats: referenceStats(facts),
    settingsSource: { load: async () => DEFAULT_KPI_SETTINGS },
    clock: { now: () => new Date("2026-10-14T09:00:00Z") },
  };

  it("assembles every stage with its own count and the previous period's, in funnel order", async () => {
    const funnel = await getFunnel(deps, { workspaceId: 1, zone: "UTC", period: "2026-09" });
    expect(funnel.period).toMatchObject({ key: "2026-09", startMs: Date.UTC(2026, 8, 1) });
    expect(funnel.stages).toEqual([
      { key: "lead", label: "Leads", count: 10, previous: 8 },
      { key: "mql", label: "MQLs", count: 7, previous: 5 },
      { key: "sql", label: "SQLs", count: 5, previous: 3 },
      { key: "opportunity", label: "Opportunities", count: 4, previous: 2 },
      { key: "won", label: "Won deals", count: 4, previous: 1 },
    ]);
  });

  it("gives each hand-off's conversion, now and before, in funnel order", async () => {
    const funnel = await getFunnel(deps, { workspaceId: 1, zone: "UTC", period: "2026-09" });
    expect(funnel.rates.map((r) => [r.key, r.value, r.previous])).toEqual([
      ["lead_to_mql_rate", 7 / 10, 5 / 8],
      ["mql_to_sql_rate", 5 / 7, 3 / 5],
      ["sql_to_opportunity_rate", 4 / 5, 2 / 3],
      ["opportunity_to_win_rate", 4 / 4, 1 / 2],
    ]);
    // every rate rose, and none has a target: no bottleneck
    expect(funnel.bottleneck).toBeNull();
  });

  it("reads the last complete month without a period, and has null counts for an empty one", async () => {
    const funnel = await getFunnel(deps, { workspaceId: 1, zone: "UTC" });
    expect(funnel.stages.map((s) => s.count)).toEqual([10, 7, 5, 4, 4]);
    const empty = await getFunnel(deps, { workspaceId: 1, zone: "UTC", period: "2025-01" });
    for (const stage of empty.stages) expect(stage.previous === null || stage.previous === 0).toBe(true);
    expect(empty.rates.every((r) => r.value === null)).toBe(true);
  });
});
