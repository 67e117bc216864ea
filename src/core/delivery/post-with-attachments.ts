// What every messenger's `post` does with attachments: the message first, then each file
// in its thread. Once the text is out nothing may throw, or trying the post again would
// show it twice: a failed file is reported instead.
import { errorText } from "../describe-error.ts";
import type { Message } from "../messages/model.ts";
import type { Attachment, DeliveryTarget, Messenger, PostOutcome } from "./ports.ts";

export async function postWithAttachments(
  send: {
    /** posts the message alone; throws when it did not go out */
    text(target: DeliveryTarget, message: Message): Promise<{ messageId: string }>;
    upload: Messenger["upload"];
  },
  target: DeliveryTarget,
  message: Message,
  attachments: Attachment[] = [],
): Promise<PostOutcome> {
  const { messageId } = await send.text(target, message);
  const attachmentErrors: string[] = [];
  const thread = { ...target, threadId: target.threadId ?? messageId };
  for (const attachment of attachments) {
    try {
      await send.upload(thread, attachment);
    } catch (error) {
      attachmentErrors.push(`${attachment.filename}: ${errorText(error)}`);
    }
  }
  return attachmentErrors.length > 0 ? { messageId, attachmentErrors } : { messageId };
}
