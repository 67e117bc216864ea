// `/kpi …`: answer privately, with a "Share in channel" button when the answer may
// be shared. Thin: the grammar and the use cases live behind the chat layer.
import type { App } from "@slack/bolt";
import { kpiCommandLabel } from "../../../app/chat/command-label.ts";
import { errorAnswer } from "../../../app/chat/error-answer.ts";
import type { ChatCaller, KpiAnswer } from "../../../app/chat/types.ts";
import { appendBlocks, type Message } from "../../../core/messages/model.ts";
import { toSlack } from "../../../render/slack/render.ts";
import { isSlackAdmin } from "../admins.ts";
import { ackWithinBudget, type Reply, responseType } from "../reply.ts";
import type { SlackEnv } from "../slack-env.ts";
import { workspaceOf } from "../workspace.ts";

export const SHARE_ACTION_ID = "kpi_share";

export function withShareButton(answer: KpiAnswer): Message {
  if (answer.share === null) return answer.message;
  return appendBlocks(answer.message, [
    { type: "actions", buttons: [{ label: "Share in channel", actionId: SHARE_ACTION_ID, value: answer.share }] },
  ]);
}

/** Renders for Slack; a message that cannot be rendered becomes the friendly (private) error instead. */
export function renderForSlack(env: SlackEnv, message: Message, context: Record<string, unknown>): Reply {
  try {
    return { response_type: responseType(message), ...toSlack(message) };
  } catch (error) {
    return { response_type: "ephemeral", ...toSlack(errorAnswer(error, env.logger, context)) };
  }
}

export function registerKpiCommand(app: App, env: SlackEnv): void {
  app.command("/kpi", async ({ command, ack, respond, client, context }) => {
    env.metrics?.chatCommands.inc({ platform: "slack", command: kpiCommandLabel(command.text) });
    const workspace = workspaceOf(context);
    const caller: ChatCaller = {
      platform: "slack",
      userId: command.user_id,
      displayName: command.user_name,
      channelId: command.channel_id,
      isAdmin: () => isSlackAdmin({ client, prisma: env.prisma, workspaceId: workspace.id, userId: command.user_id }),
    };
    const where = { command: "/kpi", text: command.text, user: command.user_id, team: command.team_id };
    const work = () =>
      env.chat.kpi(command.text, caller, workspace).then(
        (answer) => renderForSlack(env, withShareButton(answer), where),
        (error) => renderForSlack(env, errorAnswer(error, env.logger, where), where),
      );
    await ackWithinBudget({
      work,
      budgetMs: env.ackBudgetMs,
      blocking: env.blocking,
      ack,
      respond: command.response_url ? respond : undefined,
    });
  });
}
