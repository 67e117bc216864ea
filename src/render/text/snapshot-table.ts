// A KPI snapshot as a plain-text table: what `tandem kpi` prints, what the local
// console shows, and what tests read. Text first: the good/bad cue that chat shows
// as colour is written out as a word so it survives plain text and screen readers.
import type { Catalog } from "../../core/kpi/catalog.ts";
import { formatChange, formatStatus, formatValue } from "../../core/kpi/format.ts";
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
    rows.push(metricRow(metric, def, withTargets));
    for (const [label, value] of breakdownRows(metric)) {
      rows.push([`  ${label}`, formatValue(value, metric.unit, def?.decimals)]);
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

function metricRow(metric: MetricResult, def: MetricDef | undefined, withTargets: boolean): string[] {
  const value = formatValue(metric.value, metric.unit, def?.decimals);
  let change = formatChange(metric.change, def?.better ?? "up").text;
  // Without the catalog the better direction is unknown, so no verdict is given.
  if (def !== undefined) {
    const { tone } = formatChange(metric.change, def.better);
    if (tone !== "neutral") change = `${change} ${tone}`;
  }
  const row = [metric.name, value, change];
  if (withTargets) {
    row.push(
      metric.target === null ? NO_TARGET : formatValue(metric.target, metric.unit, def?.decimals),
      formatStatus(metric.status),
    );
  }
  return row;
}

/** Largest first; ties by label so the order is stable. */
function breakdownRows(metric: MetricResult): [string, number][] {
  if (metric.breakdown === null) return [];
  return Object.entries(metric.breakdown).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
}
