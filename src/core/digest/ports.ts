// What the digest use cases need from the store (src/store/digest-subscriptions.ts
// implements both over Prisma) and from a chart renderer (src/adapters/chart).

import type { ChatPlatform, Platform } from "../platform.ts";
import type { ChartSpec } from "./chart.ts";
import type { Cadence } from "./schedule.ts";

/** Digests go to chat channels only. */
export type DigestPlatform = ChatPlatform;

export type DigestSubscription = {
  id: number;
  workspaceId: number;
  platform: DigestPlatform;
  channelId: string;
  cadence: Cadence;
  /** ISO day of week, 1 = Monday */
  dayOfWeek: number;
  /** local "HH:MM" */
  time: string;
  /** the zone the schedule runs in */
  timezone: string;
  /** the platform user id of whoever subscribed: told by direct message when a digest fails */
  createdBy: string;
  createdAt: Date;
  /** the workspace's zone: the digest's periods are its local weeks and months */
  workspaceZone: string;
};

export type SubscriptionSpec = {
  cadence: Cadence;
  dayOfWeek: number;
  time: string;
  timezone: string;
};

export type SubscriptionStore = {
  /** Creates or replaces the channel's subscription (one per channel), and audits it. */
  subscribe(input: {
    workspaceId: number;
    platform: DigestPlatform;
    channelId: string;
    userId: string;
    spec: SubscriptionSpec;
    now: Date;
  }): Promise<{ subscription: DigestSubscription; previous: SubscriptionSpec | null }>;
  /** Deactivates the channel's subscription, and audits it; false when there was none. */
  unsubscribe(input: { workspaceId: number; platform: Platform; channelId: string; userId: string }): Promise<boolean>;
  list(workspaceId: number): Promise<DigestSubscription[]>;
  /** every active subscription of every workspace, for the scheduler */
  active(): Promise<DigestSubscription[]>;
};

export type ClaimOutcome =
  | { claimed: true; runId: number; attempt: number }
  | { claimed: false; reason: "running" | "posted" | "failed" | "exhausted" };

export type RunState = { subscriptionId: number; periodKey: string; status: string; leaseUntil: Date };

export type ClaimRequest = {
  subscriptionId: number;
  periodKey: string;
  dueAt: Date;
  worker: string;
  now: Date;
  leaseMs: number;
  maxAttempts: number;
};

export type DigestRunStore = {
  /** the runs that exist already, so a tick only claims what may still need posting */
  states(keys: { subscriptionId: number; periodKey: string }[]): Promise<RunState[]>;
  claim(input: ClaimRequest): Promise<ClaimOutcome>;
  markPosted(runId: number, worker: string, messageId: string | null, now: Date): Promise<boolean>;
  markFailed(runId: number, worker: string, error: string): Promise<boolean>;
};

/** Draws a chart as PNG bytes; failures are reported and the digest goes out without it. */
export type ChartRenderer = (spec: ChartSpec) => Promise<Uint8Array>;
