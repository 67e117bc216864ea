// Text bars shared by the renderers, so Slack, Teams and the console draw the same shape.

export const BAR_WIDTH = 20;

/** A bar of █ proportional to value / max; any value above zero shows at least one block. */
export function textBar(value: number, max: number, width: number = BAR_WIDTH): string {
  if (!(value > 0) || !(max > 0)) return "";
  const length = Math.max(1, Math.round((Math.min(value, max) / max) * width));
  return "█".repeat(length);
}

export function maxBarValue(rows: { value: number }[]): number {
  return rows.reduce((max, row) => Math.max(row.value, max), 0);
}
