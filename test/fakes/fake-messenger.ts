// A Messenger that records what would have been posted, and fails on demand: queue
// errors with failPosts(...) and the next post attempts throw them, in order.
import type { Message } from "../../src/core/messages/model.ts";
import type { Attachment, DeliveryTarget, Messenger } from "../../src/core/ports.ts";

export type RecordedPost = { target: DeliveryTarget; message: Message; attachments: Attachment[]; messageId: string };
export type RecordedDm = {
  target: { platform: "slack" | "teams"; workspaceId: number; userId: string };
  message: Message;
};

export type FakeMessenger = Messenger & {
  posts: RecordedPost[];
  directMessages: RecordedDm[];
  /** every post attempt, failed ones included */
  attempts: number;
  /** the next post attempts throw these, one each */
  failPosts(...errors: Error[]): void;
  /** channels the bot is not a member of (canPost says so) */
  notInChannel: Set<string>;
  /** runs inside post, before it records (a test can stall or crash there) */
  beforePost?: (target: DeliveryTarget) => Promise<void> | void;
};

export function createFakeMessenger(): FakeMessenger {
  const failures: Error[] = [];
  let counter = 0;
  const fake: FakeMessenger = {
    posts: [],
    directMessages: [],
    attempts: 0,
    notInChannel: new Set(),
    failPosts: (...errors) => {
      failures.push(...errors);
    },
    async post(target, message, attachments = []) {
      fake.attempts++;
      const failure = failures.shift();
      if (failure) throw failure;
      await fake.beforePost?.(target);
      const messageId = `m${++counter}`;
      fake.posts.push({ target, message, attachments, messageId });
      return { messageId };
    },
    async directMessage(target, message) {
      fake.directMessages.push({ target, message });
      return { messageId: `dm${++counter}` };
    },
    async canPost(target) {
      return fake.notInChannel.has(target.channelId)
        ? { ok: false, hint: "Invite me first: type `/invite @Tandem` in the channel." }
        : { ok: true };
    },
  };
  return fake;
}
