// The delivery port's test fake: records what would have been posted, edited, uploaded
// and sent privately, and fails on demand: queue errors with failPosts(...) and the next
// post attempts throw them, in order. Like the platforms' messengers it never retries.
import type { Attachment, DeliveryTarget, Messenger, PostedMessage, Recipient } from "../../src/core/delivery/ports.ts";
import type { Message } from "../../src/core/messages/model.ts";

/** `order`: when it was delivered, counted across every kind of delivery */
export type RecordedPost = {
  target: DeliveryTarget;
  message: Message;
  attachments: Attachment[];
  messageId: string;
  order: number;
};
export type RecordedUpdate = { target: PostedMessage; message: Message; order: number };
export type RecordedUpload = { target: DeliveryTarget; attachment: Attachment; order: number };
export type RecordedDm = { target: Recipient; message: Message; order: number };

export type FakeMessenger = Messenger & {
  posts: RecordedPost[];
  updates: RecordedUpdate[];
  uploads: RecordedUpload[];
  directMessages: RecordedDm[];
  /** every post attempt, failed ones included */
  attempts: number;
  /** the next post attempts throw these, one each */
  failPosts(...errors: Error[]): void;
  /** channels the bot is not a member of (canPost says so) */
  notInChannel: Set<string>;
  /** what countAudience answers (null: the platform cannot tell) */
  audience: number | null;
  /** runs inside post, before it records (a test can stall or crash there) */
  beforePost?: (target: DeliveryTarget) => Promise<void> | void;
};

/** `idPrefix` starts every message id it hands out (two fakes in one test tell their posts apart). */
export function createFakeMessenger(idPrefix = "m"): FakeMessenger {
  const failures: Error[] = [];
  let counter = 0;
  let order = 0;
  const fake: FakeMessenger = {
    posts: [],
    updates: [],
    uploads: [],
    directMessages: [],
    attempts: 0,
    notInChannel: new Set(),
    audience: null,
    failPosts: (...errors) => {
      failures.push(...errors);
    },
    async post(target, message, attachments = []) {
      fake.attempts++;
      const failure = failures.shift();
      if (failure) throw failure;
      await fake.beforePost?.(target);
      const messageId = `${idPrefix}${++counter}`;
      fake.posts.push({ target, message, attachments, messageId, order: ++order });
      return { messageId };
    },
    async update(target, message) {
      fake.updates.push({ target, message, order: ++order });
    },
    async upload(target, attachment) {
      fake.uploads.push({ target, attachment, order: ++order });
    },
    async directMessage(target, message) {
      fake.directMessages.push({ target, message, order: ++order });
      return { messageId: `dm${++counter}` };
    },
    async canPost(target) {
      return fake.notInChannel.has(target.channelId)
        ? { ok: false, hint: "Invite me first: type `/invite @Tandem` in the channel." }
        : { ok: true };
    },
    async countAudience() {
      return fake.audience;
    },
  };
  return fake;
}
