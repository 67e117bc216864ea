// The FactStats port, counting the computations that reach it: a test or a bench can tell
// an answer from the measure cache (no count) from one computed from the facts.
import type { MeasurePart, Window } from "../../src/core/kpi/types.ts";
import type { FactStats } from "../../src/core/ports.ts";

export function counting(stats: FactStats): FactStats & { computed: number } {
  const counter = {
    computed: 0,
    measures: (id: number, window: Window, parts?: readonly MeasurePart[]) => {
      counter.computed++;
      return stats.measures(id, window, parts);
    },
    newRevenue: (id: number, window: Window) => {
      counter.computed++;
      return stats.newRevenue?.(id, window) ?? stats.measures(id, window).then((m) => m.newRevenue);
    },
    recurring: (id: number, startMs: number, endMs: number) => {
      counter.computed++;
      return stats.recurring(id, startMs, endMs);
    },
  };
  return counter;
}
