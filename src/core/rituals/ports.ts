// What the ritual use cases need from the store (src/store/rituals.ts) and the chat.
import type { Platform } from "../platform.ts";
import type { AnsweringDeps } from "../pulse/ports.ts";
import type { Ritual, Tally, Verdict, WhyReason } from "./types.ts";

export type RitualStore = {
  /** creates the ritual unless one exists for (workspace, platform, channel, metric, period) */
  open(input: {
    workspaceId: number;
    platform: Platform;
    channelId: string;
    threadId: string | null;
    metricKey: string;
    periodKey: string;
  }): Promise<{ ritual: Ritual; created: boolean }>;
  get(ritualId: number): Promise<Ritual | null>;
  /** one vote per voter key, changeable: an upsert on (ritual, voter key) */
  vote(input: { ritualId: number; voterKey: string; reason: WhyReason }): Promise<{ previous: WhyReason | null }>;
  tally(ritualId: number): Promise<Tally>;
  tallies(ritualIds: number[]): Promise<Map<number, Tally>>;
  /**
   * compare-and-set open → decided, scheduling the outcome check at `checkAt` in the same
   * write; false when it was decided already
   */
  decide(input: { ritualId: number; decision: string; decidedBy: string; now: Date; checkAt: Date }): Promise<boolean>;
  list(workspaceId: number, limit: number): Promise<Ritual[]>;
  /** the workspace's IANA zone */
  zone(workspaceId: number): Promise<string>;
  departments(workspaceId: number): Promise<{ key: string; name: string }[]>;
  audit(entry: { workspaceId: number; actor: string; action: string; detail?: Record<string, unknown> }): Promise<void>;
};

export type RitualDeps = AnsweringDeps & { store: RitualStore };

/** An outcome check that is due: never claimed, or claimed by a scheduler whose lease ran out. */
export type DueOutcome = { ritualId: number; dueAt: Date };

export type OutcomeClaim =
  | { claimed: true; attempt: number }
  /** exhausted: every claimer died before posting; this call recorded it failed */
  | { claimed: false; reason: "running" | "posted" | "failed" | "exhausted" };

/** Outcome checks in the database: claimed by compare-and-set, so one scheduler posts each. */
export type OutcomeStore = {
  due(now: Date, limit: number): Promise<DueOutcome[]>;
  claim(input: {
    ritualId: number;
    worker: string;
    now: Date;
    leaseMs: number;
    maxAttempts: number;
  }): Promise<OutcomeClaim>;
  /** only while `worker` holds the claim */
  markPosted(input: {
    ritualId: number;
    worker: string;
    now: Date;
    messageId: string;
    verdict: Verdict;
    value: number | null;
    target: number | null;
    baseline: number | null;
  }): Promise<boolean>;
  markFailed(input: { ritualId: number; worker: string; error: string }): Promise<boolean>;
};
