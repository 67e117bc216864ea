import { createCanvas, loadImage } from "@napi-rs/canvas";
import { describe, expect, it } from "vitest";
import {
  COLUMNS,
  PADDING,
  PANEL_HEIGHT,
  PANEL_WIDTH,
  panelConfig,
  panelOrigin,
  renderChartPng,
  TITLE_HEIGHT,
} from "../../../../src/adapters/chart/render-chart.ts";
import type { DigestMetric } from "../../../../src/core/digest/build-digest.ts";
import { digestChartSpec } from "../../../../src/core/digest/chart.ts";
import { parsePeriod, shiftPeriod } from "../../../../src/core/kpi/periods.ts";

const last = parsePeriod("2026-W47", new Date("2026-12-01T00:00:00Z"), "UTC");

function metric(
  key: string,
  name: string,
  unit: DigestMetric["unit"],
  extra: Partial<DigestMetric> = {},
): DigestMetric {
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
    ...extra,
  };
}

const METRICS = [
  metric("mqls", "Marketing-qualified leads", "count"),
  metric("mql_to_sql_rate", "MQL to SQL rate", "percent", {
    target: 0.38,
    targetFrom: { grain: "month", value: 0.38, rule: "same" },
  }),
  metric("new_revenue", "New revenue", "currency", {
    currency: "EUR",
    target: (200_000 * 7) / 30.436875,
    targetFrom: { grain: "month", value: 200_000, rule: "pro_rata" },
  }),
  metric("cac", "Customer acquisition cost", "currency", { currency: "EUR", better: "down" }),
  metric("sales_cycle_days", "Sales cycle", "days"),
  metric("new_revenue_growth", "New revenue growth", "percent"),
  metric("revenue_by_channel", "Revenue by channel", "currency"),
  metric("collaboration_score", "Collaboration score", "score"),
];

const SERIES = Array.from({ length: 8 }, (_, i) => ({
  period: shiftPeriod(last, i - 7),
  values: {
    mqls: 40 + i * 3,
    mql_to_sql_rate: 0.34 + (i % 3) * 0.02,
    new_revenue: i === 3 ? null : 80_000 + i * 2_000,
    cac: 4_400 - i * 10,
    sales_cycle_days: 30 - i,
    new_revenue_growth: 0.1,
    revenue_by_channel: 1,
    collaboration_score: 3,
  },
}));

const spec = digestChartSpec({ title: "Shared metrics · Week 47 2026 (16–22 Nov)", metrics: METRICS, series: SERIES });

describe("the digest chart", () => {
  it("gives every metric its own panel and axis, leaving out pulse scores, growth and repeated totals", () => {
    expect(spec?.panels.map((p) => [p.key, p.unit])).toEqual([
      ["mqls", "count"],
      ["mql_to_sql_rate", "percent"],
      ["new_revenue", "currency"],
      ["cac", "currency"],
      ["sales_cycle_days", "days"],
    ]);
    // CAC (≈4,400) no longer shares an axis with new revenue (≈90,000)
    expect(spec?.panels[3]?.values).toEqual(SERIES.map((p) => p.values.cac));
    expect(spec?.panels[1]?.values[0]).toBeCloseTo(34, 9);
  });

  it("labels weeks by their Monday, as people read dates", () => {
    expect(spec?.labels).toEqual(["28 Sep", "5 Oct", "12 Oct", "19 Oct", "26 Oct", "2 Nov", "9 Nov", "16 Nov"]);
    const months = digestChartSpec({
      title: "x",
      metrics: METRICS,
      series: SERIES.map((p, i) => ({ ...p, period: shiftPeriod(parsePeriod("2026-10", new Date(), "UTC"), i - 7) })),
    });
    expect(months?.labels[7]).toBe("Oct 2026");
    expect(months?.labels[0]).toBe("Mar 2026");
  });

  it("draws the target the digest judged against, in the panel's units, with its derivation in the legend", () => {
    expect(spec?.panels[1]?.target).toBeCloseTo(38, 9);
    expect(spec?.panels[1]?.targetLabel).toBe("Target 38.0%, from the monthly target");
    expect(spec?.panels[2]?.targetLabel).toBe("Target €45,997, pro rata from the monthly €200,000");
    expect(spec?.panels[0]?.target).toBeNull();
  });

  it("draws straight lines from zero: no smoothing, no logarithmic axis", () => {
    for (const panel of spec?.panels ?? []) {
      if (!spec) break;
      const config = panelConfig(spec, panel);
      expect(config.data.datasets[0]?.tension).toBe(0);
      expect(config.options?.scales?.y).toMatchObject({ beginAtZero: true });
      expect((config.options?.scales?.y as { type?: string } | undefined)?.type ?? "linear").toBe("linear");
      if (panel.target !== null) expect(config.data.datasets[1]).toMatchObject({ borderDash: [6, 4], tension: 0 });
    }
  });

  it("has an alt text naming every panel with its values and target", () => {
    const alt = spec?.altText ?? "";
    expect(alt).toContain("Line charts of 5 shared metrics over the last 8 weeks (28 Sep to 16 Nov)");
    expect(alt).toContain("Marketing-qualified leads 40 to 61");
    expect(alt).toContain("MQL to SQL rate 34.0% to 36.0% (target 38.0%)");
    expect(alt).toContain("New revenue €80,000 to €94,000 (target €45,997)");
    expect(alt).toContain("Customer acquisition cost €4,400 to €4,330");
    expect(alt).toContain("Sales cycle 30.0 days to 23.0 days");
    expect(alt.length).toBeLessThanOrEqual(1_000);
  });

  it("has nothing to draw with fewer than two periods", () => {
    expect(digestChartSpec({ title: "x", metrics: METRICS, series: SERIES.slice(0, 1) })).toBeNull();
  });

  it("renders as a PNG with Chart.js on a server-side canvas, a target line only where there is a target", async () => {
    if (!spec) throw new Error("no chart");
    const png = await renderChartPng(spec);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer, png.byteOffset);
    // IHDR: three columns, two rows of panels
    expect(view.getUint32(16)).toBe(COLUMNS * PANEL_WIDTH + (COLUMNS + 1) * PADDING);
    expect(view.getUint32(20)).toBe(TITLE_HEIGHT + 2 * (PANEL_HEIGHT + PADDING) + PADDING);
    const image = await loadImage(Buffer.from(png));
    const canvas = createCanvas(image.width, image.height);
    const ctx = canvas.getContext("2d");
    ctx.drawImage(image, 0, 0);
    spec.panels.forEach((panel, i) => {
      const { x, y } = panelOrigin(i);
      const { data } = ctx.getImageData(x, y, PANEL_WIDTH, PANEL_HEIGHT);
      let inked = 0;
      let red = 0;
      for (let p = 0; p < data.length; p += 4) {
        const [r = 255, g = 255, b = 255] = [data[p], data[p + 1], data[p + 2]];
        if (r < 200) inked++;
        if (r > 150 && g < 110 && b < 110) red++;
      }
      expect(inked, `panel ${panel.key}`).toBeGreaterThan(1_000);
      if (panel.target === null) expect(red, `panel ${panel.key}`).toBe(0);
      else expect(red, `panel ${panel.key}`).toBeGreaterThan(100);
    });
    if (process.env.TANDEM_WRITE_CHART) (await import("node:fs")).writeFileSync(process.env.TANDEM_WRITE_CHART, png);
  });
});
