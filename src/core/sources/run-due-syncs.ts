// Syncs the sources that are due, each exactly once across every scheduler on the
// database (SOURCES.md, "Scheduled exactly once"). A source is due `every` after its
// last attempt (success or failure), so a failing source is retried on its next due
// time, not on every tick. The claim in the database decides who syncs; due-ness is
// checked again AFTER the claim, from the stored state, because another scheduler
// may have synced (and released) the source between our read and our claim. A
// holder that dies mid-sync leaves a lease that expires, and the source, still due,
// is taken over by the next tick.
import { describeError, errorText } from "../describe-error.ts";
import type { Clock, Logger } from "../ports.ts";
import type { SourceState, SourceStore, SyncClaim } from "./ports.ts";
import type { SourceReader } from "./reader.ts";
import { SourceBusyError, SYNC_LEASE_MS, type SyncReport, syncSource } from "./sync-source.ts";

export type RunDueSyncsDeps = {
  store: SourceStore;
  /** the reader for a source (its workspace's zone and currency, its secrets); may throw */
  readerFor(source: SourceState): Promise<SourceReader>;
  clock: Clock;
  logger: Logger;
  /** this process's name in the claims (host:pid:random) */
  holder: string;
  leaseMs?: number;
  /** called after each sync this holder ran, with the state before it and after it */
  afterSync?(ran: { before: SourceState; after: SourceState; error: unknown }): Promise<void>;
};

export type DueSyncOutcome =
  /** synced now by this holder */
  | "synced"
  /** this holder tried and it failed: recorded, retried on the next due time */
  | "failed"
  /** another holder has it */
  | "busy"
  /** another holder synced it since it was listed */
  | "done-elsewhere";

export type DueSyncReport = {
  workspaceId: number;
  source: string;
  outcome: DueSyncOutcome;
  report?: SyncReport;
  detail?: string;
};

/** When the source's next sync is due: `every` after its last attempt, at once if it never ran. */
export function nextSyncDueMs(source: Pick<SourceState, "everyMs" | "lastSuccessAt" | "lastFailureAt">): number {
  const attempts = [source.lastSuccessAt, source.lastFailureAt].filter((at): at is Date => at !== null);
  if (attempts.length === 0) return Number.NEGATIVE_INFINITY;
  return Math.max(...attempts.map((at) => at.getTime())) + source.everyMs;
}

export function isSyncDue(
  source: Pick<SourceState, "everyMs" | "lastSuccessAt" | "lastFailureAt">,
  nowMs: number,
): boolean {
  return nextSyncDueMs(source) <= nowMs;
}

/** One pass: every due source, one after the other (a vendor's rate limit is per source anyway). */
export async function runDueSyncs(deps: RunDueSyncsDeps, now: Date): Promise<DueSyncReport[]> {
  const reports: DueSyncReport[] = [];
  for (const source of await deps.store.listAll()) {
    if (!isSyncDue(source, now.getTime())) continue;
    const report = await runOne(deps, source, now);
    reports.push(report);
    if (report.outcome === "failed")
      deps.logger.warn("source sync failed", { source: source.name, workspaceId: source.workspaceId });
    else if (report.outcome === "synced")
      deps.logger.info("source synced", {
        source: source.name,
        workspaceId: source.workspaceId,
        records: report.report?.records,
        written: report.report?.written,
        removed: report.report?.removed,
      });
  }
  return reports;
}

async function runOne(deps: RunDueSyncsDeps, listed: SourceState, now: Date): Promise<DueSyncReport> {
  const base = { workspaceId: listed.workspaceId, source: listed.name };
  const claim: SyncClaim = {
    holder: deps.holder,
    leaseMs: deps.leaseMs ?? SYNC_LEASE_MS,
    nowMs: () => deps.clock.now().getTime(),
  };
  if (!(await deps.store.claim(listed, claim))) return { ...base, outcome: "busy" };
  let released = false;
  try {
    const before = await deps.store.get(listed.workspaceId, listed.name);
    if (before === null || !isSyncDue(before, now.getTime())) return { ...base, outcome: "done-elsewhere" };
    // from here syncSource holds the claim (already ours) and releases it
    released = true;
    let error: unknown = null;
    let report: SyncReport | undefined;
    try {
      const reader = await deps.readerFor(before).catch(async (cause: unknown) => {
        // no reader (a secret unset, say) is a failed sync like any other
        await deps.store.recordFailure(before, deps.clock.now(), errorText(cause));
        await deps.store.release(before, deps.holder);
        throw cause;
      });
      report = await syncSource(before, { full: false }, { ...syncDeps(deps, claim), reader });
    } catch (cause) {
      if (cause instanceof SourceBusyError) return { ...base, outcome: "busy" };
      error = cause;
      deps.logger.debug("source sync error", { source: listed.name, error: describeError(cause) });
    }
    await notifyAfter(deps, before, error);
    return error === null
      ? { ...base, outcome: "synced", ...(report ? { report } : {}) }
      : { ...base, outcome: "failed", detail: errorText(error) };
  } finally {
    if (!released) await deps.store.release(listed, deps.holder).catch(() => undefined);
  }
}

function syncDeps(deps: RunDueSyncsDeps, claim: SyncClaim) {
  return { store: deps.store, clock: deps.clock, holder: deps.holder, leaseMs: claim.leaseMs };
}

async function notifyAfter(deps: RunDueSyncsDeps, before: SourceState, error: unknown): Promise<void> {
  if (!deps.afterSync) return;
  try {
    const after = await deps.store.get(before.workspaceId, before.name);
    if (after !== null) await deps.afterSync({ before, after, error });
  } catch (cause) {
    // telling people must never make the sync itself look failed
    deps.logger.error("after a source sync", { source: before.name, error: describeError(cause) });
  }
}
