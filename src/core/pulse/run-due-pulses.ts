// The scheduler's pulse tick: open weekly occurrences whose time came, send reminders
// that are due, close pulses whose time passed (creating the next weekly occurrence).
// Every step is a compare-and-set in the database, so several schedulers (replicas)
// may tick at once and each thing still happens once.

import { describeError } from "../describe-error.ts";
import { closePulse } from "./close-pulse.ts";
import { countAsked } from "./create-pulse.ts";
import { pulseMessage } from "./messages.ts";
import type { PulseDeps } from "./ports.ts";
import { nextOccurrence } from "./recurrence.ts";
import { remindPulse } from "./remind.ts";
import { MIN_DURATION_MS, type Pulse } from "./types.ts";

export type PulseTick = { opened: number; reminded: number; closed: number; skipped: number; failed: number };

const BATCH = 50;

async function openOccurrence(deps: PulseDeps, pulse: Pulse): Promise<"opened" | "skipped" | "lost"> {
  const now = deps.clock.now();
  if (now.getTime() + MIN_DURATION_MS >= pulse.closesAt.getTime()) {
    // Its whole window passed while no scheduler ran: skip to the following one.
    return (await deps.store.skip({ pulseId: pulse.id, next: nextOccurrence(pulse, now) })) ? "skipped" : "lost";
  }
  const target = { platform: pulse.platform, workspaceId: pulse.workspaceId, channelId: pulse.channelId };
  const asked = await countAsked(deps, target);
  if (!(await deps.store.claimOpening(pulse.id, asked))) return "lost";
  const messenger = deps.messengers[pulse.platform];
  if (!messenger) return "opened";
  const zone = await deps.store.zone(pulse.workspaceId);
  try {
    const { messageId } = await messenger.post(
      target,
      pulseMessage({ ...pulse, status: "open", askedCount: asked }, { count: 0, zone }),
    );
    await deps.store.setMessageId(pulse.id, messageId);
    return "opened";
  } catch (error) {
    await deps.store.releaseOpening(pulse.id);
    throw error;
  }
}

export async function runDuePulses(deps: PulseDeps): Promise<PulseTick> {
  const tick: PulseTick = { opened: 0, reminded: 0, closed: 0, skipped: 0, failed: 0 };
  const now = deps.clock.now();
  const each = async (pulses: Pulse[], step: string, run: (pulse: Pulse) => Promise<void>) => {
    for (const pulse of pulses) {
      try {
        await run(pulse);
      } catch (error) {
        tick.failed += 1;
        deps.logger.error(`pulse ${step} failed`, {
          pulseId: pulse.id,
          error: describeError(error),
        });
      }
    }
  };
  await each(await deps.store.dueToOpen(now, BATCH), "opening", async (pulse) => {
    const outcome = await openOccurrence(deps, pulse);
    if (outcome === "opened") tick.opened += 1;
    if (outcome === "skipped") tick.skipped += 1;
  });
  await each(await deps.store.dueReminders(now, BATCH), "reminder", async (pulse) => {
    if (await remindPulse(deps, pulse)) tick.reminded += 1;
  });
  await each(await deps.store.dueToClose(now, BATCH), "close", async (pulse) => {
    if ((await closePulse(deps, { pulseId: pulse.id, actor: "tandem:scheduler" })).closed) tick.closed += 1;
  });
  return tick;
}
