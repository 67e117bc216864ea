// What a process read from the database, kept until a write could have changed it.
// Triggers (the cache_generations migration) bump a workspace's generation of a kind in
// the writing transaction itself, whichever process or replica writes. A read first
// reads the generation (one small statement), then reuses what was loaded under the same
// generation, or loads afresh. The load runs after the generation was read, so it sees
// every write counted in it: a write committed before a request is in its answer.
//
// Bounded: the least recently used workspaces are forgotten first.
import type { Database } from "./database.ts";
import { hotRead } from "./hot-read.ts";
import { perWorkspace } from "./per-workspace.ts";

/** The kinds the triggers count (see the cache_generations and member_generations migrations for their tables). */
export type GenerationKind = "settings" | "sources" | "members";

/** Workspaces whose reads one process keeps, per kind. */
const DEFAULT_MAX_WORKSPACES = 64;

const GENERATION_SQL = "SELECT generation FROM cache_generations WHERE workspace_id = ? AND kind = ?";
// The measure cache's epoch and whether its log waits (measure-cache.ts) ride along.
const GENERATIONS_SQL = `
SELECT kind, generation FROM cache_generations WHERE workspace_id = ?
UNION ALL
SELECT 'measure_epoch', CAST(COALESCE(SUM(epoch), 0) AS BIGINT) FROM measure_cache_epochs WHERE workspace_id = ?
UNION ALL
SELECT 'measure_pending', COUNT(*) FROM (SELECT 1 FROM measure_cache_log WHERE workspace_id = ? LIMIT 1) AS log`;

type GenerationRead = (
  workspaceId: number,
  kind: GenerationKind | "measure_epoch" | "measure_pending",
) => Promise<string>;
const readers = new WeakMap<Database, GenerationRead>();

/**
 * The workspace's generation of `kind` ("0" before its first counted write). On SQLite one
 * synchronous statement per call. On PostgreSQL, where each round trip costs, the calls
 * made together (before the read is sent) share one statement reading every kind.
 */
export function generationReader(db: Database): GenerationRead {
  let reader = readers.get(db);
  if (!reader) {
    reader = db.hotQuery ? batchedReader(db) : singleReader(db);
    readers.set(db, reader);
  }
  return reader;
}

/** SQLite: one kind per call (the measure cache reads its epoch itself). */
function singleReader(db: Database): GenerationRead {
  const read = hotRead(db, GENERATION_SQL);
  return async (workspaceId, kind) => {
    const [row] = await read([workspaceId, kind]);
    return row ? String(row.generation) : "0";
  };
}

function batchedReader(db: Database): GenerationRead {
  const read = hotRead(db, GENERATIONS_SQL);
  const unsent = new Map<number, Promise<Map<string, string>>>();
  return async (workspaceId, kind) => {
    let batch = unsent.get(workspaceId);
    if (!batch) {
      batch = Promise.resolve().then(async () => {
        unsent.delete(workspaceId); // a call from now on was made after the read is sent: it waits for the next
        const rows = await read([workspaceId, workspaceId, workspaceId]);
        return new Map(rows.map((row) => [String(row.kind), String(row.generation)]));
      });
      unsent.set(workspaceId, batch);
    }
    return (await batch).get(kind) ?? "0";
  };
}

/**
 * `load`, reused while the workspace's generation of `kind` stays the same. Each caller
 * gets its own copy, so no caller can change what another is given.
 */
export function keptUntilWritten<T>(
  db: Database,
  kind: GenerationKind,
  load: (workspaceId: number) => Promise<T>,
  maxWorkspaces = DEFAULT_MAX_WORKSPACES,
): (workspaceId: number) => Promise<T> {
  const generationOf = generationReader(db);
  const kept = perWorkspace<Promise<T>>(maxWorkspaces);
  return async (workspaceId) => {
    const generation = await generationOf(workspaceId, kind);
    const value = kept.at(workspaceId, generation, () => {
      const loading = load(workspaceId);
      loading.catch(() => kept.forget(workspaceId, loading));
      return loading;
    });
    return structuredClone(await value);
  };
}

/** Keys kept per workspace by keptByKey; past it the workspace's start over. */
const DEFAULT_MAX_KEYS = 4_096;

/**
 * Like keptUntilWritten, for one value per key of a workspace (a member's department):
 * each loaded when first asked, all forgotten when the workspace's generation moves.
 */
export function keptByKey<T>(
  db: Database,
  kind: GenerationKind,
  load: (workspaceId: number, key: string) => Promise<T>,
  maxWorkspaces = DEFAULT_MAX_WORKSPACES,
  maxKeys = DEFAULT_MAX_KEYS,
): (workspaceId: number, key: string) => Promise<T> {
  const generationOf = generationReader(db);
  const kept = perWorkspace<Map<string, Promise<T>>>(maxWorkspaces);
  return async (workspaceId, key) => {
    const generation = await generationOf(workspaceId, kind);
    const values = kept.at(workspaceId, generation, () => new Map());
    let value = values.get(key);
    if (!value) {
      if (values.size >= maxKeys) values.clear();
      const fresh = load(workspaceId, key);
      value = fresh;
      values.set(key, fresh);
      fresh.catch(() => {
        if (values.get(key) === fresh) values.delete(key);
      });
    }
    return structuredClone(await value);
  };
}
