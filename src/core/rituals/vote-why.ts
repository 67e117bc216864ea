// The one-tap "why" poll: one vote per person per ritual (pseudonymous voter key, as for
// pulse answers), changeable while the ritual is open.
import { AppError, ErrorCode } from "../errors.ts";
import { type Message, makeMessage } from "../messages/model.ts";
import type { Platform } from "../platform.ts";
import { tallyText } from "./messages.ts";
import type { RitualDeps } from "./ports.ts";
import { type Tally, WHY_LABELS, WHY_REASONS, type WhyReason } from "./types.ts";

export async function voteWhy(
  deps: RitualDeps,
  request: { ritualId: number; platform: Platform; userId: string; reason: string },
): Promise<{ message: Message; tally: Tally | null }> {
  const ritual = await deps.store.get(request.ritualId);
  if (!ritual || ritual.platform !== request.platform)
    throw new AppError(ErrorCode.NotFound, "I can't find that ritual any more.");
  if (!(WHY_REASONS as readonly string[]).includes(request.reason)) {
    throw new AppError(ErrorCode.InvalidInput, "That isn't one of the poll's answers.");
  }
  const reason = request.reason as WhyReason;
  if (ritual.status !== "open") {
    return {
      message: makeMessage(
        [{ type: "section", text: "A decision is already recorded for this one, so the poll is closed. Thanks!" }],
        {
          visibility: "private",
        },
      ),
      tally: null,
    };
  }
  const voterKey = deps.keyer(
    { kind: "ritual", id: ritual.id },
    { platform: request.platform, userId: request.userId },
  );
  const { previous } = await deps.store.vote({ ritualId: ritual.id, voterKey, reason });
  const tally = await deps.store.tally(ritual.id);
  const what =
    previous === null
      ? `Counted: *${WHY_LABELS[reason]}*.`
      : previous === reason
        ? `You had already said *${WHY_LABELS[reason]}*; it counts once.`
        : `Changed to *${WHY_LABELS[reason]}*.`;
  return {
    message: makeMessage(
      [
        { type: "section", text: what },
        { type: "context", text: `So far: ${tallyText(tally)}. Votes are counted, never named.` },
      ],
      { visibility: "private" },
    ),
    tally,
  };
}
