// One reminder in the pulse's thread before it closes ("6 hours left, 9 answers so far"),
// never direct messages to everyone. Claimed by compare-and-set, so it goes out at most
// once however many schedulers run.
import { reminderMessage } from "./messages.ts";
import type { PulseDeps } from "./ports.ts";
import type { Pulse } from "./types.ts";

export async function remindPulse(deps: PulseDeps, pulse: Pulse): Promise<boolean> {
  const now = deps.clock.now();
  if (pulse.status !== "open" || !pulse.reminderAt || pulse.reminderSentAt || now >= pulse.closesAt) return false;
  if (!(await deps.store.claimReminder(pulse.id, now))) return false;
  const messenger = deps.messengers[pulse.platform];
  if (!messenger || !pulse.messageId) return true;
  const count = await deps.store.countRespondents(pulse.id);
  try {
    await messenger.post(
      {
        platform: pulse.platform,
        workspaceId: pulse.workspaceId,
        channelId: pulse.channelId,
        threadId: pulse.messageId,
      },
      reminderMessage(pulse, { count, now }),
    );
  } catch (error) {
    deps.logger.warn("pulse reminder could not be posted", { pulseId: pulse.id, error: String(error) });
  }
  return true;
}
