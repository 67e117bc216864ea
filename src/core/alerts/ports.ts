// What the alert use cases need from the store (src/store/alert-rules.ts implements it).
import type { Message } from "../messages/model.ts";
import type { Platform } from "../platform.ts";
import type { RuleState } from "./evaluate-alert.ts";

export type StoredRule = {
  id: number;
  workspaceId: number;
  platform: Platform;
  channelId: string;
  /** the rule in the grammar's words (ruleText) */
  rule: string;
  source: "chat" | "config";
  createdBy: string;
  paused: boolean;
  state: RuleState;
  /** how many times it has fired */
  crossings: number;
  snoozedUntil: Date | null;
};

export type StoredAlert = {
  id: number;
  ruleId: number;
  crossing: number;
  status: "claimed" | "posted" | "failed";
  value: number | null;
  message: Message | null;
  messageId: string | null;
  acknowledgedBy: string | null;
  snoozedUntil: Date | null;
  snoozedBy: string | null;
  ritualId: number | null;
  createdAt: Date;
};

export type NewRule = {
  workspaceId: number;
  platform: Platform;
  channelId: string;
  rule: string;
  createdBy: string;
  source: "chat" | "config";
};

export type AlertRuleStore = {
  /** adds the rule unless the channel has it already (same words) */
  add(input: NewRule): Promise<{ rule: StoredRule; created: boolean }>;
  /** the workspace's rules, or one channel's, oldest first */
  list(workspaceId: number, channel?: { platform: Platform; channelId: string }): Promise<StoredRule[]>;
  get(ruleId: number): Promise<StoredRule | null>;
  setPaused(workspaceId: number, ruleId: number, paused: boolean): Promise<StoredRule | null>;
  remove(workspaceId: number, ruleId: number): Promise<boolean>;
  /** rules not paused; of one workspace, or of all */
  active(workspaceId?: number): Promise<StoredRule[]>;
  /**
   * The claim: armed → firing and crossing + 1, only if the rule still stands where this
   * worker saw it (compare-and-set), then the alert row for that crossing. Null when
   * another worker got there first.
   */
  claimCrossing(input: { rule: StoredRule; worker: string; value: number; now: Date }): Promise<StoredAlert | null>;
  /** firing → armed, only if no other worker moved the rule since */
  rearm(rule: StoredRule, now: Date): Promise<boolean>;
  markPosted(alertId: number, messageId: string, message: Message): Promise<void>;
  markFailed(alertId: number, error: string): Promise<void>;
  getAlert(alertId: number): Promise<{ alert: StoredAlert; rule: StoredRule } | null>;
  /** records who acknowledged; false when someone already had */
  acknowledge(alertId: number, who: string, now: Date): Promise<boolean>;
  /**
   * Silences the rule until then and re-arms it, so it fires again if still crossed
   * afterwards; false when the alert is snoozed already (a snooze still running).
   */
  snooze(alertId: number, input: { until: Date; who: string; now: Date }): Promise<boolean>;
  /** links the ritual opened from the alert; false when one was linked already */
  setRitual(alertId: number, ritualId: number): Promise<boolean>;
  /** each rule's newest alert */
  latestAlerts(ruleIds: number[]): Promise<Map<number, StoredAlert>>;
  setMessage(alertId: number, message: Message): Promise<void>;
  /** when the workspace's newest fact happened, or null without facts */
  latestFactAt(workspaceId: number): Promise<Date | null>;
};

/** Facts changed (an import, an ingest call, a source sync): what writers call. */
export type FactsChanged = (workspaceId: number) => Promise<void>;
