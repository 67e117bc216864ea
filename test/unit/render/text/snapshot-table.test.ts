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

  it("shows values, changes with arrows and a good/bad word that respects the better direction", () => {
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
        "Customer acquisition cost  1,235    ▼ 11.8% good",
        "New revenue                157,500  ▲ 5.0% good",
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
    expect(lines[3]).toMatch(/^Customer acquisition cost\s+1,235\s+▲ 20\.0% bad\s+1,300\s+on track$/);
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
    expect(text).not.toMatch(/good|bad/);
  });

  it("says so when there is nothing to show", () => {
    expect(renderSnapshotText({ period, metrics: [] })).toContain("No metrics to show.");
  });
});
