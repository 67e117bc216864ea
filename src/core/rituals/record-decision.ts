// "Record decision": the first decision recorded closes the ritual (compare-and-set
// open → decided) and is posted in the thread with the poll's tally. The same write
// schedules the outcome check: on the day the team picked, or at the end of the first
// period of the ritual's grain that ends after the decision (check-date.ts).
import { AppError, ErrorCode } from "../errors.ts";
import { parsePeriod } from "../kpi/periods.ts";
import type { Message } from "../messages/model.ts";
import type { Platform } from "../platform.ts";
import { defaultCheckAt, parseCheckDate } from "./check-date.ts";
import { decisionMessage } from "./messages.ts";
import type { RitualDeps } from "./ports.ts";
import { DECISION_CHARS, type Ritual, ritualThread } from "./types.ts";

export async function recordDecision(
  deps: RitualDeps,
  request: {
    ritualId: number;
    platform: Platform;
    userId: string;
    displayName: string;
    decision: string;
    metricName?: string;
    /** YYYY-MM-DD in the workspace's zone; absent or blank: the default (check-date.ts) */
    checkOn?: string | null;
  },
): Promise<{ ritual: Ritual; message: Message; posted: boolean }> {
  const decision = request.decision.trim();
  if (decision === "") throw new AppError(ErrorCode.InvalidInput, "Write the decision, in a sentence or two.");
  if (Array.from(decision).length > DECISION_CHARS) {
    throw new AppError(ErrorCode.InvalidInput, `Keep the decision under ${DECISION_CHARS} characters.`);
  }
  const ritual = await deps.store.get(request.ritualId);
  if (!ritual || ritual.platform !== request.platform)
    throw new AppError(ErrorCode.NotFound, "I can't find that ritual any more.");
  const now = deps.clock.now();
  const zone = await deps.store.zone(ritual.workspaceId);
  const { grain } = parsePeriod(ritual.periodKey, now, zone);
  const checkOn = request.checkOn?.trim() ?? "";
  const checkAt =
    checkOn === "" ? defaultCheckAt(grain, now, zone) : parseCheckDate(checkOn, { decidedAt: now, zone, grain });
  const won = await deps.store.decide({ ritualId: ritual.id, decision, decidedBy: request.displayName, now, checkAt });
  if (!won) {
    const current = await deps.store.get(ritual.id);
    throw new AppError(
      ErrorCode.Conflict,
      `A decision was already recorded${current?.decidedBy ? ` by ${current.decidedBy}` : ""}: “${current?.decision ?? ""}”.`,
    );
  }
  await deps.store.audit({
    workspaceId: ritual.workspaceId,
    actor: `${request.platform}:${request.userId}`,
    action: "ritual.decided",
    detail: { ritualId: ritual.id, metric: ritual.metricKey, period: ritual.periodKey },
  });
  const decided = (await deps.store.get(ritual.id)) ?? ritual;
  const tally = await deps.store.tally(ritual.id);
  const message = decisionMessage(decided, request.metricName ?? ritual.metricKey, tally, request.displayName, zone);
  const messenger = deps.messengers[ritual.platform];
  let posted = false;
  if (messenger) {
    try {
      await messenger.post(ritualThread(ritual), message);
      posted = true;
    } catch (error) {
      deps.logger.error("ritual decision could not be posted", { ritualId: ritual.id, error: String(error) });
    }
  }
  return { ritual: decided, message, posted };
}
