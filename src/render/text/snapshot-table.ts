// A KPI snapshot as a plain-text table: what `tandem kpi` prints, what the local
// console shows, and what tests read. Text first: the better/worse cue that chat shows
// as colour is written out as a word, as chat writes it, so it survives plain text
// and screen readers.
import type { Catalog } from "../../core/kpi/catalog.ts";
import {
  formatMetricChange,
  formatMetricValue,
  formatStatus,
  formatTarget,
  toneWord,
  type ValueFormat,
} from "../../core/kpi/format.ts";
import { describePeriod, previousPeriod } from "../../core/kpi/periods.ts";
import type { MetricDef, MetricResult, Snapshot } from "../../core/kpi/types.ts";

const NO_TARGET = "–";
const GAP = "  ";

export function renderSnapshotText(snapshot: Snapshot, catalog?: Catalog): string {
  const header = `KPI snapshot: ${describePeriod(snapshot.period)} (change vs ${describePeriod(previousPeriod(snapshot.period))})`;
  if (snapshot.metrics.length === 0) return `${header}\n\nNo metrics to show.`;

  // Target and status columns only earn their width when some metric has a target.
  const withTargets = snapshot.metrics.some((metric) => metric.target !== null);
  const columns = withTargets ? ["Metric", "Value", "Change", "Target", "Status"] : ["Metric", "Value", "Change"];
  const rows: string[][] = [];
  for (const metric of snapshot.metrics) {
    const def = catalog?.get(metric.key);
    const format: ValueFormat = { unit: metric.unit, decimals: def?.decimals, currency: metric.currency };
    rows.push(metricRow(metric, def, format, withTargets));
    for (const [label, value] of breakdownRows(metric)) {
      rows.push([`  ${label}`, formatMetricValue(format, value)]);
    }
  }

  const widths = columns.map((column, i) => Math.max(column.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join(GAP)
      .trimEnd();
  return [header, "", line(columns), ...rows.map(line)].join("\n");
}

function metricRow(
  metric: MetricResult,
  def: MetricDef | undefined,
  format: ValueFormat,
  withTargets: boolean,
): string[] {
  const value = formatMetricValue(format, metric.value);
  const shown = formatMetricChange(metric, def?.better ?? "up");
  let change = shown?.text ?? "n/a";
  // Without the catalog the better direction is unknown, so no verdict is given.
  if (def !== undefined && shown && shown.tone !== "neutral") change = `${change} (${toneWord(shown.tone)})`;
  const row = [metric.name, value, change];
  if (withTargets) {
    row.push(metric.target === null ? NO_TARGET : formatTarget({ ...format, ...metric }), formatStatus(metric.status));
  }
  return row;
}

/** Largest first; ties by label so the order is stable. */
function breakdownRows(metric: MetricResult): [string, number][] {
  if (metric.breakdown === null) return [];
  return Object.entries(metric.breakdown).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
}
