// better-sqlite3 answers each query synchronously, and a chain of awaited queries
// resolves through microtasks only: while one /kpi computes, no socket is read and
// no request is acknowledged. So on SQLite the aggregates run one at a time, each
// after a turn of the event loop: between two queries, pending requests are read
// and acknowledged, and a loop turn never carries more than one query. Before each one,
// whoever listens on `blocking` (a command still owing its acknowledgement) is told, and
// given a turn to act, so a long aggregate never delays an answer already owed.
import { setImmediate as turn } from "node:timers/promises";
import type { BlockingSignal } from "../core/blocking-signal.ts";
import type { FactStats } from "../core/ports.ts";

export function yieldingStats(stats: FactStats, blocking?: BlockingSignal): FactStats {
  const { measuresMany, newRevenueMany } = stats;
  let tail: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(query: () => Promise<T>): Promise<T> => {
    const run = tail.then(async () => {
      await turn();
      if (blocking?.heard()) {
        blocking.warn();
        await turn();
      }
      return query();
    });
    tail = run.catch(() => undefined);
    return run;
  };
  return {
    measures: (workspaceId, window, parts) => oneAtATime(() => stats.measures(workspaceId, window, parts)),
    recurring: (workspaceId, startMs, endMs) => oneAtATime(() => stats.recurring(workspaceId, startMs, endMs)),
    newRevenue: (workspaceId, window) =>
      oneAtATime(() =>
        stats.newRevenue
          ? stats.newRevenue(workspaceId, window)
          : stats.measures(workspaceId, window).then((measures) => measures.newRevenue),
      ),
    ...(measuresMany && {
      measuresMany: (workspaceId, windows, parts) =>
        oneAtATime(() => measuresMany.call(stats, workspaceId, windows, parts)),
    }),
    ...(newRevenueMany && {
      newRevenueMany: (workspaceId, windows) => oneAtATime(() => newRevenueMany.call(stats, workspaceId, windows)),
    }),
  };
}
