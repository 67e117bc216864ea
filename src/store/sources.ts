// Sources' state and their mirror writes (the SourceStore port of src/core/sources).
// Every statement on facts is scoped to the workspace AND the source's origin, so a
// source can only ever replace or remove facts it wrote itself. A record's facts are
// found through the `record` column (indexed with workspace and origin), not by
// matching external-id prefixes, so ids with any characters stay exact.
import type { SourceDefinition } from "../config/sources-config.ts";
import type { Fact } from "../core/facts/fact.ts";
import {
  type CommitResult,
  type SourceRef,
  type SourceState,
  type SourceStore,
  sourceOrigin,
  type TimeWindow,
} from "../core/sources/ports.ts";
import type { Database, Db } from "./database.ts";
import { factTuple, jsonInsertSql, MAX_JSON_BATCH } from "./fact-repository.ts";
import { keptUntilWritten } from "./generations.ts";

// Keys per DELETE: one JSON parameter each, like the inserts.
const KEYS_PER_STATEMENT = 5000;
const TRANSACTION = { maxWait: 30_000, timeout: 10 * 60_000 };

type Tx = Pick<Db, "$executeRawUnsafe" | "$queryRawUnsafe" | "source">;

/** The store's list of a workspace's sources, read again only after a write to them (generations.ts). */
export function keptSourceList(db: Database, store: Pick<SourceStore, "list">): Pick<SourceStore, "list"> {
  return { list: keptUntilWritten(db, "sources", (workspaceId) => store.list(workspaceId)) };
}

export function createSourceStore(db: Database): SourceStore {
  const sql = statements(db.dialect);
  const removeKeys = async (tx: Tx, source: SourceRef, keys: string[], window?: TimeWindow) => {
    let removed = 0;
    for (let start = 0; start < keys.length; start += KEYS_PER_STATEMENT) {
      const json = JSON.stringify(keys.slice(start, start + KEYS_PER_STATEMENT));
      removed += window
        ? await tx.$executeRawUnsafe(
            sql.deleteRecordsIn,
            source.workspaceId,
            sourceOrigin(source.name),
            json,
            window.fromMs,
            window.toMs,
          )
        : await tx.$executeRawUnsafe(sql.deleteRecords, source.workspaceId, sourceOrigin(source.name), json);
    }
    return removed;
  };

  return {
    async list(workspaceId) {
      const rows = await db.prisma.source.findMany({ where: { workspaceId }, orderBy: { name: "asc" } });
      return rows.map(toState);
    },
    async listAll() {
      const rows = await db.prisma.source.findMany({ orderBy: [{ workspaceId: "asc" }, { name: "asc" }] });
      return rows.map(toState);
    },
    async get(workspaceId, name) {
      const row = await db.prisma.source.findUnique({ where: { workspaceId_name: { workspaceId, name } } });
      return row === null ? null : toState(row);
    },
    async claim(source, claim) {
      const now = new Date(claim.nowMs());
      const { count } = await db.prisma.source.updateMany({
        where: {
          id: source.id,
          OR: [{ claimedBy: null }, { claimedBy: claim.holder }, { leaseUntil: null }, { leaseUntil: { lt: now } }],
        },
        data: { claimedBy: claim.holder, leaseUntil: new Date(now.getTime() + claim.leaseMs) },
      });
      return count === 1;
    },
    async release(source, holder) {
      await db.prisma.source.updateMany({
        where: { id: source.id, claimedBy: holder },
        data: { claimedBy: null, leaseUntil: null },
      });
    },
    async commitPage(source, records, cursor, claim) {
      return db.prisma.$transaction(async (tx): Promise<CommitResult> => {
        const now = new Date(claim.nowMs());
        // Extending the lease first also takes the source's row lock for the batch.
        const held = await tx.source.updateMany({
          where: { id: source.id, claimedBy: claim.holder },
          data: { leaseUntil: new Date(now.getTime() + claim.leaseMs) },
        });
        if (held.count !== 1)
          throw new Error(`source ${source.name}: another sync took it over; this batch was not written`);
        const origin = sourceOrigin(source.name);
        const wanted = new Map<string, [Fact, string]>();
        for (const record of records)
          for (const fact of record.facts) wanted.set(fact.externalId ?? "", [fact, record.key]);
        // Facts that are already stored exactly so stay; the rest of these records' facts go.
        const stale: number[] = [];
        const keys = records.map((record) => record.key);
        for (let start = 0; start < keys.length; start += KEYS_PER_STATEMENT) {
          const stored = await tx.fact.findMany({
            where: {
              workspaceId: source.workspaceId,
              origin,
              record: { in: keys.slice(start, start + KEYS_PER_STATEMENT) },
            },
          });
          for (const row of stored) {
            const now = wanted.get(row.externalId ?? "");
            if (now !== undefined && now[1] === row.record && sameFact(now[0], row))
              wanted.delete(row.externalId ?? "");
            else stale.push(row.id);
          }
        }
        let removed = 0;
        for (let start = 0; start < stale.length; start += KEYS_PER_STATEMENT)
          removed += (
            await tx.fact.deleteMany({ where: { id: { in: stale.slice(start, start + KEYS_PER_STATEMENT) } } })
          ).count;
        const rows = [...wanted.values()].map(([fact, key]) => factTuple(fact, key));
        let written = 0;
        for (let start = 0; start < rows.length; start += MAX_JSON_BATCH) {
          written += await tx.$executeRawUnsafe(
            jsonInsertSql(db.dialect),
            source.workspaceId,
            origin,
            JSON.stringify(rows.slice(start, start + MAX_JSON_BATCH)),
          );
        }
        await tx.source.update({
          where: { id: source.id },
          data: { ...(cursor !== null ? { cursor } : {}), factsOwned: { increment: written - removed } },
        });
        return { written, removed, conflicts: rows.length - written };
      }, TRANSACTION);
    },
    async recordKeys(source, window) {
      const rows = window
        ? await db.prisma.$queryRawUnsafe<{ record: string }[]>(
            sql.recordKeysIn,
            source.workspaceId,
            sourceOrigin(source.name),
            window.fromMs,
            window.toMs,
          )
        : await db.prisma.$queryRawUnsafe<{ record: string }[]>(
            sql.recordKeys,
            source.workspaceId,
            sourceOrigin(source.name),
          );
      return rows.map((row) => row.record);
    },
    async removeRecords(source, keys, window) {
      if (keys.length === 0) return 0;
      return db.prisma.$transaction(async (tx) => {
        const removed = await removeKeys(tx, source, keys, window);
        await tx.source.update({ where: { id: source.id }, data: { factsOwned: { decrement: removed } } });
        return removed;
      }, TRANSACTION);
    },
    async recordSuccess(source, at) {
      await db.prisma.source.update({ where: { id: source.id }, data: { lastSuccessAt: at } });
    },
    async recordFailure(source, at, reason) {
      await db.prisma.source.update({
        where: { id: source.id },
        data: { lastFailureAt: at, lastFailure: reason.slice(0, 500) },
      });
    },
  };
}

function statements(dialect: Database["dialect"]) {
  if (dialect === "sqlite")
    return {
      deleteRecords:
        "DELETE FROM facts WHERE workspace_id = ? AND origin = ? AND record IN (SELECT value FROM json_each(?))",
      deleteRecordsIn:
        "DELETE FROM facts WHERE workspace_id = ? AND origin = ? AND record IN (SELECT value FROM json_each(?)) AND occurred_ms >= ? AND occurred_ms < ?",
      recordKeys: "SELECT DISTINCT record FROM facts WHERE workspace_id = ? AND origin = ? AND record IS NOT NULL",
      recordKeysIn:
        "SELECT DISTINCT record FROM facts WHERE workspace_id = ? AND origin = ? AND record IS NOT NULL AND occurred_ms >= ? AND occurred_ms < ?",
    };
  return {
    deleteRecords:
      "DELETE FROM facts WHERE workspace_id = $1 AND origin = $2 AND record IN (SELECT jsonb_array_elements_text($3::jsonb))",
    deleteRecordsIn:
      "DELETE FROM facts WHERE workspace_id = $1 AND origin = $2 AND record IN (SELECT jsonb_array_elements_text($3::jsonb)) AND occurred_ms >= $4 AND occurred_ms < $5",
    recordKeys: "SELECT DISTINCT record FROM facts WHERE workspace_id = $1 AND origin = $2 AND record IS NOT NULL",
    recordKeysIn:
      "SELECT DISTINCT record FROM facts WHERE workspace_id = $1 AND origin = $2 AND record IS NOT NULL AND occurred_ms >= $3 AND occurred_ms < $4",
  };
}

type StoredFact = {
  occurredMs: bigint;
  kind: string;
  entityId: string | null;
  value: number | null;
  channel: string | null;
  department: string | null;
  segment: string | null;
};

function sameFact(fact: Fact, row: StoredFact): boolean {
  return (
    Number(row.occurredMs) === fact.occurredMs &&
    row.kind === fact.kind &&
    row.entityId === fact.entityId &&
    row.value === fact.value &&
    row.channel === fact.channel &&
    row.department === fact.department &&
    row.segment === fact.segment
  );
}

type SourceRow = Awaited<ReturnType<Db["source"]["findMany"]>>[number];

function toState(row: SourceRow): SourceState {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    name: row.name,
    kind: row.kind,
    everyMs: row.everyMs,
    settings: parseObject(row.settings),
    cursor: row.cursor,
    lastSuccessAt: row.lastSuccessAt,
    lastFailureAt: row.lastFailureAt,
    lastFailure: row.lastFailure,
    factsOwned: row.factsOwned,
    claimedBy: row.claimedBy,
    leaseUntil: row.leaseUntil,
  };
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

export type SourcesApplied = { sources: number; removedSources: string[] };

/**
 * Makes the config's sources the ones in force (inside the config's transaction). A
 * source whose kind or settings changed starts again from no cursor, so its next
 * sync reads everything. A source no longer declared loses its state; its facts stay
 * (origin "source:<name>") until it is declared again and synced.
 */
export async function applySources(
  tx: Pick<Db, "source">,
  workspaceId: number,
  definitions: SourceDefinition[],
): Promise<SourcesApplied> {
  const existing = await tx.source.findMany({ where: { workspaceId } });
  const byName = new Map(existing.map((row) => [row.name, row]));
  for (const definition of definitions) {
    const settings = JSON.stringify(definition.settings);
    const row = byName.get(definition.name);
    if (row === undefined) {
      await tx.source.create({
        data: { workspaceId, name: definition.name, kind: definition.kind, settings, everyMs: definition.everyMs },
      });
    } else {
      const changed = row.kind !== definition.kind || row.settings !== settings;
      await tx.source.update({
        where: { id: row.id },
        data: { kind: definition.kind, settings, everyMs: definition.everyMs, ...(changed ? { cursor: null } : {}) },
      });
    }
  }
  const declared = new Set(definitions.map((definition) => definition.name));
  const removed = existing.filter((row) => !declared.has(row.name));
  if (removed.length > 0) await tx.source.deleteMany({ where: { id: { in: removed.map((row) => row.id) } } });
  return { sources: definitions.length, removedSources: removed.map((row) => row.name).sort() };
}

/** The applied sources as definitions (for `tandem config export`). */
export async function loadSourceDefinitions(
  prisma: Pick<Db, "source">,
  workspaceId: number,
): Promise<SourceDefinition[]> {
  const rows = await prisma.source.findMany({ where: { workspaceId }, orderBy: { id: "asc" } });
  return rows.map((row) => ({
    name: row.name,
    kind: row.kind as SourceDefinition["kind"],
    everyMs: row.everyMs,
    settings: parseObject(row.settings),
  }));
}
