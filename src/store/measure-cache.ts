// Computed once, reused until the facts change: the FactStats port's answers kept in
// the database (measure_cache), so every request, process and replica shares them.
// Invalidation lives in the database too: triggers on facts, pulses, questions and
// answers (prisma/migrations/*_measure_cache) delete exactly the cached windows a write
// can change, whoever writes (import, ingest, a source sync, the demo).
//
// Never a stale number. A fill computed from the facts as they were must not land after
// a write it did not see. Every such write bumps the workspace's epoch, which the
// look-up reads before computing, and the fill is stored only if it has not moved,
// checked in the fill's own write statement (SQLite has one writer at a time). A write
// committed before a request's look-up is either in the computation or has deleted the
// cached row. (SQLite only, for now: src/app/kpi.ts.)
//
// Calls made in the same turn of the event loop share one lookup; fills are written in
// the background, one at a time, and dropped when the database is busy or too many
// wait: a request never waits for a write.
import type { Measures, RecurringMeasures, Window } from "../core/kpi/types.ts";
import type { FactStats, Logger } from "../core/ports.ts";
import { isBusyError } from "./busy.ts";
import type { Database } from "./database.ts";
import { type Row, rawExecute, rawQuery } from "./raw-sql.ts";

type Measure = "measures" | "new_revenue" | "recurring";
type Key = { measure: Measure; startMs: number; endMs: number };
type Ask = Key & { compute(): Promise<unknown>; resolve(value: unknown): void; reject(error: unknown): void };

export type CachedFactStats = FactStats & {
  newRevenue(workspaceId: number, window: Window): Promise<number>;
  /** Resolves once every fill started so far is stored or dropped (tests, benchmarks). */
  settled(): Promise<void>;
};

/** Fills waiting to be written beyond this are dropped (a long import holds the lock). */
const MAX_WAITING_FILLS = 64;
/** Bounds one lookup statement's width. */
const MAX_KEYS_PER_LOOKUP = 48;

const keyText = (key: Key) => `${key.measure}:${key.startMs}:${key.endMs}`;

function lookupSql(count: number): string {
  const keys = Array.from({ length: count }, () => "(measure = ? AND start_ms = ? AND end_ms = ?)").join(" OR ");
  return `
SELECT measure, start_ms, end_ms, value FROM measure_cache WHERE workspace_id = ? AND (${keys})
UNION ALL
SELECT 'epoch', CAST(COALESCE(SUM(epoch), 0) AS BIGINT), 0, '' FROM measure_cache_epochs WHERE workspace_id = ?`;
}

type Fill = { workspaceId: number; key: Key; value: string; epoch: string };

/** The statement storing a fill if the workspace's epoch is still the one its look-up saw. */
function fillStatement(fill: Fill): [string, unknown[]] {
  const { workspaceId, key, value, epoch } = fill;
  return [
    `INSERT INTO measure_cache (workspace_id, measure, start_ms, end_ms, value)
SELECT ?, ?, ?, ?, ?
WHERE (SELECT COALESCE(SUM(epoch), 0) FROM measure_cache_epochs WHERE workspace_id = ?) = CAST(? AS BIGINT)
ON CONFLICT (workspace_id, measure, start_ms, end_ms) DO NOTHING`,
    [workspaceId, key.measure, key.startMs, key.endMs, value, workspaceId, epoch],
  ];
}

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

export function cachedFactStats(db: Database, inner: FactStats, options: { logger?: Logger } = {}): CachedFactStats {
  const query = rawQuery(db);
  const execute = rawExecute(db);
  const waiting = new Map<number, Ask[]>();
  let writes: Promise<void> = Promise.resolve();
  let waitingFills = 0;

  /** Queues a background write; busy means another writer holds the lock: the fill is dropped. */
  const write = (sql: string, params: unknown[]) => {
    if (waitingFills >= MAX_WAITING_FILLS) return;
    waitingFills++;
    writes = writes
      .then(() => {
        waitingFills--;
        return execute(sql, params);
      })
      .then(
        () => undefined,
        (error: unknown) => {
          if (!isBusyError(error)) options.logger?.warn("measure cache write failed", { error: String(error) });
        },
      );
  };

  /** One lookup for every distinct key asked in this turn; misses are computed and filled. */
  const answer = async (workspaceId: number, asks: Ask[]): Promise<void> => {
    const byKey = new Map<string, Ask[]>();
    for (const ask of asks) byKey.set(keyText(ask), [...(byKey.get(keyText(ask)) ?? []), ask]);
    const keys = [...byKey.values()].map((group) => group[0] as Ask);
    let rows: Row[];
    try {
      const found = await Promise.all(
        chunks(keys, MAX_KEYS_PER_LOOKUP).map((part) =>
          query(lookupSql(part.length), [
            workspaceId,
            ...part.flatMap((key) => [key.measure, key.startMs, key.endMs]),
            workspaceId,
          ]),
        ),
      );
      rows = found.flat();
    } catch (error) {
      for (const ask of asks) ask.reject(error);
      return;
    }
    const epoch = String(rows.find((row) => row.measure === "epoch")?.start_ms ?? 0);
    const hits = new Map(
      rows
        .filter((row) => row.measure !== "epoch")
        .map((row) => [`${row.measure}:${Number(row.start_ms)}:${Number(row.end_ms)}`, String(row.value)]),
    );
    for (const key of keys) {
      const group = byKey.get(keyText(key)) ?? [];
      const hit = hits.get(keyText(key));
      if (hit !== undefined) {
        for (const ask of group) ask.resolve(JSON.parse(hit));
        continue;
      }
      key.compute().then(
        (value) => {
          for (const ask of group) ask.resolve(value);
          write(...fillStatement({ workspaceId, key, value: JSON.stringify(value), epoch }));
        },
        (error: unknown) => {
          for (const ask of group) ask.reject(error);
        },
      );
    }
  };

  const ask = <T>(workspaceId: number, key: Key, compute: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const entry: Ask = { ...key, compute, resolve: resolve as (value: unknown) => void, reject };
      const queue = waiting.get(workspaceId);
      if (queue) {
        queue.push(entry);
        return;
      }
      waiting.set(workspaceId, [entry]);
      setImmediate(() => {
        const asks = waiting.get(workspaceId) ?? [];
        waiting.delete(workspaceId);
        void answer(workspaceId, asks);
      });
    });

  return {
    measures: (workspaceId: number, window: Window): Promise<Measures> =>
      ask(workspaceId, { measure: "measures", ...span(window) }, () => inner.measures(workspaceId, window)),
    newRevenue: (workspaceId: number, window: Window): Promise<number> =>
      ask(workspaceId, { measure: "new_revenue", ...span(window) }, () =>
        inner.newRevenue
          ? inner.newRevenue(workspaceId, window)
          : inner.measures(workspaceId, window).then((m) => m.newRevenue),
      ),
    recurring: (workspaceId: number, startMs: number, endMs: number): Promise<RecurringMeasures> =>
      ask(workspaceId, { measure: "recurring", startMs, endMs }, () => inner.recurring(workspaceId, startMs, endMs)),
    settled: async () => {
      // A fill queued while waiting for the last one is waited for too.
      let seen: Promise<void> | undefined;
      while (seen !== writes) {
        seen = writes;
        await seen;
      }
    },
  };
}

const span = (window: Window) => ({ startMs: window.startMs, endMs: window.endMs });
