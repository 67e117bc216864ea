// The public JSON of a snapshot (`tandem kpi --json`, a stable public surface): exactly these
// keys, unrounded numbers, and null wherever a number is undefined.
import { periodJson } from "./periods.ts";
import type { Grain, MetricResult, Snapshot, Status, Unit } from "./types.ts";

export type ContractMetric = {
  key: string;
  name: string;
  unit: Unit;
  value: number | null;
  previous: number | null;
  change: number | null;
  target: number | null;
  status: Status | null;
  owners: string[];
  breakdown: Record<string, number> | null;
};

export type ContractSnapshot = {
  period: { grain: Grain; start: string; end: string };
  metrics: ContractMetric[];
};

// JSON.stringify would turn NaN and Infinity into null anyway; doing it here keeps the
// object itself honest for callers that do not stringify it.
function num(value: number | null | undefined): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function metricJson(metric: MetricResult): ContractMetric {
  let breakdown: Record<string, number> | null = null;
  if (metric.breakdown !== null && metric.breakdown !== undefined) {
    breakdown = {};
    for (const [label, value] of Object.entries(metric.breakdown)) {
      if (Number.isFinite(value)) breakdown[label] = value;
    }
  }
  return {
    key: metric.key,
    name: metric.name,
    unit: metric.unit,
    value: num(metric.value),
    previous: num(metric.previous),
    change: num(metric.change),
    target: num(metric.target),
    status: metric.status ?? null,
    owners: [...metric.owners],
    breakdown,
  };
}

export function toContractJson(snapshot: Snapshot): ContractSnapshot {
  return { period: periodJson(snapshot.period), metrics: snapshot.metrics.map(metricJson) };
}
