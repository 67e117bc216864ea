// Draws a ChartSpec as a PNG, server-side: Chart.js on @napi-rs/canvas (prebuilt,
// no system libraries). Each panel is its own Chart.js line chart on its own canvas,
// composed into one image in a two-column grid under the title.
import { createCanvas, type SKRSContext2D } from "@napi-rs/canvas";
import { Chart, type ChartConfiguration, type ChartItem, registerables } from "chart.js";
import type { ChartPanel, ChartSpec } from "../../core/digest/chart.ts";
import type { ChartRenderer } from "../../core/digest/ports.ts";

Chart.register(...registerables);

const PANEL_WIDTH = 640;
const PANEL_HEIGHT = 340;
const COLUMNS = 2;
const TITLE_HEIGHT = 56;
const PADDING = 16;
const COLORS = ["#1d4e5f", "#e07a3f", "#3a9d5d", "#8e5ea2", "#c8423b", "#3c7fc0"];
const FONT = "sans-serif";

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

function tickLabel(panel: ChartPanel, value: number): string {
  if (panel.unit === "percent") return `${compact.format(value)}%`;
  if (panel.unit === "ratio") return `${compact.format(value)}×`;
  return compact.format(value);
}

function panelConfig(spec: ChartSpec, panel: ChartPanel): ChartConfiguration<"line", (number | null)[], string> {
  return {
    type: "line",
    data: {
      labels: spec.labels,
      datasets: panel.series.map((series, i) => ({
        label: series.label,
        data: series.values.map((v) => (panel.scale === "logarithmic" && v !== null && v <= 0 ? null : v)),
        borderColor: COLORS[i % COLORS.length],
        backgroundColor: COLORS[i % COLORS.length],
        borderWidth: 2,
        pointRadius: 3,
        spanGaps: true,
        tension: 0.2,
      })),
    },
    options: {
      responsive: false,
      animation: false,
      devicePixelRatio: 1,
      plugins: {
        title: { display: true, text: panel.title, font: { family: FONT, size: 16, weight: "bold" }, color: "#222" },
        legend: { position: "bottom", labels: { font: { family: FONT, size: 12 }, boxWidth: 14, color: "#333" } },
      },
      scales: {
        x: { ticks: { font: { family: FONT, size: 11 }, color: "#555" }, grid: { color: "#eee" } },
        y: {
          type: panel.scale,
          ticks: {
            font: { family: FONT, size: 11 },
            color: "#555",
            callback: (value) => tickLabel(panel, Number(value)),
          },
          grid: { color: "#eee" },
        },
      },
    },
  };
}

/** Draws one panel onto `target` at (x, y). */
function drawPanel(target: SKRSContext2D, spec: ChartSpec, panel: ChartPanel, x: number, y: number): void {
  const canvas = createCanvas(PANEL_WIDTH, PANEL_HEIGHT);
  // Chart.js only needs the 2D context API, which @napi-rs/canvas implements.
  const chart = new Chart(canvas.getContext("2d") as unknown as ChartItem, panelConfig(spec, panel));
  try {
    chart.draw();
    target.drawImage(canvas, x, y);
  } finally {
    // destroy() clears the panel's canvas, so only once it is copied
    chart.destroy();
  }
}

export const renderChartPng: ChartRenderer = async (spec) => {
  const rows = Math.ceil(spec.panels.length / COLUMNS);
  const columns = Math.min(COLUMNS, spec.panels.length);
  const width = columns * PANEL_WIDTH + (columns + 1) * PADDING;
  const height = TITLE_HEIGHT + rows * (PANEL_HEIGHT + PADDING) + PADDING;
  const canvas = createCanvas(width, height);
  const ctx: SKRSContext2D = canvas.getContext("2d");
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = "#1d4e5f";
  ctx.font = `bold 22px ${FONT}`;
  ctx.textBaseline = "middle";
  ctx.fillText(spec.title, PADDING, TITLE_HEIGHT / 2 + 4);
  spec.panels.forEach((panel, i) => {
    const x = PADDING + (i % COLUMNS) * (PANEL_WIDTH + PADDING);
    const y = TITLE_HEIGHT + Math.floor(i / COLUMNS) * (PANEL_HEIGHT + PADDING);
    drawPanel(ctx, spec, panel, x, y);
  });
  return new Uint8Array(await canvas.encode("png"));
};
