// Post and Cancel on a pulse's private preview: the draft goes to the channel (or is
// dropped), and the preview is replaced, for its author only, by what happened.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { errorAnswer } from "../../../app/chat/error-answer.ts";
import type { PulseServices } from "../../../app/pulse.ts";
import { answerDraft } from "../../../app/pulse-text.ts";
import { parsePulseDraftActionId } from "../../../core/pulse/messages.ts";
import { toSlack } from "../../../render/slack/render.ts";
import { privateReply } from "../reply.ts";
import type { SlackEnv } from "../slack-env.ts";
import { workspaceOf } from "../workspace.ts";

const DRAFT_ACTION = /^pulse_(post|cancel):\d+$/;

export function registerPulseDraftActions(app: App, env: SlackEnv, services: PulseServices): void {
  app.action<BlockAction<ButtonAction>>(DRAFT_ACTION, async ({ ack, action, body, respond, context }) => {
    await ack();
    const draft = parsePulseDraftActionId(action.action_id);
    if (!draft) return;
    const workspace = workspaceOf(context);
    const request = {
      pulseId: draft.pulseId,
      workspaceId: workspace.id,
      platform: "slack" as const,
      userId: body.user.id,
    };
    try {
      const message = await answerDraft(services.pulses, draft.verb, request, {
        prefix: "/pulse",
        zone: workspace.timezone,
      });
      await respond({ response_type: "ephemeral", replace_original: true, ...toSlack(message) });
    } catch (error) {
      await respond(
        privateReply(errorAnswer(error, env.logger, { action: `pulse_${draft.verb}`, pulseId: draft.pulseId })),
      );
    }
  });
}
