// Rituals: a shared metric off track becomes a conversation under the digest, with a
// one-tap "why" poll and a recorded decision.
import type { DeliveryTarget } from "../delivery/ports.ts";
import type { Platform } from "../platform.ts";

export const WHY_REASONS = ["data", "process", "expected", "other"] as const;
export type WhyReason = (typeof WHY_REASONS)[number];

export const WHY_LABELS: Record<WhyReason, string> = {
  data: "Data problem",
  process: "Process",
  expected: "Expected",
  other: "Other",
};

export type RitualStatus = "open" | "decided";

export type Ritual = {
  id: number;
  workspaceId: number;
  metricKey: string;
  periodKey: string;
  platform: Platform;
  channelId: string;
  /** the digest message the ritual is a thread under */
  threadId: string | null;
  status: RitualStatus;
  decision: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  createdAt: Date;
  /** the re-check of the metric, scheduled when the decision is recorded */
  outcome: RitualOutcome | null;
};

/** How a decision worked out, by the definitions of docs/metrics.md ("Decisions and outcomes"). */
export const VERDICTS = ["recovered", "not_yet", "worse", "no_data"] as const;
export type Verdict = (typeof VERDICTS)[number];

export const VERDICT_LABELS: Record<Verdict, string> = {
  recovered: "recovered",
  not_yet: "not yet",
  worse: "worse",
  no_data: "no data",
};

/** scheduled → claimed (by one scheduler) → posted, or failed when it could not be posted */
export type OutcomeStatus = "scheduled" | "claimed" | "posted" | "failed";

export type RitualOutcome = {
  dueAt: Date;
  status: OutcomeStatus;
  verdict: Verdict | null;
  value: number | null;
  target: number | null;
  baseline: number | null;
  postedAt: Date | null;
};

export type Tally = Record<WhyReason, number>;

/** Where a ritual's posts go: the digest's thread, or the channel when the digest left no thread. */
export function ritualThread(
  ritual: Pick<Ritual, "platform" | "workspaceId" | "channelId" | "threadId">,
): DeliveryTarget {
  const { platform, workspaceId, channelId, threadId } = ritual;
  return { platform, workspaceId, channelId, ...(threadId ? { threadId } : {}) };
}

export const DECISION_CHARS = 1_000;
