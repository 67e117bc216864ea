// Teams names a channel thread "<channel id>;messageid=<root message id>". Tandem keeps
// one conversation reference per channel (digests, pulses and subscriptions belong to
// the channel, not to the thread someone happened to @mention the bot in) and builds
// the thread's id back when a post must go into a thread.
import type { ConversationReference } from "botbuilder";

const THREAD_MARK = ";messageid=";

/** The channel (or chat) a conversation id belongs to, without the thread part. */
export function channelOf(conversationId: string): string {
  const at = conversationId.indexOf(THREAD_MARK);
  return at === -1 ? conversationId : conversationId.slice(0, at);
}

/** The conversation id of a thread in a channel (Teams' reply chain under `rootMessageId`). */
export function threadOf(conversationId: string, rootMessageId: string): string {
  return `${channelOf(conversationId)}${THREAD_MARK}${rootMessageId}`;
}

/**
 * What is stored for proactive posts: the channel's reference without the thread and
 * without the activity it came with (a proactive post answers no particular message).
 * Only a personal chat keeps its person: in a channel or group chat, `user` would be
 * whoever spoke or clicked last, and every proactive post (a pulse's new count) would
 * carry that person as its recipient.
 */
export function channelReference(reference: Partial<ConversationReference>): Partial<ConversationReference> {
  const { activityId: _activityId, user, ...rest } = reference;
  const personal = rest.conversation?.conversationType === "personal";
  const kept = personal && user ? { ...rest, user } : rest;
  if (!kept.conversation?.id) return kept;
  return { ...kept, conversation: { ...kept.conversation, id: channelOf(kept.conversation.id) } };
}
