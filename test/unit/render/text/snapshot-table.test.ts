import { describe, expect, it } from "vitest";
import { buildCatalog } from "../../../../src/core/kpi/catalog.ts";
import { parsePeriod } from "../../../../src/core/kpi/periods.ts";
import { DEFAULT_KPI_SETTINGS, type MetricResult, type Snapshot } from "../../../../src/core/kpi/types.ts";
import { renderSnapshotText } from "../../../../src/render/text/snapshot-table.ts";

const NOW = new Date("2026-10-15T00:00:00Z");
const catalog = buildCatalog(DEFAULT_KPI_SETTINGS);

function metric(key: string, overrides: Partial<MetricResult>): MetricResult {
  const def = catalog.get(key);
  if (!def) throw new Error(`no metric ${key}`);
  return {
    key,
    name: def.name,
    unit: def.unit,
    value: null,
    previous: null,
    change: null,
    target: null,
    status: null,
    owners: def.owners,
    breakdown: null,
    ...overrides,
  };
}

const period = parsePeriod("2026-09", NOW, "UTC");

describe("renderSnapshotText", () => {
  it("names the period and the one it is compared with", () => {
    const text = renderSnapshotText({ period, metrics: [metric("leads", { value: 10 })] }, catalog);
    expect(text.split("\n")[0]).toBe("KPI snapshot: September 2026 (change vs August 2026)");
  });

  it("shows values, changes with arrows and the better/worse word chat uses, respecting the better direction", () => {
    const snapshot: Snapshot = {
      period,
      metrics: [
        metric("cac", { value: 1234.5, previous: 1400, change: -0.118 }),
        metric("new_revenue", { value: 157_500, previous: 150_000, change: 0.05 }),
        metric("win_rate", { value: 0.314, previous: null, change: null }),
        metric("nps", { value: 32.4, previous: 32.4, change: 0 }),
      ],
    };
    expect(renderSnapshotText(snapshot, catalog)).toBe(
      [
        "KPI snapshot: September 2026 (change vs August 2026)",
        "",
        "Metric                     Value    Change",
        "Customer acquisition cost  1,235    ▼ 11.8% (better)",
        "New revenue                157,500  ▲ 5.0% (better)",
        "Win rate                   31.4%    n/a",
        "Net Promoter Score         32       → 0.0%",
      ].join("\n"),
    );
  });

  it("adds target and status columns when a metric has a target", () => {
    const snapshot: Snapshot = {
      period,
      metrics: [
        metric("cac", { value: 1234.5, change: 0.2, target: 1300, status: "on_track" }),
        metric("leads", { value: null, target: null }),
      ],
    };
    const lines = renderSnapshotText(snapshot, catalog).split("\n");
    expect(lines[2]).toMatch(/^Metric\s+Value\s+Change\s+Target\s+Status$/);
    expect(lines[3]).toMatch(/^Customer acquisition cost\s+1,235\s+▲ 20\.0% \(worse\)\s+1,300\s+on track$/);
    expect(lines[4]).toMatch(/^Leads\s+n\/a\s+n\/a\s+–$/);
  });

  it("lists a breakdown under its metric, largest first", () => {
    const snapshot: Snapshot = {
      period,
      metrics: [
        metric("revenue_by_channel", {
          value: 157_500,
          breakdown: { webinar: 20_000, paid_search: 100_000, outbound: 37_500 },
        }),
      ],
    };
    const lines = renderSnapshotText(snapshot, catalog).split("\n");
    expect(lines.slice(3).map((line) => line.trim().split(/\s{2,}/))).toEqual([
      [catalog.get("revenue_by_channel")?.name, "157,500", "n/a"],
      ["paid_search", "100,000"],
      ["outbound", "37,500"],
      ["webinar", "20,000"],
    ]);
  });

  it("gives no verdict on a change without the catalog", () => {
    const text = renderSnapshotText({ period, metrics: [metric("cac", { value: 1000, change: -0.5 })] });
    expect(text).toContain("▼ 50.0%");
    expect(text).not.toMatch(/better|worse/);
  });

  it("shows a rate's change in percentage points, money in the workspace currency, and where a target came from", () => {
    const week = parsePeriod("2026-W38", NOW, "UTC");
    const snapshot: Snapshot = {
      period: week,
      metrics: [
        metric("mql_to_sql_rate", {
          value: 0.37,
          previous: 0.378,
          change: -0.0212,
          target: 0.38,
          targetFrom: { grain: "month", value: 0.38, rule: "same" },
          status: "at_risk",
        }),
        metric("new_revenue", {
          value: 50_000,
          previous: 40_000,
          change: 0.25,
          currency: "EUR",
          target: (200_000 * 7) / 30.436875,
          targetFrom: { grain: "month", value: 200_000, rule: "pro_rata" },
          status: "on_track",
        }),
      ],
    };
    const lines = renderSnapshotText(snapshot, catalog).split("\n");
    expect(lines[3]).toMatch(
      /^MQL to SQL rate\s+37\.0%\s+▼ 0\.8 pp \(worse\)\s+38\.0%, from the monthly target\s+at risk$/,
    );
    expect(lines[4]).toMatch(
      /^New revenue\s+€50,000\s+▲ 25\.0% \(better\)\s+€45,997, pro rata from the monthly €200,000\s+on track$/,
    );
  });

  it("says so when there is nothing to show", () => {
    expect(renderSnapshotText({ period, metrics: [] })).toContain("No metrics to show.");
  });
});
