// An alert's buttons in Slack (Acknowledge, Snooze a day or a week, Open a ritual): the
// shared actOnAlert records the press and updates the posted alert with chat.update; the
// person who pressed hears privately only when the press changed nothing or was refused.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { errorAnswer } from "../../../app/chat/error-answer.ts";
import {
  ALERT_ACTION_PATTERN,
  type AlertActionDeps,
  actOnAlert,
  readAlertAction,
} from "../../../core/alerts/act-on-alert.ts";
import { AppError, ErrorCode } from "../../../core/errors.ts";
import { makeMessage } from "../../../core/messages/model.ts";
import { privateReply } from "../reply.ts";
import type { SlackEnv } from "../slack-env.ts";
import { workspaceOf } from "../workspace.ts";

/**
 * A person of the workspace the app is installed in: Slack Connect brings people of other
 * organisations into shared channels, and they may read an alert but not act on it.
 */
function fromThisWorkspace(body: BlockAction): boolean {
  const own = body.user.team_id;
  return !own || !body.team?.id || own === body.team.id || Boolean(body.enterprise?.id);
}

export function registerAlertActions(app: App, env: SlackEnv, deps: AlertActionDeps): void {
  app.action<BlockAction<ButtonAction>>(ALERT_ACTION_PATTERN, async ({ ack, action, body, respond, context }) => {
    await ack();
    const where = { action: "alert", actionId: action.action_id.slice(0, 40) };
    try {
      if (!fromThisWorkspace(body))
        throw new AppError(ErrorCode.Forbidden, "Only members of this Slack workspace can act on its alerts.");
      const pressed = readAlertAction(action.action_id, action.value);
      const result = await actOnAlert(deps, pressed, {
        platform: "slack",
        workspaceId: workspaceOf(context).id,
        channelId: body.channel?.id ?? body.container?.channel_id ?? "",
        userId: body.user.id,
        name: body.user.name ?? body.user.id,
      });
      if (!result.changed)
        await respond(privateReply(makeMessage([{ type: "section", text: result.note }], { visibility: "private" })));
    } catch (error) {
      await respond(privateReply(errorAnswer(error, env.logger, where)));
    }
  });
}
