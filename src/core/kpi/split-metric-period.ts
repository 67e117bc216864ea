// `cac last month`, `2026-Q3 customer acquisition cost`, `获客成本 Q3`: the metric's name
// and a period, in either order, told apart with the catalog's help. Linear in the
// text: a period phrase has at most MAX_PERIOD_WORDS words, so only that many cuts
// at each end are tried, and a name is looked up without computing suggestions.
import { AppError, ErrorCode } from "../errors.ts";
import { looksLikePeriod, MAX_PERIOD_WORDS } from "./period-words.ts";
import { isPeriodText } from "./periods.ts";

export type MetricNames = {
  /** the metric a key or alias names, without suggestions (cheap) */
  find(text: string): unknown;
};

export type MetricAndPeriod = { metric: string | null; period: string | null };

/** The cuts worth trying: the period after the metric (the usual order) or before it, longest phrase first. */
function* cuts(words: string[]): Generator<{ metric: string; period: string }> {
  const n = words.length;
  for (let k = Math.min(MAX_PERIOD_WORDS, n - 1); k >= 1; k--) {
    yield { metric: words.slice(0, n - k).join(" "), period: words.slice(n - k).join(" ") };
    yield { metric: words.slice(k).join(" "), period: words.slice(0, k).join(" ") };
  }
}

/** A cut whose metric the catalog knows: a readable period first, then anything shaped like one. */
function resolvingCut(words: string[], names: MetricNames): MetricAndPeriod | null {
  for (const isPeriod of [isPeriodText, looksLikePeriod]) {
    for (const cut of cuts(words)) {
      if (isPeriod(cut.period) && names.find(cut.metric) !== undefined) return cut;
    }
  }
  return null;
}

/**
 * Splits typed words into a metric name and a period. A name the catalog knows is kept
 * whole; otherwise a period-shaped phrase at either end is the period (even a wrong
 * one, `cac Q5`, so the answer is a period error), the rest the metric.
 */
export function splitMetricAndPeriod(text: string, names: MetricNames): MetricAndPeriod {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { metric: null, period: null };
  const all = words.join(" ");
  if (names.find(all) !== undefined) return { metric: all, period: null };
  if (looksLikePeriod(all)) return { metric: null, period: all };
  const found = resolvingCut(words, names);
  if (found) return found;
  // No known metric either way: keep a readable period apart, so the metric error is about the metric.
  for (const cut of cuts(words)) {
    if (!isPeriodText(cut.period)) continue;
    const twice = resolvingCut(cut.metric.split(" "), names);
    if (twice?.period) {
      throw new AppError(ErrorCode.InvalidInput, `Give one period, not two (${twice.period}, ${cut.period}).`);
    }
    return cut;
  }
  return { metric: all, period: null };
}
