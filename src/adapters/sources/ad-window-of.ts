// The window of days an ad platform reader reads now (src/core/sources/ad-window.ts),
// from its settings and its cursor: the last day the previous sync read.
import { DateTime } from "luxon";
import { type AdWindow, adWindow, DEFAULT_LOOKBACK_DAYS } from "../../core/sources/ad-window.ts";
import type { ReadOptions } from "../../core/sources/reader.ts";
import type { ReaderContext } from "./reader-context.ts";

export function adWindowOf(ctx: ReaderContext, cursor: string | null, options: ReadOptions): AdWindow {
  const settings = ctx.settings as { lookback_days?: number; start_date?: string };
  return adWindow({
    nowMs: options.nowMs,
    zone: ctx.zone,
    lookbackDays: settings.lookback_days ?? DEFAULT_LOOKBACK_DAYS,
    ...(settings.start_date ? { startDate: settings.start_date } : {}),
    ...(cursor !== null && /^\d{4}-\d{2}-\d{2}$/.test(cursor) ? { lastDay: cursor } : {}),
    full: options.full,
  });
}

/** [from, to] (inclusive days) cut into ranges of at most `days` days, in order. */
export function dayRanges(from: string, to: string, days: number): [string, string][] {
  const ranges: [string, string][] = [];
  let start = DateTime.fromISO(from, { zone: "UTC" });
  const end = DateTime.fromISO(to, { zone: "UTC" });
  while (start <= end) {
    const stop = DateTime.min(start.plus({ days: days - 1 }), end);
    ranges.push([start.toISODate() as string, stop.toISODate() as string]);
    start = stop.plus({ days: 1 });
  }
  return ranges;
}
