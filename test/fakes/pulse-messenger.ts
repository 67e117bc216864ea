// A PulseMessenger that records what it was asked to post and edit, for core and
// integration tests of pulses and rituals.
import type { Message } from "../../src/core/messages/model.ts";
import type { PulseMessenger, PulseTarget } from "../../src/core/pulse/ports.ts";

export type RecordingMessenger = PulseMessenger & {
  posts: { target: PulseTarget; message: Message; messageId: string }[];
  updates: { target: PulseTarget & { messageId: string }; message: Message }[];
  audience: number | null;
};

export function recordingMessenger(prefix = "m"): RecordingMessenger {
  let counter = 0;
  const messenger: RecordingMessenger = {
    posts: [],
    updates: [],
    audience: null,
    async post(target, message) {
      const messageId = `${prefix}${++counter}`;
      messenger.posts.push({ target, message, messageId });
      return { messageId };
    },
    async update(target, message) {
      messenger.updates.push({ target, message });
    },
    async countAudience() {
      return messenger.audience;
    },
  };
  return messenger;
}
