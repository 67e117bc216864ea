// The sync engine's store (src/store/sources.ts implements it): per-source state and
// the mirror writes, each scoped to one source's own facts (origin "source:<name>").
import type { SourceRecord } from "./reader.ts";

export type SourceRef = { id: number; workspaceId: number; name: string };

export type SourceState = SourceRef & {
  kind: string;
  everyMs: number;
  /** base_url, rates and the kind's own keys as applied (secrets only as variable names) */
  settings: Record<string, unknown>;
  cursor: string | null;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  /** why the last failure failed (no secrets: readers word it) */
  lastFailure: string | null;
  factsOwned: number;
  claimedBy: string | null;
  leaseUntil: Date | null;
};

/** Facts with occurred instants in [fromMs, toMs). */
export type TimeWindow = { fromMs: number; toMs: number };

export type CommitResult = {
  /** facts inserted */
  written: number;
  /** facts of these records that were stored before and replaced or removed */
  removed: number;
  /** facts not written because their external_id is already stored with another origin */
  conflicts: number;
};

/** A sync's hold on its source: every commit checks it and extends the lease. */
export type SyncClaim = { holder: string; leaseMs: number; nowMs: () => number };

export type SourceStore = {
  list(workspaceId: number): Promise<SourceState[]>;
  get(workspaceId: number, name: string): Promise<SourceState | null>;
  /** Compare-and-set: true when `holder` now holds the source (free, expired, or already its own). */
  claim(source: SourceRef, claim: SyncClaim): Promise<boolean>;
  release(source: SourceRef, holder: string): Promise<void>;
  /**
   * One transaction: each record's stored facts (this source's only) are replaced by
   * its facts now, and the cursor (when not null) is stored. Throws, committing nothing,
   * when the claim was lost.
   */
  commitPage(
    source: SourceRef,
    records: SourceRecord[],
    cursor: string | null,
    claim: SyncClaim,
  ): Promise<CommitResult>;
  /** Record keys this source holds facts for (only facts within `window` when given). */
  recordKeys(source: SourceRef, window?: TimeWindow): Promise<string[]>;
  /** Removes these records' facts (within `window` when given) in one transaction; returns how many. */
  removeRecords(source: SourceRef, keys: string[], window?: TimeWindow): Promise<number>;
  recordSuccess(source: SourceRef, at: Date): Promise<void>;
  recordFailure(source: SourceRef, at: Date, reason: string): Promise<void>;
};

export function sourceOrigin(name: string): `source:${string}` {
  return `source:${name}`;
}
