import { describe, expect, it } from "vitest";
import { buildDigest, digestJson, digestMessage } from "../../../../src/core/digest/build-digest.ts";
import { buildCatalog } from "../../../../src/core/kpi/catalog.ts";
import { formatMetricValue } from "../../../../src/core/kpi/format.ts";
import type { KpiSnapshotDeps } from "../../../../src/core/kpi/get-kpi-snapshot.ts";
import { DEFAULT_KPI_SETTINGS, type KpiSettings } from "../../../../src/core/kpi/types.ts";
import { checkMessage } from "../../../../src/core/messages/model.ts";
import { referenceStats } from "../kpi/kpi-kit.ts";
import { SEPTEMBER_FACTS, SEPTEMBER_PULSES, SEPTEMBER_VALUES } from "../kpi/september-fixture.ts";

const SETTINGS: KpiSettings = {
  ...DEFAULT_KPI_SETTINGS,
  grossMargin: 0.8,
  targets: [
    { metric: "new_revenue", grain: "month", department: null, value: 20_000 }, // 21,000: on track
    { metric: "new_revenue", grain: "month", department: "marketing", value: 25_000 }, // marketing's own: off track
    { metric: "cac", grain: "month", department: null, value: 2_800 }, // 3,000, within 10 %: at risk
    { metric: "mql_to_sql_rate", grain: "month", department: null, value: 0.9 }, // 75 %: off track, the bottleneck
    { metric: "leads", grain: "month", department: "marketing", value: 4 }, // 5: on track, marketing only
  ],
};

function deps(pulses = SEPTEMBER_PULSES): KpiSnapshotDeps {
  return {
    stats: referenceStats(SEPTEMBER_FACTS, pulses),
    settingsSource: { load: async () => SETTINGS },
    clock: { now: () => new Date("2026-10-15T09:00:00Z") },
  };
}

const SHARED = buildCatalog(SETTINGS)
  .shared()
  .map((def) => def.key);

describe("buildDigest on the hand-computed September", () => {
  it("carries every shared metric with the engine's numbers", async () => {
    const digest = await buildDigest(deps(), { workspaceId: 1, zone: "UTC", period: "2026-09" });
    expect(digest.period.key).toBe("2026-09");
    expect(digest.metrics.map((m) => m.key)).toEqual(SHARED);
    for (const metric of digest.metrics) {
      const expected = SEPTEMBER_VALUES[metric.key];
      if (expected === null || expected === undefined) expect(metric.value, metric.key).toBeNull();
      else expect(metric.value, metric.key).toBeCloseTo(expected, 9);
    }
    const byKey = Object.fromEntries(digest.metrics.map((m) => [m.key, m]));
    expect(byKey.new_revenue).toMatchObject({
      value: 21_000,
      previous: 14_000,
      change: 0.5,
      target: 20_000,
      status: "on_track",
    });
    expect(byKey.cac).toMatchObject({ value: 3_000, target: 2_800, status: "at_risk" });
    // the series behind the headline and the chart ends with these very numbers
    expect(digest.series.map((p) => p.period.key)).toEqual([
      "2025-12",
      "2026-01",
      "2026-02",
      "2026-03",
      "2026-04",
      "2026-05",
      "2026-06",
      "2026-07",
      "2026-08",
      "2026-09",
    ]);
    const last = digest.series[digest.series.length - 1];
    const previous = digest.series[digest.series.length - 2];
    for (const [key, value] of Object.entries(last?.values ?? {})) {
      expect(value, key).toBe(byKey[key]?.value);
      expect(previous?.values[key], key).toBe(byKey[key]?.previous);
    }
    expect(Object.keys(last?.values ?? {})).toContain("cac");
  });

  it("sums up: shared metrics on track and the biggest change", async () => {
    const digest = await buildDigest(deps(), { workspaceId: 1, zone: "UTC", period: "2026-09" });
    expect(digest.summary).toMatchObject({ sharedMetrics: SHARED.length, onTrack: 1, atRisk: 1, offTrack: 1 });
    expect(digest.summary.noTarget).toBe(SHARED.length - 3);
    // Before September the fixture has no MQLs at all: 0 → 4 is unlike any month before,
    // more unusual than new customers' 1 → 4 after a 0 → 1 in July.
    expect(digest.summary.biggestChange).toMatchObject({ key: "mqls", change: null, score: 99 });
    expect(digest.summary.text).toContain("1 of 3 shared metrics with a target on track (1 at risk, 1 off track)");
    expect(digest.summary.text).toContain(
      "biggest change for its history: Marketing-qualified leads, 0 → 4, a move unlike any other month since December 2025.",
    );
  });

  it("counts each department's own metrics against its own targets", async () => {
    const digest = await buildDigest(deps(), { workspaceId: 1, zone: "UTC", period: "2026-09" });
    const catalog = buildCatalog(SETTINGS);
    const marketing = digest.departments.find((d) => d.key === "marketing");
    const sales = digest.departments.find((d) => d.key === "sales");
    // marketing: leads on track (own target), new revenue off track (own target), cac at risk, MQL→SQL off track
    expect(marketing).toMatchObject({
      metrics: catalog.ownedBy("marketing").length,
      onTrack: 1,
      atRisk: 1,
      offTrack: 2,
    });
    // sales: new revenue on track (company target), cac at risk, MQL→SQL off track
    expect(sales).toMatchObject({ onTrack: 1, atRisk: 1, offTrack: 1 });
    expect(digest.departments.map((d) => d.key)).toEqual(["marketing", "sales", "product"]);
  });

  it("sets each pair of departments on the metrics they share", async () => {
    const digest = await buildDigest(deps(), { workspaceId: 1, zone: "UTC", period: "2026-09" });
    const pair = (a: string, b: string) =>
      digest.pairs.find((p) => p.departments.join() === `${a},${b}`)?.metricKeys ?? [];
    expect(pair("marketing", "sales")).toEqual(
      expect.arrayContaining(["mqls", "sqls", "mql_to_sql_rate", "cac", "new_revenue"]),
    );
    expect(pair("sales", "product")).toEqual(
      expect.arrayContaining(["customer_retention_rate", "customer_churn_rate", "new_revenue", "nps"]),
    );
    expect(pair("marketing", "product")).toContain("new_revenue");
    expect(pair("marketing", "product")).not.toContain("mql_to_sql_rate");
    // the pulse metrics are every department's: they stand in the pulse side, not in every pair
    for (const p of digest.pairs) expect(p.metricKeys).not.toContain("collaboration_score");
  });

  it("names the funnel's bottleneck", async () => {
    const digest = await buildDigest(deps(), { workspaceId: 1, zone: "UTC", period: "2026-09" });
    expect(digest.funnel.bottleneck).toMatchObject({ from: "mql", to: "sql", metric: "mql_to_sql_rate" });
    expect(digest.funnel.stages.map((s) => [s.key, s.count])).toEqual([
      ["lead", 5],
      ["mql", 4],
      ["sql", 3],
      ["opportunity", 6],
      ["won", 5],
    ]);
  });

  it("gives the pulse side: collaboration by department, the gap, participation", async () => {
    const digest = await buildDigest(deps(), { workspaceId: 1, zone: "UTC", period: "2026-09" });
    expect(digest.pulse?.collaboration.value).toBe(3);
    expect(digest.pulse?.participation.value).toBe(0.7);
    expect(digest.pulse?.byDepartment).toEqual([
      { key: "marketing", name: "Marketing", score: 4 },
      { key: "sales", name: "Sales", score: 2 },
    ]);
    expect(digest.pulse?.gap).toMatchObject({ high: { key: "marketing" }, low: { key: "sales" }, points: 2 });
  });

  it("has no pulse side before any pulse closed", async () => {
    const digest = await buildDigest(deps([]), { workspaceId: 1, zone: "UTC", period: "2026-09" });
    expect(digest.pulse).toBeNull();
    expect(digestMessage(digest).text).toContain("no pulse survey closed in this period");
  });

  it("defaults to the last complete week", async () => {
    const digest = await buildDigest(deps(), { workspaceId: 1, zone: "UTC" });
    expect(digest.period.key).toBe("2026-W41"); // 15 Oct 2026 is in W42
  });
});

describe("digestMessage", () => {
  it("states every shared metric with its value, in text that stands alone", async () => {
    const digest = await buildDigest(deps(), { workspaceId: 1, zone: "UTC", period: "2026-09" });
    const message = digestMessage(digest);
    expect(checkMessage(message)).toEqual([]);
    const text = message.text;
    expect(text).toContain("Monthly alignment digest · September 2026");
    for (const metric of digest.metrics) {
      if (metric.key === "collaboration_score" || metric.key === "pulse_participation") continue;
      const line = text.split("\n").find((l) => l.startsWith(`• ${metric.name} — `));
      expect(line, metric.key).toBeDefined();
      expect(line).toContain(`Value: ${formatMetricValue(metric, metric.value)}`);
    }
    expect(text).toContain("Marketing × Sales");
    expect(text).toContain("Sales × Product");
    expect(text).toContain("All departments (Marketing × Sales × Product)");
    expect(text).toContain("• Customer acquisition cost — Value: $3,000, Target: $2,800, Status: at risk");
    expect(text).toContain("Funnel bottleneck: MQLs → SQLs.");
    expect(text).toContain("Pulse: collaboration 3.0 of 5");
    expect(text).toContain("participation 70.0%");
    expect(text).toContain("Gap between departments: 2.0 points, Marketing 4.0 and Sales 2.0.");
    expect(text).toContain("• Marketing — On track: 1, At risk: 1, Off track: 2");
  });

  it("shows each shared metric once, in the table of exactly the departments that own it", async () => {
    const digest = await buildDigest(deps(), { workspaceId: 1, zone: "UTC", period: "2026-09" });
    const tables = digestMessage(digest).blocks.filter((b) => b.type === "table");
    const names = tables.slice(1).flatMap((t) => (t.type === "table" ? t.rows.map((r) => r[0]) : []));
    const shownShared = digest.metrics.filter((m) => !["collaboration_score", "pulse_participation"].includes(m.key));
    expect(names.slice(0, shownShared.length).sort()).toEqual(shownShared.map((m) => m.name).sort());
  });
});

describe("digestJson", () => {
  it("carries the shared metrics in the contract's kpi shape", async () => {
    const digest = await buildDigest(deps(), { workspaceId: 1, zone: "UTC", period: "2026-09" });
    const json = JSON.parse(JSON.stringify(digestJson(digest)));
    expect(json.period).toEqual({ grain: "month", start: "2026-09-01T00:00:00.000Z", end: "2026-10-01T00:00:00.000Z" });
    expect(json.metrics.map((m: { key: string }) => m.key)).toEqual(SHARED);
    for (const metric of json.metrics) {
      expect(Object.keys(metric)).toEqual([
        "key",
        "name",
        "unit",
        "value",
        "previous",
        "change",
        "target",
        "status",
        "owners",
        "breakdown",
      ]);
    }
    expect(json.metrics.find((m: { key: string }) => m.key === "revenue_by_channel").breakdown).toEqual({
      webinar: 15_000,
      partner: 5_000,
      unknown: 1_000,
    });
    expect(json.bottleneck).toMatchObject({ from: "mql", to: "sql", metric: "mql_to_sql_rate" });
    expect(json.pulse).toMatchObject({
      collaborationScore: 3,
      participation: 0.7,
      byDepartment: { marketing: 4, sales: 2 },
    });
    expect(json.pairs[0].departments).toEqual(["marketing", "sales"]);
  });
});
