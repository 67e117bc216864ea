// Judges a rule on its numbers, and what that means for its state. Pure: the numbers
// come from the alert job (run-alerts.ts), the windows from alert-windows.ts.
// A metric that adds up over time (targets.ts) is compared pro rata: a running month
// 10 days in is held to 10/30 of a monthly line, and a 29-day February to 29/28 of a
// 28-day one. Rates and averages keep their numbers.
import { statusFor } from "../kpi/status.ts";
import { ADDITIVE_METRICS } from "../kpi/targets.ts";
import type { AlertWindows } from "./alert-windows.ts";
import type { AlertMetric, AlertRule } from "./types.ts";

export type AlertNumbers = {
  /** the metric over the current window */
  value: number | null;
  /** the metric over the base period (changes only) */
  base?: number | null;
  /** the target in force for the whole period (status rules only) */
  target?: number | null;
  /** the minimum-volume metric over the current window */
  volume?: number | null;
};

export type AlertJudgement =
  /** nothing to judge (no number, no target, volume under the minimum): neither fires nor re-arms */
  | { state: "quiet"; reason: string }
  | {
      state: "crossed" | "within";
      value: number;
      /** what the value was held to: the line, the base or the target, after pro rata */
      against: number;
      /** the factor the line, base or target was pro-rated by; null when it was not */
      proRata: number | null;
      /** for a change: relative (fraction) or in percentage points */
      change?: number;
    };

// 0.3 − 10 % is 0.26999999999999996 in binary: forgive rounding at the line.
const EPSILON = 1e-9;

export function evaluateAlert(
  rule: AlertRule,
  metric: AlertMetric,
  windows: Pick<AlertWindows, "elapsed" | "baseScale">,
  numbers: AlertNumbers,
): AlertJudgement {
  const { value } = numbers;
  if (value === null || !Number.isFinite(value)) return { state: "quiet", reason: "no value yet" };
  if (rule.minimum) {
    const volume = numbers.volume ?? null;
    if (volume === null || volume < rule.minimum.value) {
      return { state: "quiet", reason: `${rule.minimum.metric} is under ${rule.minimum.value}` };
    }
  }
  const additive = ADDITIVE_METRICS.has(metric.key);
  const scaled = (line: number, factor: number) =>
    additive && Math.abs(factor - 1) > EPSILON
      ? { against: line * factor, proRata: factor }
      : { against: line, proRata: null };
  const c = rule.condition;
  switch (c.kind) {
    case "above":
    case "below": {
      const { against, proRata } = scaled(c.value, windows.elapsed);
      const crossed = c.kind === "above" ? value > against + EPSILON : value < against - EPSILON;
      return { state: crossed ? "crossed" : "within", value, against, proRata };
    }
    case "drops":
    case "rises": {
      const base = numbers.base ?? null;
      if (base === null || !Number.isFinite(base)) return { state: "quiet", reason: "nothing to compare with" };
      const { against, proRata } = c.points ? { against: base, proRata: null } : scaled(base, windows.baseScale);
      if (!c.points && against === 0) return { state: "quiet", reason: "the base is 0" };
      const change = c.points ? (value - against) * 100 : (value - against) / Math.abs(against);
      const crossed = c.kind === "drops" ? change <= -c.by + EPSILON : change >= c.by - EPSILON;
      return { state: crossed ? "crossed" : "within", value, against, proRata, change };
    }
    case "status": {
      const target = numbers.target ?? null;
      if (target === null) return { state: "quiet", reason: "no target set" };
      const { against, proRata } = scaled(target, windows.elapsed);
      const status = statusFor(value, against, metric.better);
      const crossed = status === "off_track" || (c.status === "at_risk" && status === "at_risk");
      return { state: crossed ? "crossed" : "within", value, against, proRata };
    }
  }
}

export type RuleState = "armed" | "firing";

/** Fires once per crossing; re-arms only back within bounds; quiet numbers change nothing. */
export function nextStep(state: RuleState, judgement: AlertJudgement): "fire" | "rearm" | "stay" {
  if (state === "armed" && judgement.state === "crossed") return "fire";
  if (state === "firing" && judgement.state === "within") return "rearm";
  return "stay";
}
