// Draws a ChartSpec as a PNG, server-side: Chart.js on @napi-rs/canvas (prebuilt,
// no system libraries). Small multiples: each panel is its own Chart.js line chart on
// its own canvas and axis, composed into one image in a three-column grid under the
// title. Lines are straight between the points (no smoothing that would overshoot
// them), every axis starts at zero so a small move looks small, and the target is a
// dashed line.
import { createCanvas, type SKRSContext2D } from "@napi-rs/canvas";
import { Chart, type ChartConfiguration, type ChartItem, registerables } from "chart.js";
import type { ChartPanel, ChartSpec } from "../../core/digest/chart.ts";
import type { ChartRenderer } from "../../core/digest/ports.ts";

Chart.register(...registerables);

export const PANEL_WIDTH = 420;
export const PANEL_HEIGHT = 250;
export const COLUMNS = 3;
export const TITLE_HEIGHT = 56;
export const PADDING = 16;
const LINE = "#1d4e5f";
const TARGET = "#c8423b";
const FONT = "sans-serif";

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
const compactMoney = new Map<string, Intl.NumberFormat>();

function tickLabel(panel: ChartPanel, value: number): string {
  switch (panel.unit) {
    case "percent":
      return `${compact.format(value)}%`;
    case "ratio":
      return `${compact.format(value)}×`;
    case "days":
      return `${compact.format(value)} d`;
    case "currency": {
      if (!panel.currency) return compact.format(value);
      let format = compactMoney.get(panel.currency);
      if (!format) {
        format = new Intl.NumberFormat("en-US", {
          style: "currency",
          currency: panel.currency,
          notation: "compact",
          minimumFractionDigits: 0,
          maximumFractionDigits: 1,
        });
        compactMoney.set(panel.currency, format);
      }
      return format.format(value);
    }
    default:
      return compact.format(value);
  }
}

export function panelConfig(spec: ChartSpec, panel: ChartPanel): ChartConfiguration<"line", (number | null)[], string> {
  const datasets: ChartConfiguration<"line", (number | null)[], string>["data"]["datasets"] = [
    {
      label: panel.title,
      data: panel.values,
      borderColor: LINE,
      backgroundColor: LINE,
      borderWidth: 2,
      pointRadius: 3,
      spanGaps: true,
      tension: 0,
    },
  ];
  if (panel.target !== null) {
    datasets.push({
      label: panel.targetLabel ?? "Target",
      data: spec.labels.map(() => panel.target),
      borderColor: TARGET,
      backgroundColor: TARGET,
      borderWidth: 1.5,
      borderDash: [6, 4],
      pointRadius: 0,
      pointStyle: "line",
      tension: 0,
    });
  }
  return {
    type: "line",
    data: { labels: spec.labels, datasets },
    options: {
      responsive: false,
      animation: false,
      devicePixelRatio: 1,
      plugins: {
        title: { display: true, text: panel.title, font: { family: FONT, size: 14, weight: "bold" }, color: "#222" },
        legend: {
          // the line is the panel's title; only a target needs a legend entry
          display: panel.target !== null,
          position: "bottom",
          labels: {
            font: { family: FONT, size: 11 },
            boxWidth: 18,
            usePointStyle: true,
            color: "#333",
            filter: (item) => item.datasetIndex === 1,
          },
        },
      },
      scales: {
        x: { ticks: { font: { family: FONT, size: 10 }, color: "#555" }, grid: { color: "#eee" } },
        y: {
          beginAtZero: true,
          ticks: {
            font: { family: FONT, size: 10 },
            color: "#555",
            maxTicksLimit: 6,
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

/** Where panel `i` of a spec goes. */
export function panelOrigin(i: number): { x: number; y: number } {
  return {
    x: PADDING + (i % COLUMNS) * (PANEL_WIDTH + PADDING),
    y: TITLE_HEIGHT + Math.floor(i / COLUMNS) * (PANEL_HEIGHT + PADDING),
  };
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
  ctx.fillStyle = LINE;
  ctx.font = `bold 22px ${FONT}`;
  ctx.textBaseline = "middle";
  ctx.fillText(spec.title, PADDING, TITLE_HEIGHT / 2 + 4);
  spec.panels.forEach((panel, i) => {
    const { x, y } = panelOrigin(i);
    drawPanel(ctx, spec, panel, x, y);
  });
  return new Uint8Array(await canvas.encode("png"));
};
