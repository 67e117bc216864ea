// Computed once, reused until the facts change: the FactStats port's answers kept in
// the database (measure_cache), so every request, process and replica shares them.
// Invalidation lives in the database too: triggers on facts, pulses, questions and
// answers (the measure_cache migrations) find exactly the cached windows a write can
// change, whoever writes (import, ingest, a source sync, the demo).
//
// Never a stale number. A fill computed from the facts as they were must not land after
// a write it did not see: the look-up reads the workspace's epoch before anything is
// computed, and the fill is stored only if nothing was written since.
//  - SQLite (one writer at a time): every write bumps the epoch and deletes the cached
//    rows it can change, in its own transaction; the fill checks the epoch in its own
//    write statement.
//  - PostgreSQL (writers side by side): a write only logs what it touched
//    (measure_cache_log) and holds the workspace's advisory lock shared until it
//    commits. A look-up that finds the log non-empty applies it (measure_cache_apply:
//    deletes what it can change, bumps the epoch) under the lock held exclusively, and
//    uses nothing cached while a writer is in flight; a fill needs the same lock, an
//    empty log and an unchanged epoch.
// Either way a write committed before a request's look-up is in every number it answers.
//
// What a process read or computed is also kept in its memory (kept-measures.ts) while
// the workspace's epoch stays the same: a request whose numbers are all kept reads only
// the epoch (and on PostgreSQL whether the log waits), one small statement.
//
// Calls made in the same turn of the event loop share one lookup; fills are written in
// the background, one at a time, and dropped when the database is busy or too many
// wait: a request never waits for a write.
//
// Bounded: the table holds at most `maxRows` rows (all workspaces together). Each row
// carries when it was last used (filled, or read: a read stamps it again at most once a
// minute per process, in the background); a fill that takes the table over the bound
// deletes the least recently used rows in the same transaction. Evicting only deletes,
// and a missing window is computed afresh, so it can cost time, never correctness.
// On PostgreSQL fills of other workspaces run side by side, so for an instant the table
// can exceed the bound by the fills in flight.

import { DEFAULT_MEASURE_CACHE_ROWS } from "../config/env.ts";
import { MEASURE_PARTS, type MeasurePart, type Window } from "../core/kpi/types.ts";
import type { FactStats, Logger } from "../core/ports.ts";
import { isBusyError } from "./busy.ts";
import type { Database } from "./database.ts";
import { generationReader } from "./generations.ts";
import { hotRead } from "./hot-read.ts";
import { type KeptValues, keptMeasures } from "./kept-measures.ts";
import { rawExecute, rawQuery, rawStatement } from "./raw-sql.ts";

/**
 * What a row holds: "measures" (all parts), "measures:<parts>" (those parts alone, e.g.
 * "measures:spend+customers" for a sparkline of cac), "new_revenue" or "recurring". The
 * invalidation treats every "measures…" row alike.
 */
type Measure = "measures" | `measures:${string}` | "new_revenue" | "recurring";

function measuresKey(parts: readonly MeasurePart[] | undefined): Measure {
  if (parts === undefined || MEASURE_PARTS.every((part) => parts.includes(part))) return "measures";
  return `measures:${MEASURE_PARTS.filter((part) => parts.includes(part)).join("+")}`;
}
type Key = { measure: Measure; startMs: number; endMs: number };
type Ask = Key & { compute(): Promise<unknown>; resolve(value: unknown): void; reject(error: unknown): void };

export type CachedFactStats = FactStats & {
  newRevenue(workspaceId: number, window: Window): Promise<number>;
  forCommand(workspaceId: number): FactStats;
  /** Resolves once every fill started so far is stored or dropped (tests, benchmarks). */
  settled(): Promise<void>;
};

/** Fills waiting to be written beyond this are dropped (a long import holds the lock). */
const MAX_WAITING_FILLS = 64;
/** A row read again within this long is not stamped again (one write a minute at most per row and process). */
const TOUCH_EVERY_MS = 60_000;
/** Rows whose last stamp this process remembers; past it the memory starts over. */
const MAX_REMEMBERED_TOUCHES = 4_096;

export type MeasureCacheOptions = {
  logger?: Logger;
  /** the most rows the table keeps (default: TANDEM_MEASURE_CACHE_ROWS's) */
  maxRows?: number;
  /** the time rows are stamped with (ms; default Date.now) */
  now?: () => number;
};
/** Bounds one lookup statement's width. */
const MAX_KEYS_PER_LOOKUP = 48;

const keyText = (key: Key) => `${key.measure}:${key.startMs}:${key.endMs}`;

/** The rows a key may be answered from: its own, then for some parts the whole window's, which holds them all. */
function sources(key: Key): Key[] {
  return key.measure.startsWith("measures:") ? [key, { ...key, measure: "measures" }] : [key];
}

/** One look-up: the cached rows of `keys`, the workspace's epoch and (PostgreSQL) whether its log waits. */
function lookupStatement(dialect: Database["dialect"], workspaceId: number, keys: Key[]): [string, unknown[]] {
  const match = keys.map(() => "(measure = ? AND start_ms = ? AND end_ms = ?)").join(" OR ");
  const pending =
    dialect === "postgres"
      ? `
UNION ALL
SELECT 'pending', CAST(COUNT(*) AS BIGINT), 0, '' FROM (SELECT 1 FROM measure_cache_log WHERE workspace_id = ? LIMIT 1) AS log`
      : "";
  const sql = `
SELECT measure, start_ms, end_ms, value FROM measure_cache WHERE workspace_id = ? AND (${match})
UNION ALL
SELECT 'epoch', CAST(COALESCE(SUM(epoch), 0) AS BIGINT), 0, '' FROM measure_cache_epochs WHERE workspace_id = ?${pending}`;
  const params = [workspaceId, ...keys.flatMap((key) => [key.measure, key.startMs, key.endMs]), workspaceId];
  return [sql, dialect === "postgres" ? [...params, workspaceId] : params];
}

/** SQLite: the workspace's epoch (PostgreSQL reads it, and whether writes wait in the log, with the generations). */
const EPOCH_SQL = "SELECT COALESCE(SUM(epoch), 0) AS epoch FROM measure_cache_epochs WHERE workspace_id = ?";

type KeptNow = { epoch: string; values: KeptValues } | null;
/** One command's look at the kept numbers: the epoch read once, at its start. */
type View = { workspaceId: number; kept: Promise<KeptNow> };

type Fill = { workspaceId: number; key: Key; value: string; epoch: string; usedMs: number; maxRows: number };
type Statement = [string, unknown[]];

/**
 * The statements storing a fill if nothing was written since its look-up, then keeping
 * the table within its bound: SQLite checks the epoch in the write statement itself (one
 * writer at a time); PostgreSQL's measure_cache_fill() also makes sure no writer is in flight.
 */
function fillStatements(dialect: Database["dialect"], fill: Fill): Statement[] {
  const { workspaceId, key, value, epoch, usedMs, maxRows } = fill;
  if (dialect === "postgres")
    return [
      [
        `SELECT measure_cache_fill(CAST(? AS INTEGER), CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT),
        CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT))`,
        [workspaceId, key.measure, key.startMs, key.endMs, value, epoch, usedMs, maxRows],
      ],
    ];
  return [
    [
      `INSERT INTO measure_cache (workspace_id, measure, start_ms, end_ms, value, used_ms)
SELECT ?, ?, ?, ?, ?, ?
WHERE (SELECT COALESCE(SUM(epoch), 0) FROM measure_cache_epochs WHERE workspace_id = ?) = CAST(? AS BIGINT)
ON CONFLICT (workspace_id, measure, start_ms, end_ms) DO NOTHING`,
      [workspaceId, key.measure, key.startMs, key.endMs, value, usedMs, workspaceId, epoch],
    ],
    [
      `DELETE FROM measure_cache WHERE rowid IN (
  SELECT rowid FROM measure_cache ORDER BY used_ms LIMIT MAX(0, (SELECT COUNT(*) FROM measure_cache) - ?))`,
      [maxRows],
    ],
  ];
}

/**
 * Stamps rows just read as used. PostgreSQL skips rows another transaction holds (an
 * apply deleting them), so a stamp never waits and never takes part in a deadlock.
 */
function touchStatement(dialect: Database["dialect"], workspaceId: number, keys: Key[], usedMs: number): Statement {
  const match = keys.map(() => "(measure = ? AND start_ms = ? AND end_ms = ?)").join(" OR ");
  const params = [usedMs, workspaceId, ...keys.flatMap((key) => [key.measure, key.startMs, key.endMs])];
  if (dialect === "postgres")
    return [
      `UPDATE measure_cache SET used_ms = ? WHERE ctid IN (
  SELECT ctid FROM measure_cache WHERE workspace_id = ? AND (${match}) FOR UPDATE SKIP LOCKED)`,
      params,
    ];
  return [`UPDATE measure_cache SET used_ms = ? WHERE workspace_id = ? AND (${match})`, params];
}

/** What a look-up found; `epoch` null: nothing cached may be used or stored now. */
type Found = { hits: Map<string, string>; epoch: string | null };

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

export function cachedFactStats(db: Database, inner: FactStats, options: MeasureCacheOptions = {}): CachedFactStats {
  const query = rawQuery(db);
  const execute = rawExecute(db);
  const maxRows = options.maxRows ?? DEFAULT_MEASURE_CACHE_ROWS;
  const now = options.now ?? Date.now;
  /** asks of this turn, per workspace, or per command's view */
  const waiting = new Map<number | View, { workspaceId: number; asks: Ask[] }>();
  const memory = keptMeasures();
  const readEpoch = hotRead(db, EPOCH_SQL);
  const generationOf = generationReader(db);
  /** What this process keeps for the workspace as of now; null while writes wait to be applied. */
  const keptNow = async (workspaceId: number): Promise<KeptNow> => {
    // PostgreSQL: sent with the generations asked at the same time (a command's settings), in one statement
    const [epoch, pending]: string[] = db.hotQuery
      ? await Promise.all([generationOf(workspaceId, "measure_epoch"), generationOf(workspaceId, "measure_pending")])
      : await readEpoch([workspaceId]).then(([row]) => [String(row?.epoch ?? 0), "0"]);
    if (epoch === undefined || Number(pending) > 0) return null;
    return { epoch, values: memory.at(workspaceId, epoch) };
  };
  /** when this process last stamped each row it read (workspace:key → ms) */
  const touched = new Map<string, number>();
  let writes: Promise<void> = Promise.resolve();
  let waitingFills = 0;

  /** Queues a background write (statements together in one transaction); busy means another writer holds the lock: it is dropped. */
  const write = (statements: Statement[]) => {
    if (waitingFills >= MAX_WAITING_FILLS) return;
    waitingFills++;
    writes = writes
      .then(() => {
        waitingFills--;
        const [only] = statements;
        if (statements.length === 1 && only) return execute(...only);
        return db.prisma.$transaction(statements.map(([sql, params]) => rawStatement(db, sql, params))).then(() => 0);
      })
      .then(
        () => undefined,
        (error: unknown) => {
          if (!isBusyError(error)) options.logger?.warn("measure cache write failed", { error: String(error) });
        },
      );
  };

  /**
   * The cached rows of `keys`. PostgreSQL: writes logged since the last look-up are
   * applied first; while a writer is in flight they cannot be, and nothing is used.
   */
  const lookup = async (workspaceId: number, keys: Key[], mayApply = true): Promise<Found> => {
    const rows = (
      await Promise.all(
        chunks(keys, MAX_KEYS_PER_LOOKUP).map((part) => query(...lookupStatement(db.dialect, workspaceId, part))),
      )
    ).flat();
    if (rows.some((row) => row.measure === "pending" && Number(row.start_ms) > 0)) {
      if (!mayApply) return { hits: new Map(), epoch: null };
      const [applied] = await query("SELECT measure_cache_apply(CAST(? AS INTEGER)) AS applied", [workspaceId]);
      return applied?.applied === true ? lookup(workspaceId, keys, false) : { hits: new Map(), epoch: null };
    }
    return {
      // the first statement's: read before anything is computed
      epoch: String(rows.find((row) => row.measure === "epoch")?.start_ms ?? 0),
      hits: new Map(
        rows
          .filter((row) => row.measure !== "epoch" && row.measure !== "pending")
          .map((row) => [`${row.measure}:${Number(row.start_ms)}:${Number(row.end_ms)}`, String(row.value)]),
      ),
    };
  };

  /** Stamps the rows read that this process has not stamped for a while. */
  const touch = (workspaceId: number, keys: Key[]) => {
    const at = now();
    const stale = keys.filter(
      (key) => at - (touched.get(`${workspaceId}:${keyText(key)}`) ?? -Infinity) >= TOUCH_EVERY_MS,
    );
    if (stale.length === 0) return;
    if (touched.size + stale.length > MAX_REMEMBERED_TOUCHES) touched.clear();
    for (const key of stale) touched.set(`${workspaceId}:${keyText(key)}`, at);
    for (const part of chunks(stale, MAX_KEYS_PER_LOOKUP)) write([touchStatement(db.dialect, workspaceId, part, at)]);
  };

  /** One look-up for every distinct key asked in this turn; misses are computed and filled. */
  const answer = async (workspaceId: number, asks: Ask[], view?: View): Promise<void> => {
    const byKey = new Map<string, Ask[]>();
    for (const ask of asks) byKey.set(keyText(ask), [...(byKey.get(keyText(ask)) ?? []), ask]);
    const asked = [...byKey.values()].map((group) => group[0] as Ask);
    let found: Found;
    let kept: KeptNow;
    let keys: Ask[];
    try {
      kept = await (view?.kept ?? keptNow(workspaceId));
      /** the rows memory answered from: a part's may be its window's whole row */
      const used: Key[] = [];
      keys = asked.filter((key) => {
        const source = sources(key).find((row) => kept?.values.has(keyText(row)));
        if (!kept || !source) return true;
        for (const ask of byKey.get(keyText(key)) ?? []) ask.resolve(kept.values.get(keyText(source)));
        used.push(source);
        return false;
      });
      touch(workspaceId, used);
      if (keys.length === 0) return;
      const rows = new Map(keys.flatMap(sources).map((row) => [keyText(row), row]));
      found = await lookup(workspaceId, [...rows.values()]);
    } catch (error) {
      for (const ask of asks) ask.reject(error);
      return;
    }
    const { hits, epoch } = found;
    /** Kept in memory too, under the epoch the look-up read (null: a writer was in flight). */
    const keep = (key: Ask, value: unknown) => {
      if (epoch !== null) memory.at(workspaceId, epoch).keep(keyText(key), value);
    };
    const hitOf = (key: Key) => sources(key).find((row) => hits.has(keyText(row)));
    touch(
      workspaceId,
      keys.flatMap((key) => hitOf(key) ?? []),
    );
    for (const key of keys) {
      const group = byKey.get(keyText(key)) ?? [];
      const source = hitOf(key);
      const hit = source && hits.get(keyText(source));
      if (hit !== undefined) {
        const value: unknown = JSON.parse(hit);
        keep(key, value);
        for (const ask of group) ask.resolve(structuredClone(value));
        continue;
      }
      key.compute().then(
        (value) => {
          keep(key, value);
          for (const ask of group) ask.resolve(value);
          if (epoch === null) return;
          touched.set(`${workspaceId}:${keyText(key)}`, now());
          write(
            fillStatements(db.dialect, {
              workspaceId,
              key,
              value: JSON.stringify(value),
              epoch,
              usedMs: now(),
              maxRows,
            }),
          );
        },
        (error: unknown) => {
          for (const ask of group) ask.reject(error);
        },
      );
    }
  };

  const ask = <T>(workspaceId: number, key: Key, compute: () => Promise<T>, view?: View): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const entry: Ask = { ...key, compute, resolve: resolve as (value: unknown) => void, reject };
      const group = view ?? workspaceId;
      const queue = waiting.get(group);
      if (queue) {
        queue.asks.push(entry);
        return;
      }
      waiting.set(group, { workspaceId, asks: [entry] });
      setImmediate(() => {
        const asks = waiting.get(group)?.asks ?? [];
        waiting.delete(group);
        void answer(workspaceId, asks, view);
      });
    });

  /** The port's calls; through a view, what is kept is checked against the view's one read. */
  const stats = (view?: View): FactStats => ({
    measures: (workspaceId, window, parts) =>
      ask(
        workspaceId,
        { measure: measuresKey(parts), ...span(window) },
        () => inner.measures(workspaceId, window, parts),
        view,
      ),
    newRevenue: (workspaceId, window) =>
      ask(
        workspaceId,
        { measure: "new_revenue", ...span(window) },
        () =>
          inner.newRevenue
            ? inner.newRevenue(workspaceId, window)
            : inner.measures(workspaceId, window).then((m) => m.newRevenue),
        view,
      ),
    recurring: (workspaceId, startMs, endMs) =>
      ask(
        workspaceId,
        { measure: "recurring", startMs, endMs },
        () => inner.recurring(workspaceId, startMs, endMs),
        view,
      ),
  });

  return {
    ...(stats() as Required<Pick<FactStats, "measures" | "recurring" | "newRevenue">>),
    forCommand(workspaceId: number): FactStats {
      // read now, before anything else of the command: every write committed before it is seen
      const kept = keptNow(workspaceId);
      kept.catch(() => {}); // the asks that use it see the failure
      const view: View = { workspaceId, kept };
      return { ...stats(view), forCommand: () => stats(view) };
    },
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
