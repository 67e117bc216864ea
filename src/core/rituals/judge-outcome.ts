// The verdict on a decision (docs/metrics.md, "Decisions and outcomes"), from the value
// at the check, the target then, and the value of the period the decision was about
// (the baseline), all already pro rata where the window is a part of a period.
import { statusFor } from "../kpi/status.ts";
import type { Direction } from "../kpi/types.ts";
import type { Verdict } from "./types.ts";

export type OutcomeFigures = {
  value: number | null;
  target: number | null;
  baseline: number | null;
  better: Direction;
};

export function judgeOutcome({ value, target, baseline, better }: OutcomeFigures): Verdict {
  if (value === null || !Number.isFinite(value)) return "no_data";
  if (target !== null && statusFor(value, target, better) === "on_track") return "recovered";
  if (baseline !== null && (better === "up" ? value < baseline : value > baseline)) return "worse";
  return "not_yet";
}
