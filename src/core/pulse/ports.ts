// What the pulse use cases need: a store (src/store/pulses.ts), a messenger per chat
// platform, the respondent keyer, the clock and the log.
import type { RespondentKeyer } from "../crypto/respondent-key.ts";
import type { Messenger } from "../delivery/ports.ts";
import type { Platform } from "../platform.ts";
import type { Clock, Logger } from "../ports.ts";
import type { Answer, NewPulse, Pulse } from "./types.ts";

export type RecordOutcome =
  | { ok: true; previous: { value: number | null; text: string | null } | null }
  | { ok: false; reason: "closed" };

export type PulseStore = {
  /** creates the pulse and its questions */
  create(pulse: NewPulse): Promise<Pulse>;
  get(pulseId: number): Promise<Pulse | null>;
  /**
   * The pulse for answering, possibly from a short-lived cache: questions, times, anonymity
   * and platform never change, but status and the rest may be stale (an answer's open check
   * happens again inside its transaction).
   */
  definition(pulseId: number): Promise<Pulse | null>;
  /** status and respondents now, in one read (for refreshing the count on the message) */
  liveState(pulseId: number): Promise<{ status: Pulse["status"]; respondents: number } | null>;
  /** the newest pulse in a channel with one of these statuses */
  latestInChannel(where: {
    workspaceId: number;
    platform: Platform;
    channelId: string;
    statuses: Pulse["status"][];
  }): Promise<Pulse | null>;
  listInChannel(where: {
    workspaceId: number;
    platform: Platform;
    channelId: string;
    statuses: Pulse["status"][];
  }): Promise<Pulse[]>;
  setMessageId(pulseId: number, messageId: string): Promise<void>;
  /**
   * Upserts one answer on (question, respondent), only while the pulse is open: the
   * check and the write are one transaction, so no answer lands after the close.
   * Answers carry the pulse's opening time, not the moment of the click.
   */
  recordAnswer(input: Answer & { pulseId: number; at: Date }): Promise<RecordOutcome>;
  /** people who answered at least one question */
  countRespondents(pulseId: number): Promise<number>;
  answers(pulseId: number): Promise<Answer[]>;
  /**
   * Compare-and-set open → closed (closed_at, closed_ms = now; asked_count raised to the
   * respondents if it was lower). Only one caller ever gets `closed: true`; `next`, the
   * following occurrence of a recurring pulse, is created in the same transaction.
   */
  close(input: {
    pulseId: number;
    now: Date;
    next: NewPulse | null;
  }): Promise<{ closed: boolean; nextId: number | null }>;
  /** compare-and-set: true for the one caller that may send the reminder */
  claimReminder(pulseId: number, now: Date): Promise<boolean>;
  /** compare-and-set scheduled → open (with the people asked); true for the one caller that posts it */
  claimOpening(pulseId: number, askedCount: number): Promise<boolean>;
  /** compare-and-set draft → open with the times counted from the moment it is posted; true for the one caller that posts it */
  publishDraft(
    pulseId: number,
    times: { opensAt: Date; closesAt: Date; reminderAt: Date | null; askedCount: number },
  ): Promise<boolean>;
  /** compare-and-set draft → cancelled: true when the draft was dropped now */
  discardDraft(pulseId: number): Promise<boolean>;
  /** back to scheduled after a post that failed, so the next tick tries again */
  releaseOpening(pulseId: number): Promise<void>;
  /** a pulse that could not be posted at all */
  cancel(pulseId: number): Promise<void>;
  /**
   * Compare-and-set scheduled → cancelled for an occurrence whose time passed while no
   * scheduler ran; `next` (the one after it) is created in the same transaction.
   */
  skip(input: { pulseId: number; next: NewPulse | null }): Promise<boolean>;
  /** stops the repeats: drops the rule from open pulses and cancels scheduled ones; returns how many */
  stopRecurrence(pulseIds: number[]): Promise<number>;
  dueToOpen(now: Date, limit: number): Promise<Pulse[]>;
  dueReminders(now: Date, limit: number): Promise<Pulse[]>;
  dueToClose(now: Date, limit: number): Promise<Pulse[]>;
  /** the respondent's department key now (stored with the answer for breakdowns) */
  memberDepartment(workspaceId: number, platform: Platform, userId: string): Promise<string | null>;
  departments(workspaceId: number): Promise<{ key: string; name: string }[]>;
  /** the workspace's IANA zone, for the times pulses show */
  zone(workspaceId: number): Promise<string>;
  /** the workspace's minimum group size for breakdowns (settings.pulseMinGroupSize), never below 3 */
  minGroupSize(workspaceId: number): Promise<number>;
  /** people the platform knows in the workspace, the participation fallback when a channel cannot be counted */
  knownMembers(workspaceId: number, platform: Platform): Promise<number>;
  audit(entry: { workspaceId: number; actor: string; action: string; detail?: Record<string, unknown> }): Promise<void>;
};

/** What pulses and rituals share: who answered (keyed), when, the log, and where they post. */
export type AnsweringDeps = {
  keyer: RespondentKeyer;
  clock: Clock;
  logger: Logger;
  /** by platform, each retried (withRetries); a platform without one (the local console) posts nothing */
  messengers: Partial<Record<Platform, Messenger>>;
};

export type PulseDeps = AnsweringDeps & { store: PulseStore };
