// "The biggest change" of a digest, ranked by how unusual it is for that metric rather
// than by its raw relative size: a churn rate going from 0.3 % to 0.5 % is +67 %, and
// also what it does most weeks. Each metric's latest change (value − previous, in its
// own unit) is set against its changes over the HISTORY_CHANGES periods before, as a
// robust z-score: the distance from their median in units of their spread (1.4826 ×
// the median absolute deviation, which equals the standard deviation for normal data
// and is not thrown off by one wild period).
import { GRAIN_ADVERB } from "../kpi/format.ts";
import { describePeriod } from "../kpi/periods.ts";
import type { BiggestChange, DigestMetric, SeriesPoint } from "./digest-types.ts";

/** the latest change is compared with the changes of this many periods before it */
export const HISTORY_CHANGES = 8;
/** periods of values the comparison needs: the latest change and HISTORY_CHANGES before it */
export const HISTORY_PERIODS = HISTORY_CHANGES + 2;
/** fewer earlier changes than this say too little about what is usual: no score */
export const MIN_HISTORY = 4;
/** a move after a run of identical changes has no finite score: it ranks as this */
export const MAX_SCORE = 99;

const MAD_TO_SD = 1.4826;
/** mean absolute deviation to standard deviation, for the rare history whose MAD is 0 */
const MEAN_AD_TO_SD = 1.2533;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * How unusual the last change of `values` (oldest first) is against the changes before
 * it; null when the last change or too much of the history is missing.
 */
export function unusualness(values: (number | null)[]): number | null {
  const changes: (number | null)[] = [];
  for (let i = 1; i < values.length; i++) {
    const a = values[i - 1];
    const b = values[i];
    changes.push(a === null || a === undefined || b === null || b === undefined ? null : b - a);
  }
  const latest = changes.pop();
  if (latest === null || latest === undefined || !Number.isFinite(latest)) return null;
  const history = changes.filter((c): c is number => c !== null && Number.isFinite(c));
  if (history.length < MIN_HISTORY) return null;
  const center = median(history);
  const deviations = history.map((c) => Math.abs(c - center));
  let spread = MAD_TO_SD * median(deviations);
  if (spread === 0) spread = (MEAN_AD_TO_SD * deviations.reduce((sum, d) => sum + d, 0)) / deviations.length;
  const distance = Math.abs(latest - center);
  if (spread === 0) return distance === 0 ? 0 : MAX_SCORE;
  return Math.min(MAX_SCORE, distance / spread);
}

/**
 * The metric whose latest change is the most unusual for it; ties go to the larger
 * relative change, then to catalog order. Null when no metric has enough history.
 */
export function mostUnusualChange(
  metrics: DigestMetric[],
  series: SeriesPoint[],
  excluded: ReadonlySet<string>,
): BiggestChange | null {
  const recent = series.slice(-HISTORY_PERIODS);
  let best: BiggestChange | null = null;
  for (const m of metrics) {
    if (excluded.has(m.key) || m.value === null || m.previous === null || m.value === m.previous) continue;
    const score = unusualness(recent.map((p) => p.values[m.key] ?? null));
    if (score === null) continue;
    const size = Math.abs(m.change ?? 0);
    const better = !best || score > best.score || (score === best.score && size > Math.abs(best.change ?? 0));
    if (better) best = { key: m.key, name: m.name, change: m.change, better: m.better, score };
  }
  return best;
}

/** `4.2 times its usual weekly swing`, or, after a run of identical changes, `a move unlike any other week since …`. */
export function unusualnessWords(score: number, series: SeriesPoint[]): string {
  const grain = series[series.length - 1]?.period.grain ?? "period";
  if (score >= MAX_SCORE) {
    const first = series[0]?.period;
    const since = first ? ` since ${describePeriod(first)}` : "";
    return `a move unlike any other ${grain}${since}`;
  }
  const adverb = grain === "period" ? "" : `${GRAIN_ADVERB[grain]} `;
  return `${score.toFixed(1)} times its usual ${adverb}swing`;
}
