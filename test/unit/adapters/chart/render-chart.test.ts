import { createCanvas, loadImage } from "@napi-rs/canvas";
import { describe, expect, it } from "vitest";
import { renderChartPng } from "../../../../src/adapters/chart/render-chart.ts";
import type { DigestMetric } from "../../../../src/core/digest/build-digest.ts";
import { digestChartSpec } from "../../../../src/core/digest/chart.ts";
import { parsePeriod, shiftPeriod } from "../../../../src/core/kpi/periods.ts";

const last = parsePeriod("2026-W47", new Date("2026-12-01T00:00:00Z"), "UTC");

function metric(key: string, name: string, unit: DigestMetric["unit"]): DigestMetric {
  return {
    key,
    name,
    unit,
    value: null,
    previous: null,
    change: null,
    target: null,
    status: null,
    owners: ["marketing", "sales"],
    breakdown: null,
    better: "up",
  };
}

const METRICS = [
  metric("mqls", "Marketing-qualified leads", "count"),
  metric("sqls", "Sales-qualified leads", "count"),
  metric("mql_to_sql_rate", "MQL to SQL rate", "percent"),
  metric("new_revenue", "New revenue", "currency"),
  metric("arpa", "Average revenue per account", "currency"),
  metric("sales_cycle_days", "Sales cycle", "days"),
  metric("revenue_by_channel", "Revenue by channel", "currency"),
  metric("collaboration_score", "Collaboration score", "score"),
];

const SERIES = Array.from({ length: 8 }, (_, i) => ({
  period: shiftPeriod(last, i - 7),
  values: {
    mqls: 40 + i * 3,
    sqls: 20 + i,
    mql_to_sql_rate: 0.5 + i * 0.01,
    new_revenue: i === 3 ? null : 100_000 + i * 9_000,
    arpa: 150 + i,
    sales_cycle_days: 30 - i,
    revenue_by_channel: 1,
    collaboration_score: 3,
  },
}));

describe("the digest chart", () => {
  it("puts each unit in its own panel, leaving out pulse scores and repeated totals", () => {
    const spec = digestChartSpec({ title: "Shared metrics", metrics: METRICS, series: SERIES });
    expect(spec?.labels).toEqual(SERIES.map((p) => p.period.key));
    expect(spec?.panels.map((p) => [p.title, p.scale, p.series.map((s) => s.key)])).toEqual([
      ["Volumes", "linear", ["mqls", "sqls"]],
      ["Rates (%)", "linear", ["mql_to_sql_rate"]],
      ["Money", "logarithmic", ["new_revenue", "arpa"]],
      ["Days", "linear", ["sales_cycle_days"]],
    ]);
    expect(spec?.panels[1]?.series[0]?.values[0]).toBeCloseTo(50, 9);
    expect(spec?.altText).toContain("Volumes: Marketing-qualified leads 40 to 61, Sales-qualified leads 20 to 27.");
    expect(spec?.altText).toContain("Rates (%): MQL to SQL rate 50.0% to 57.0%.");
    expect(spec?.altText.length).toBeLessThanOrEqual(1_000);
  });

  it("has nothing to draw with fewer than two periods", () => {
    expect(digestChartSpec({ title: "x", metrics: METRICS, series: SERIES.slice(0, 1) })).toBeNull();
  });

  it("renders as a PNG with Chart.js on a server-side canvas", async () => {
    const spec = digestChartSpec({ title: "Shared metrics · Week 47 2026", metrics: METRICS, series: SERIES });
    if (!spec) throw new Error("no chart");
    const png = await renderChartPng(spec);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer, png.byteOffset);
    // IHDR: width and height, two columns of panels and two rows
    expect(view.getUint32(16)).toBe(2 * 640 + 3 * 16);
    expect(view.getUint32(20)).toBe(56 + 2 * (340 + 16) + 16);
    // every panel has something drawn in it (lines, axes, legend), not just the page
    const image = await loadImage(Buffer.from(png));
    const canvas = createCanvas(image.width, image.height);
    const ctx = canvas.getContext("2d");
    ctx.drawImage(image, 0, 0);
    for (const [x, y] of [
      [16, 56],
      [672, 56],
      [16, 412],
      [672, 412],
    ] as const) {
      const { data } = ctx.getImageData(x, y, 640, 340);
      let inked = 0;
      for (let i = 0; i < data.length; i += 4) if ((data[i] ?? 255) < 200) inked++;
      expect(inked, `panel at ${x},${y}`).toBeGreaterThan(2_000);
    }
    if (process.env.TANDEM_WRITE_CHART) (await import("node:fs")).writeFileSync(process.env.TANDEM_WRITE_CHART, png);
  });
});
