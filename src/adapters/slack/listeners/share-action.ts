// "Share in channel": recompute the answer the button carries (the command with its
// period spelled out, so it is the same answer) and post it for everyone, then
// remove the private copy.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { errorAnswer } from "../../../app/chat/error-answer.ts";
import type { ChatCaller, KpiAnswer } from "../../../app/chat/types.ts";
import { isSlackAdmin } from "../admins.ts";
import { privateReply } from "../reply.ts";
import type { SlackEnv } from "../slack-env.ts";
import { workspaceOf } from "../workspace.ts";
import { renderForSlack, SHARE_ACTION_ID } from "./kpi-command.ts";

export function registerShareAction(app: App, env: SlackEnv): void {
  app.action<BlockAction<ButtonAction>>(SHARE_ACTION_ID, async ({ ack, body, action, respond, client, context }) => {
    await ack();
    const workspace = workspaceOf(context);
    const userId = body.user.id;
    const where = { action: SHARE_ACTION_ID, value: action.value, user: userId };
    const caller: ChatCaller = {
      platform: "slack",
      userId,
      displayName: body.user.name ?? null,
      isAdmin: () => isSlackAdmin({ client, prisma: env.prisma, workspaceId: workspace.id, userId }),
    };
    let answer: KpiAnswer;
    try {
      answer = await env.chat.kpi(action.value ?? "", caller, workspace, { readOnly: true });
    } catch (error) {
      await respond(privateReply(errorAnswer(error, env.logger, where)));
      return;
    }
    if (answer.share === null) {
      // only answers that were offered for sharing are ever posted for the channel
      env.logger.warn("share refused for a private answer", where);
      return;
    }
    const rendered = renderForSlack(env, answer.message, where);
    const sharedBy = /^[UW][A-Z0-9]+$/.test(userId) ? `Shared by <@${userId}>` : "Shared from Tandem";
    const blocks = [...rendered.blocks, { type: "context", elements: [{ type: "mrkdwn", text: sharedBy }] }];
    const post = { text: rendered.text, blocks };
    try {
      await respond({ response_type: "in_channel", replace_original: false, ...post });
    } catch (error) {
      // response_url lasts 30 minutes; after that, post as the bot (it must be in the channel)
      const channel = body.channel?.id;
      if (!channel) throw error;
      env.logger.info("share falling back to chat.postMessage", { ...where, error: String(error) });
      await client.chat.postMessage({ channel, ...post } as Parameters<typeof client.chat.postMessage>[0]);
    }
    await respond({ delete_original: true }).catch((error: unknown) =>
      env.logger.warn("could not remove the private answer after sharing", { ...where, error: String(error) }),
    );
  });
}
