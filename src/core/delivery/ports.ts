// The one way Tandem posts to chat on its own: digests, pulses and their results,
// reminders, rituals, the failure notice to a subscriber, and whatever posts next.
// Each chat platform's adapter implements Messenger (src/adapters/slack/slack-messenger.ts,
// src/adapters/teams/teams-messenger.ts), and so does the test fake. A messenger makes one
// attempt per call and turns every failure into a DeliveryError (delivery-error.ts) that
// says whether trying again may help; retrying is withRetries' (retries.ts), never the
// messenger's, so a post is never retried by two layers at once.
import type { Message } from "../messages/model.ts";
import type { Platform } from "../platform.ts";

/** A channel (or a conversation) of a chat workspace; with `threadId`, a thread in it. */
export type DeliveryTarget = {
  platform: Platform;
  workspaceId: number;
  channelId: string;
  /** the message whose thread this goes into (Slack ts, Teams reply-chain id) */
  threadId?: string;
};

/** A message already posted: what `update` edits. */
export type PostedMessage = DeliveryTarget & { messageId: string };

/** One person, for a direct message. */
export type Recipient = { platform: Platform; workspaceId: number; userId: string };

/** A file posted with a message (the digest's chart); `altText` is what screen readers say. */
export type Attachment = { png: Uint8Array; altText: string; filename: string };

export type PostOutcome = {
  messageId: string;
  /** attachments that failed after the message itself went out (the message is not posted again) */
  attachmentErrors?: string[];
};

export type CanPost = { ok: true } | { ok: false; hint: string };

export type Messenger = {
  /**
   * Posts the message in the channel, or, when the target names a thread, as a reply in
   * that thread. Then each attachment follows in the message's thread. Throws only when
   * the message itself did not go out: an attachment that fails afterwards is reported in
   * `attachmentErrors`, so trying the post again never shows the text twice.
   */
  post(target: DeliveryTarget, message: Message, attachments?: Attachment[]): Promise<PostOutcome>;
  /** Replaces a posted message in place (a pulse's count, its closed form). */
  update(posted: PostedMessage, message: Message): Promise<void>;
  /** A private message to one person (a subscriber told that their digest failed). */
  directMessage(recipient: Recipient, message: Message): Promise<{ messageId: string }>;
  /** Uploads a file into the channel, or into the target's thread. */
  upload(target: DeliveryTarget, attachment: Attachment): Promise<void>;
  /** Whether the bot may post in the channel; `hint` says how to fix it when not. */
  canPost(target: DeliveryTarget): Promise<CanPost>;
  /** People in the channel, bots excluded; null when the platform cannot tell. */
  countAudience?(target: DeliveryTarget): Promise<number | null>;
};
