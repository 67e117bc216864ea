// Which days an ad platform sync reads. Ad platforms restate recent costs (late
// clicks, invalid-traffic refunds), so every sync re-reads the last `lookbackDays`
// before the day it last reached, up to today, and mirrors that window. The first
// sync and --full read from `startDate`.
import { DateTime } from "luxon";

export type AdWindow = {
  /** first day read, inclusive (YYYY-MM-DD) */
  from: string;
  /** last day read, inclusive: today in the workspace zone */
  to: string;
  /** the window in epoch ms, [midnight of `from`, midnight after `to`), for reconciliation */
  startMs: number;
  endMs: number;
};

export const DEFAULT_LOOKBACK_DAYS = 30;
export const DEFAULT_HISTORY_DAYS = 365;

export function adWindow(options: {
  nowMs: number;
  zone: string;
  /** the last day the previous sync read (its cursor), if any */
  lastDay?: string;
  lookbackDays: number;
  /** the first day there is to read (config `start_date`), default a year before today */
  startDate?: string;
  full?: boolean;
}): AdWindow {
  const today = DateTime.fromMillis(options.nowMs, { zone: options.zone }).startOf("day");
  const start = options.startDate
    ? DateTime.fromISO(options.startDate, { zone: options.zone })
    : today.minus({ days: DEFAULT_HISTORY_DAYS });
  let from = start;
  if (!options.full && options.lastDay !== undefined) {
    const last = DateTime.fromISO(options.lastDay, { zone: options.zone });
    const reached = last.isValid && last < today ? last : today;
    const back = reached.minus({ days: options.lookbackDays });
    if (back > from) from = back;
  }
  if (from > today) from = today;
  return {
    from: from.toISODate() as string,
    to: today.toISODate() as string,
    startMs: from.toMillis(),
    endMs: today.plus({ days: 1 }).toMillis(),
  };
}
