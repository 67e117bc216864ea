// Status against a target, change against the previous period, and the target in force.
import { resolveTarget } from "./targets.ts";
import type { Direction, Grain, KpiSettings, MetricDef, Status } from "./types.ts";

const AT_RISK_BAND = 0.1;
// 0.3 − 10 % is 0.26999999999999996 in binary: forgive rounding at the band's edge.
const EPSILON = 1e-9;

/** on_track when the target is met in the better direction, at_risk within 10 % of it, else off_track. */
export function statusFor(value: number | null, target: number | null, better: Direction): Status | null {
  if (value === null || target === null) return null;
  const shortfall = better === "up" ? target - value : value - target;
  if (shortfall <= 0) return "on_track";
  const band = Math.abs(target) * AT_RISK_BAND;
  return shortfall <= band + EPSILON * Math.max(1, Math.abs(target)) ? "at_risk" : "off_track";
}

/** (value − previous) / |previous|; null without a previous value or when it is 0. */
export function changeOf(value: number | null, previous: number | null): number | null {
  if (value === null || previous === null || previous === 0) return null;
  return (value - previous) / Math.abs(previous);
}

/** The target in force (see targets.ts): the department's, else the company's; set for the grain, else derived. */
export function targetFor(
  settings: KpiSettings,
  metric: string | Pick<MetricDef, "key">,
  grain: Grain,
  department: string | null,
): number | null {
  const key = typeof metric === "string" ? metric : metric.key;
  return resolveTarget(settings.targets, key, grain, department)?.value ?? null;
}
