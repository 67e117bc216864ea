// Closes a pulse exactly once: the store's compare-and-set (open → closed) lets one
// caller through however many schedulers or `/pulse close` commands race; that caller
// computes the results, posts them, turns the pulse's buttons off and, for a weekly
// pulse, finds the next occurrence already created in the same transaction.
import type { Message } from "../messages/model.ts";
import { pulseMessage, resultsMessage } from "./messages.ts";
import type { PulseDeps } from "./ports.ts";
import { nextOccurrence } from "./recurrence.ts";
import { type PulseResults, summarizePulse } from "./results.ts";
import type { Pulse } from "./types.ts";

export type CloseOutcome =
  | { closed: false; pulse: Pulse | null }
  | { closed: true; pulse: Pulse; results: PulseResults; message: Message; posted: boolean; nextId: number | null };

export async function closePulse(deps: PulseDeps, request: { pulseId: number; actor: string }): Promise<CloseOutcome> {
  const pulse = await deps.store.get(request.pulseId);
  if (pulse?.status !== "open") return { closed: false, pulse };
  const now = deps.clock.now();
  const outcome = await deps.store.close({ pulseId: pulse.id, now, next: nextOccurrence(pulse, now) });
  if (!outcome.closed) return { closed: false, pulse: await deps.store.get(pulse.id) };

  const closed = (await deps.store.get(pulse.id)) ?? pulse;
  const [answers, departments, zone] = await Promise.all([
    deps.store.answers(pulse.id),
    deps.store.departments(pulse.workspaceId),
    deps.store.zone(pulse.workspaceId),
  ]);
  const results = summarizePulse(closed, answers, departments);
  const message = resultsMessage(results, zone);
  await deps.store.audit({
    workspaceId: pulse.workspaceId,
    actor: request.actor,
    action: "pulse.closed",
    detail: { pulseId: pulse.id, respondents: results.respondents, asked: results.asked, nextPulseId: outcome.nextId },
  });

  let posted = false;
  const messenger = deps.messengers[pulse.platform];
  if (messenger) {
    const target = { platform: pulse.platform, workspaceId: pulse.workspaceId, channelId: pulse.channelId };
    // Results first: they matter more than the buttons going grey.
    try {
      await messenger.post(target, message);
      posted = true;
    } catch (error) {
      deps.logger.error("pulse results could not be posted (/pulse results shows them)", {
        pulseId: pulse.id,
        error: String(error),
      });
    }
    if (closed.messageId) {
      await messenger
        .update(
          { ...target, messageId: closed.messageId },
          pulseMessage(closed, { count: results.respondents, zone, closed: true }),
        )
        .catch((error: unknown) =>
          deps.logger.warn("the closed pulse's buttons could not be removed", {
            pulseId: pulse.id,
            error: String(error),
          }),
        );
    }
  }
  return { closed: true, pulse: closed, results, message, posted, nextId: outcome.nextId };
}

/** The results of a pulse that has closed (for `/pulse results`), or null while it is open. */
export async function pulseResults(
  deps: PulseDeps,
  pulseId: number,
): Promise<{ pulse: Pulse; message: Message } | null> {
  const pulse = await deps.store.get(pulseId);
  if (pulse?.status !== "closed") return null;
  const [answers, departments, zone] = await Promise.all([
    deps.store.answers(pulse.id),
    deps.store.departments(pulse.workspaceId),
    deps.store.zone(pulse.workspaceId),
  ]);
  return { pulse, message: resultsMessage(summarizePulse(pulse, answers, departments), zone) };
}
