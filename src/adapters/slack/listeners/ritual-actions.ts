// The ritual under a digest: the "why" poll (one tap, counted not named, confirmed
// privately) and "Record decision" (a modal; the decision is posted in the thread).
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { errorAnswer } from "../../../app/chat/error-answer.ts";
import type { PulseServices } from "../../../app/pulse.ts";
import { isAppError } from "../../../core/errors.ts";
import { makeMessage } from "../../../core/messages/model.ts";
import { defaultCheckDay, isCheckDateError } from "../../../core/rituals/check-date.ts";
import { parseDecideActionId, parseRitualChoiceId } from "../../../core/rituals/messages.ts";
import { recordDecision } from "../../../core/rituals/record-decision.ts";
import { voteWhy } from "../../../core/rituals/vote-why.ts";
import { parseChoiceActionId } from "../../../render/slack/render.ts";
import { type DecisionMetadata, decisionView, RITUAL_DECISION_CALLBACK, readMetadata } from "../pulse-modal.ts";
import { privateReply } from "../reply.ts";
import type { SlackEnv } from "../slack-env.ts";

const WHY_ACTION = /^ritual:\d+:\d+$/;
const DECIDE_ACTION = /^ritual_decide:\d+$/;

export function registerRitualActions(app: App, env: SlackEnv, services: PulseServices): void {
  app.action<BlockAction<ButtonAction>>(WHY_ACTION, async ({ ack, action, body, respond }) => {
    await ack();
    const choice = parseChoiceActionId(action.action_id);
    const ritualId = choice ? parseRitualChoiceId(choice.choiceId) : null;
    if (ritualId === null) return;
    try {
      const { message } = await voteWhy(services.rituals, {
        ritualId,
        platform: "slack",
        userId: body.user.id,
        reason: action.value ?? "",
      });
      await respond(privateReply(message));
    } catch (error) {
      await respond(privateReply(errorAnswer(error, env.logger, { action: "ritual_why", ritualId })));
    }
  });

  app.action<BlockAction<ButtonAction>>(DECIDE_ACTION, async ({ ack, action, body, client, respond }) => {
    await ack();
    const ritualId = parseDecideActionId(action.action_id);
    const ritual = ritualId === null ? null : await services.rituals.store.get(ritualId);
    if (!ritual) {
      const text = "I can't find that ritual any more.";
      await respond(privateReply(makeMessage([{ type: "section", text }], { visibility: "private" })));
      return;
    }
    const metricName = await services.metricName(ritual.workspaceId, ritual.metricKey);
    if (ritual.status !== "open") {
      const text = `A decision on *${metricName}* is already recorded: “${ritual.decision ?? ""}”.`;
      await respond(privateReply(makeMessage([{ type: "section", text }], { visibility: "private" })));
      return;
    }
    const zone = await services.rituals.store.zone(ritual.workspaceId);
    const checkDay = defaultCheckDay(ritual.periodKey, services.rituals.clock.now(), zone);
    await client.views.open({
      trigger_id: body.trigger_id,
      view: decisionView({ ritualId: ritual.id, metricName, checkDay }),
    });
  });

  app.view(RITUAL_DECISION_CALLBACK, async ({ ack, view, body }) => {
    const meta = readMetadata<DecisionMetadata>(view.private_metadata);
    if (!meta) {
      await ack({
        response_action: "errors",
        errors: { decision: "This form lost track of its ritual; click the button again." },
      });
      return;
    }
    const ritual = await services.rituals.store.get(meta.ritualId);
    if (!ritual) {
      await ack({ response_action: "errors", errors: { decision: "I can't find that ritual any more." } });
      return;
    }
    try {
      await recordDecision(services.rituals, {
        ritualId: ritual.id,
        platform: "slack",
        userId: body.user.id,
        displayName: body.user.name ?? body.user.id,
        decision: view.state.values.decision?.value?.value ?? "",
        metricName: await services.metricName(ritual.workspaceId, ritual.metricKey),
        checkOn: view.state.values.check?.value?.selected_date ?? null,
      });
    } catch (error) {
      const message = isAppError(error) ? error.message : "Sorry, the decision couldn't be saved. Please try again.";
      if (!isAppError(error)) errorAnswer(error, env.logger, { view: RITUAL_DECISION_CALLBACK, ritualId: ritual.id });
      // a bad date is shown under the date, anything else under the decision
      const field = isCheckDateError(error) ? "check" : "decision";
      await ack({ response_action: "errors", errors: { [field]: message } });
      return;
    }
    await ack();
  });
}
