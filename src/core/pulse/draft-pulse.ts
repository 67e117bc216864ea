// A pulse someone asked for is a draft until its author posts it: the preview (only they
// see it) has Post and Cancel. Post opens it for its duration counted from that moment
// and posts it in the channel; Cancel drops it. Both are compare-and-set on the draft,
// so a double click posts once.
import { AppError, ErrorCode } from "../errors.ts";
import { idReference, isRecordId } from "../ids.ts";
import type { Message } from "../messages/model.ts";
import type { Platform } from "../platform.ts";
import { type CreatedPulse, countAsked, postOpenedPulse } from "./create-pulse.ts";
import { note } from "./messages.ts";
import type { PulseDeps } from "./ports.ts";
import type { Pulse } from "./types.ts";

export type DraftRequest = { pulseId: number; workspaceId: number; platform: Platform; userId: string };

export type PostOutcome = { posted: true; created: CreatedPulse } | { posted: false; message: Message };

async function ownDraft(deps: PulseDeps, request: DraftRequest, verb: string): Promise<Pulse | Message> {
  const pulse = isRecordId(request.pulseId) ? await deps.store.get(request.pulseId) : null;
  if (!pulse || pulse.workspaceId !== request.workspaceId || pulse.platform !== request.platform) {
    throw new AppError(ErrorCode.NotFound, `There is no ${idReference("pulse", request.pulseId)} here.`);
  }
  if (pulse.createdBy !== request.userId) {
    throw new AppError(ErrorCode.Forbidden, `Only the person who wrote pulse #${pulse.id} can ${verb} it.`);
  }
  if (pulse.status === "cancelled") return note(`Pulse #${pulse.id} was cancelled; nothing was posted.`);
  if (pulse.status !== "draft") return note(`Pulse #${pulse.id} is already posted in the channel.`);
  return pulse;
}

/** Post: the draft opens now, for the duration it was asked with, and goes to the channel. */
export async function postDraft(deps: PulseDeps, request: DraftRequest): Promise<PostOutcome> {
  const draft = await ownDraft(deps, request, "post");
  if (!("id" in draft)) return { posted: false, message: draft };
  const now = deps.clock.now();
  const shift = now.getTime() - draft.opensAt.getTime();
  const later = (date: Date) => new Date(date.getTime() + shift);
  const times = {
    opensAt: now,
    closesAt: later(draft.closesAt),
    reminderAt: draft.reminderAt ? later(draft.reminderAt) : null,
    askedCount: await countAsked(deps, {
      platform: draft.platform,
      workspaceId: draft.workspaceId,
      channelId: draft.channelId,
    }),
  };
  if (!(await deps.store.publishDraft(draft.id, times))) {
    return { posted: false, message: note(`Pulse #${draft.id} is already posted in the channel.`) };
  }
  const opened: Pulse = { ...draft, ...times, status: "open" };
  return { posted: true, created: await postOpenedPulse(deps, opened, await deps.store.zone(draft.workspaceId)) };
}

/** Cancel: the draft is dropped; nothing was or will be posted. */
export async function cancelDraft(deps: PulseDeps, request: DraftRequest): Promise<Message> {
  const draft = await ownDraft(deps, request, "cancel");
  if (!("id" in draft)) return draft;
  const dropped = await deps.store.discardDraft(draft.id);
  return note(
    dropped
      ? `Cancelled: pulse #${draft.id} was not posted.`
      : `Pulse #${draft.id} is no longer a draft, so there was nothing to cancel.`,
  );
}

/** The author's newest draft in a channel (for a typed `/pulse post` without a number). */
export async function latestDraft(
  deps: PulseDeps,
  where: { workspaceId: number; platform: Platform; channelId: string; userId: string },
): Promise<Pulse | null> {
  const drafts = await deps.store.listInChannel({ ...where, statuses: ["draft"] });
  return drafts.find((pulse) => pulse.createdBy === where.userId) ?? null;
}
