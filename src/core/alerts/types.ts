// An alert rule as Tandem reads it (parse-alert-rule.ts writes it, evaluate-alert.ts
// judges it). Platform-free: the chat verbs, the config file and the scheduled job share it.

/** The grains a rule watches: short enough to act on, long enough to mean something. */
export const ALERT_GRAINS = ["week", "month", "quarter"] as const;
export type AlertGrain = (typeof ALERT_GRAINS)[number];

export type AlertWindow = {
  grain: AlertGrain;
  /** the running period up to now (compared pro rata where needed), or the last complete one */
  toDate: boolean;
};

export type AlertCondition =
  /** the value crosses a line: `cac above 5000` */
  | { kind: "above" | "below"; value: number }
  /**
   * The value changes against a base: `drops 15%`. `by` is a fraction for most metrics
   * (0.15) and percentage points for percent metrics (15).
   */
  | { kind: "drops" | "rises"; by: number; points: boolean; vs: "previous" | "year_ago" }
  /** the status against the target: `off track` (off_track), `at risk` (at_risk or worse) */
  | { kind: "status"; status: "off_track" | "at_risk" };

export type AlertRule = {
  /** the metric's key */
  metric: string;
  condition: AlertCondition;
  window: AlertWindow;
  /** the rule stays quiet while this metric is under the value in the same window */
  minimum: { metric: string; value: number } | null;
};

/** What a rule needs to know about a metric. */
export type AlertMetric = {
  key: string;
  name: string;
  unit: import("../kpi/types.ts").Unit;
  better: import("../kpi/types.ts").Direction;
};
