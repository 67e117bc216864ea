import { describe, expect, it } from "vitest";
import { AppError, ErrorCode } from "../../../../src/core/errors.ts";
import type { Fact } from "../../../../src/core/facts/fact.ts";
import { BUILTIN_METRICS, buildCatalog } from "../../../../src/core/kpi/catalog.ts";
import { computeSeries, computeSnapshot, type KpiEngineDeps } from "../../../../src/core/kpi/engine.ts";
import { DEFAULT_KPI_SETTINGS, type KpiSettings, type MetricResult } from "../../../../src/core/kpi/types.ts";
import { mrr, period, referenceStats, won } from "./kpi-kit.ts";
import { SEPTEMBER_BREAKDOWNS, SEPTEMBER_FACTS, SEPTEMBER_PULSES, SEPTEMBER_VALUES } from "./september-fixture.ts";

const ALL_KEYS = BUILTIN_METRICS.map((m) => m.key);

function deps(facts: Fact[], settings: Partial<KpiSettings> = {}) {
  const full: KpiSettings = { ...DEFAULT_KPI_SETTINGS, grossMargin: 0.8, ...settings };
  const stats = referenceStats(facts, SEPTEMBER_PULSES);
  const engine: KpiEngineDeps = { stats, settings: full, catalog: buildCatalog(full) };
  return { engine, stats };
}

function byKey(metrics: MetricResult[]): Record<string, MetricResult> {
  return Object.fromEntries(metrics.map((m) => [m.key, m]));
}

describe("computeSnapshot", () => {
  it("computes every built-in metric of the hand-computed month", async () => {
    const { engine } = deps(SEPTEMBER_FACTS);
    const snapshot = await computeSnapshot(engine, { workspaceId: 1, period: period("2026-09"), metricKeys: ALL_KEYS });
    expect(snapshot.period.key).toBe("2026-09");
    expect(snapshot.metrics.map((m) => m.key)).toEqual(ALL_KEYS);
    for (const metric of snapshot.metrics) {
      const expected = SEPTEMBER_VALUES[metric.key];
      if (expected === null || expected === undefined) expect(metric.value, metric.key).toBeNull();
      else expect(metric.value, metric.key).toBeCloseTo(expected, 9);
    }
  });

  it("attaches breakdowns to the metrics that have one, null elsewhere", async () => {
    const { engine } = deps(SEPTEMBER_FACTS);
    const snapshot = await computeSnapshot(engine, { workspaceId: 1, period: period("2026-09"), metricKeys: ALL_KEYS });
    const metrics = byKey(snapshot.metrics);
    for (const [key, breakdown] of Object.entries(SEPTEMBER_BREAKDOWNS))
      expect(metrics[key]?.breakdown).toEqual(breakdown);
    expect(metrics.cac?.breakdown).toBeNull();
    expect(metrics.new_revenue?.breakdown).toBeNull();
  });

  it("gives the previous period's value and the change, growth metrics included", async () => {
    const { engine } = deps(SEPTEMBER_FACTS);
    const snapshot = await computeSnapshot(engine, {
      workspaceId: 1,
      period: period("2026-09"),
      metricKeys: ["new_revenue", "new_revenue_growth", "mrr", "mrr_growth", "leads"],
    });
    const m = byKey(snapshot.metrics);
    expect(m.new_revenue).toMatchObject({ value: 21_000, previous: 14_000, change: 0.5 });
    expect(m.new_revenue_growth).toMatchObject({ value: 0.5, previous: 1, change: -0.5 }); // Aug vs July: 14,000 / 7,000
    expect(m.mrr).toMatchObject({ value: 590, previous: 440 });
    expect(m.mrr_growth?.previous).toBeCloseTo(3.4, 12); // Aug: 440 vs 100 at Aug 1
    expect(m.leads).toMatchObject({ value: 5, previous: 1, change: 4 }); // August's only lead was e1
  });

  it("carries name, unit, owners, target and status", async () => {
    const { engine } = deps(SEPTEMBER_FACTS, {
      targets: [
        { metric: "cac", grain: "month", department: null, value: 2_800 }, // 3,000 is within 10 %: at risk
        { metric: "cac", grain: "month", department: "sales", value: 3_500 }, // met
        { metric: "leads", grain: "month", department: null, value: 10 },
      ],
    });
    const ask = (department: string | null) =>
      computeSnapshot(engine, { workspaceId: 1, period: period("2026-09"), metricKeys: ["cac", "leads"], department });
    const company = byKey((await ask(null)).metrics);
    expect(company.cac).toMatchObject({
      name: "Customer acquisition cost",
      unit: "currency",
      owners: ["marketing", "sales"],
      target: 2_800,
      status: "at_risk",
    });
    expect(company.leads).toMatchObject({ target: 10, status: "off_track" });
    const sales = byKey((await ask("sales")).metrics);
    expect(sales.cac).toMatchObject({ target: 3_500, status: "on_track" });
    expect(sales.leads).toMatchObject({ target: 10 });
    // a week has no target of its own: CAC keeps the monthly number, leads are pro rata
    const week = byKey(
      (await computeSnapshot(engine, { workspaceId: 1, period: period("2026-W38"), metricKeys: ["cac", "leads"] }))
        .metrics,
    );
    expect(week.cac).toMatchObject({ target: 2_800, targetFrom: { grain: "month", value: 2_800, rule: "same" } });
    expect(week.leads?.target).toBeCloseTo((10 * 7) / 30.436875, 12);
    expect(week.leads?.targetFrom).toEqual({ grain: "month", value: 10, rule: "pro_rata" });
    expect(company.cac?.targetFrom).toBeUndefined();
  });

  it("marks money with the workspace currency", async () => {
    const { engine } = deps(SEPTEMBER_FACTS, { currency: "EUR" });
    const metrics = byKey(
      (await computeSnapshot(engine, { workspaceId: 1, period: period("2026-09"), metricKeys: ["cac", "leads"] }))
        .metrics,
    );
    expect(metrics.cac?.currency).toBe("EUR");
    expect(metrics.leads?.currency).toBeUndefined();
  });

  it("evaluates custom metrics over built-in and other custom metrics", async () => {
    const { engine } = deps(SEPTEMBER_FACTS, {
      customMetrics: [
        {
          key: "double_romi",
          name: "Twice the revenue multiple",
          description: "",
          unit: "ratio",
          better: "up",
          owners: ["marketing"],
          aliases: [],
          formula: "2 * revenue_multiple",
        },
        {
          key: "revenue_multiple",
          name: "Revenue per marketing spend",
          description: "",
          unit: "ratio",
          better: "up",
          owners: ["marketing", "sales"],
          aliases: [],
          formula: "new_revenue / marketing_spend",
        },
      ],
    });
    const snapshot = await computeSnapshot(engine, {
      workspaceId: 1,
      period: period("2026-09"),
      metricKeys: ["double_romi", "revenue_multiple"],
    });
    const m = byKey(snapshot.metrics);
    expect(m.revenue_multiple).toMatchObject({ value: 3.5, previous: null, change: null, breakdown: null });
    expect(m.double_romi?.value).toBe(7);
  });

  it("fetches each window once, in parallel, and only the inputs the metrics need", async () => {
    const { engine, stats } = deps(SEPTEMBER_FACTS);
    await computeSnapshot(engine, { workspaceId: 1, period: period("2026-09"), metricKeys: ["leads", "cac"] });
    // only the parts of the measures the two formulas (and their breakdowns) read
    expect(stats.calls.sort()).toEqual([
      "measures 2026-08-01..2026-09-01 [leads+customers+spend]",
      "measures 2026-09-01..2026-10-01 [leads+customers+spend]",
    ]);

    stats.calls.length = 0;
    await computeSnapshot(engine, { workspaceId: 1, period: period("2026-09"), metricKeys: ["mrr", "arr"] });
    expect(stats.calls.sort()).toEqual(["recurring 2026-08-01..2026-09-01", "recurring 2026-09-01..2026-10-01"]);

    stats.calls.length = 0;
    await computeSnapshot(engine, { workspaceId: 1, period: period("2026-09"), metricKeys: ALL_KEYS });
    // The period before the previous gives only the previous growths' bases: its new
    // revenue and the mrr at its end (an instant the other recurring calls share).
    expect(stats.calls.sort()).toEqual([
      "measures 2026-08-01..2026-09-01",
      "measures 2026-09-01..2026-10-01",
      "newRevenue 2026-07-01..2026-08-01",
      "recurring 2026-08-01..2026-08-01",
      "recurring 2026-08-01..2026-09-01",
      "recurring 2026-09-01..2026-10-01",
    ]);
  });

  it("takes the LTV churn over the calendar month before the end, across a month end", async () => {
    // Week 2026-W40 is [Sep 28, Oct 5): its churn window is [Sep 5, Oct 5).
    const facts = [
      mrr("2026-08-01", "d1", 100),
      mrr("2026-08-01", "d2", 100),
      mrr("2026-09-10", "d2", 0), // churns inside the month window, before the week
      mrr("2026-09-06", "d3", 100), // joins after the window start
      mrr("2026-09-01", "d4", 100),
    ];
    const { engine, stats } = deps(facts, { grossMargin: 1 });
    const snapshot = await computeSnapshot(engine, {
      workspaceId: 1,
      period: period("2026-W40"),
      metricKeys: ["customer_churn_rate", "arpa", "ltv"],
    });
    const m = byKey(snapshot.metrics);
    expect(m.customer_churn_rate?.value).toBe(0); // within the week nobody churned
    expect(m.arpa?.value).toBe(100);
    // Monthly churn: active at Sep 5 {d1, d2, d4}, retained at Oct 5 {d1, d4} → 1/3.
    expect(m.ltv?.value).toBeCloseTo(300, 9);
    expect(stats.calls).toContain("recurring 2026-09-05..2026-10-05");
  });

  it("rejects an unknown metric key", async () => {
    const { engine } = deps([]);
    const attempt = computeSnapshot(engine, { workspaceId: 1, period: period("2026-09"), metricKeys: ["nope"] });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: ErrorCode.NotFound });
  });

  it("answers n/a, not 0, for every ratio of an empty workspace", async () => {
    const { engine } = deps([]);
    const snapshot = await computeSnapshot(engine, { workspaceId: 1, period: period("2026-03"), metricKeys: ALL_KEYS });
    const m = byKey(snapshot.metrics);
    for (const key of ["cac", "cpl", "romi", "win_rate", "ltv", "ltv_to_cac", "arpa", "nps", "csat", "avg_deal_size"]) {
      expect(m[key]?.value, key).toBeNull();
    }
    expect(m.leads?.value).toBe(0);
    expect(m.revenue_by_channel?.breakdown).toEqual({});
  });
});

describe("computeSeries", () => {
  it("gives the last periods ending with the asked one, oldest first", async () => {
    const facts = [won("2026-07-10", "a", 7_000), won("2026-08-10", "b", 14_000), won("2026-09-10", "c", 21_000)];
    const { engine } = deps(facts);
    const series = await computeSeries(engine, {
      workspaceId: 1,
      metricKey: "new_revenue_growth",
      period: period("2026-09"),
      count: 3,
    });
    expect(series.map((point) => point.period.key)).toEqual(["2026-07", "2026-08", "2026-09"]);
    expect(series.map((point) => point.value)).toEqual([null, 1, 0.5]);
  });

  it("reads only what the metric's values need, each window once", async () => {
    const facts = [won("2026-07-10", "a", 7_000), mrr("2026-07-01", "a", 100), mrr("2026-08-15", "b", 50)];
    const { engine, stats } = deps(facts);
    const ask = (metricKey: string) =>
      computeSeries(engine, { workspaceId: 1, metricKey, period: period("2026-09"), count: 3 });

    expect((await ask("new_revenue_growth")).map((point) => point.value)).toEqual([null, -1, null]);
    expect(stats.calls.sort()).toEqual([
      "newRevenue 2026-06-01..2026-07-01",
      "newRevenue 2026-07-01..2026-08-01",
      "newRevenue 2026-08-01..2026-09-01",
      "newRevenue 2026-09-01..2026-10-01",
    ]);

    stats.calls.length = 0;
    expect((await ask("cac")).map((point) => point.value)).toEqual([0, null, null]); // no spend, one customer in July
    expect(stats.calls.sort()).toEqual([
      "measures 2026-07-01..2026-08-01 [customers+spend]",
      "measures 2026-08-01..2026-09-01 [customers+spend]",
      "measures 2026-09-01..2026-10-01 [customers+spend]",
    ]);

    stats.calls.length = 0;
    expect((await ask("mrr_growth")).map((point) => point.value)).toEqual([null, 0.5, 0]);
    expect(stats.calls.sort()).toEqual(
      [
        "recurring 2026-07-01..2026-08-01",
        "recurring 2026-07-01..2026-07-01",
        "recurring 2026-08-01..2026-09-01",
        "recurring 2026-09-01..2026-10-01",
      ].sort(),
    );
  });

  it("reads a sparkline's eight periods in one pass when the store can, each period its own value", async () => {
    const facts = [won("2026-02-10", "a", 1_000), won("2026-05-10", "b", 2_000), won("2026-09-10", "c", 4_000)];
    const { engine, stats } = deps(facts);
    const passes: string[][] = [];
    const iso = (t: number) => new Date(t).toISOString().slice(0, 7);
    const batched: KpiEngineDeps = {
      ...engine,
      stats: {
        ...stats,
        async measuresMany(workspaceId, windows) {
          passes.push(windows.map((w) => `measures ${iso(w.startMs)}`));
          return Promise.all(windows.map((w) => stats.measures(workspaceId, w)));
        },
        async newRevenueMany(workspaceId, windows) {
          passes.push(windows.map((w) => `newRevenue ${iso(w.startMs)}`));
          return Promise.all(windows.map((w) => stats.newRevenue?.(workspaceId, w) ?? 0));
        },
      },
    };
    const ask = (metricKey: string) =>
      computeSeries(batched, { workspaceId: 1, metricKey, period: period("2026-09"), count: 8 });

    expect((await ask("deals_won")).map((point) => point.value)).toEqual([1, 0, 0, 1, 0, 0, 0, 1]);
    expect(passes).toEqual([
      ["2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09"].map(
        (m) => `measures ${m}`,
      ),
    ]);

    passes.length = 0;
    expect((await ask("new_revenue")).map((point) => point.value)).toEqual([1_000, 0, 0, 2_000, 0, 0, 0, 4_000]);
    expect(passes).toHaveLength(1);
    expect(passes[0]).toHaveLength(8);

    passes.length = 0;
    await computeSnapshot(batched, { workspaceId: 1, period: period("2026-09"), metricKeys: ALL_KEYS });
    expect(passes).toEqual([["measures 2026-08", "measures 2026-09"], ["newRevenue 2026-07"]]);
  });
});
