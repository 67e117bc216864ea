// `/pulse …`: the bare command opens the form (views.open with the trigger id); the
// rest (`/pulse "QUESTION"`, templates, close, results, list, stop) goes through the
// chat layer like every other surface's `pulse …`.
import type { App } from "@slack/bolt";
import { errorAnswer } from "../../../app/chat/error-answer.ts";
import type { ChatCaller } from "../../../app/chat/types.ts";
import type { PulseServices } from "../../../app/pulse.ts";
import { isAppError } from "../../../core/errors.ts";
import type { Message } from "../../../core/messages/model.ts";
import { createPulse, parsePulseSpec } from "../../../core/pulse/create-pulse.ts";
import { parsePulseCommand } from "../../../core/pulse/parse-pulse-command.ts";
import { toSlack } from "../../../render/slack/render.ts";
import { isSlackAdmin } from "../admins.ts";
import { formErrorsFor, PULSE_FORM_CALLBACK, parsePulseForm, pulseFormView, type ViewState } from "../pulse-modal.ts";
import { ackWithinBudget } from "../reply.ts";
import type { SlackEnv } from "../slack-env.ts";
import { workspaceOf } from "../workspace.ts";
import { renderForSlack } from "./kpi-command.ts";

export function registerPulseCommand(app: App, env: SlackEnv, services: PulseServices): void {
  app.command("/pulse", async ({ command, ack, respond, client, context }) => {
    env.metrics?.chatCommands.inc({ platform: "slack", command: "pulse" });
    const workspace = workspaceOf(context);
    const where = { command: "/pulse", channel: command.channel_id, team: command.team_id };
    if (parsePulseCommand(command.text).kind === "form") {
      await ack();
      try {
        await client.views.open({
          trigger_id: command.trigger_id,
          view: pulseFormView({ channelId: command.channel_id, zone: workspace.timezone }),
        });
      } catch (error) {
        await respond({ response_type: "ephemeral", ...toSlack(errorAnswer(error, env.logger, where)) });
      }
      return;
    }
    const caller: ChatCaller = {
      platform: "slack",
      userId: command.user_id,
      channelId: command.channel_id,
      isAdmin: () => isSlackAdmin({ client, prisma: env.prisma, workspaceId: workspace.id, userId: command.user_id }),
    };
    const work = () =>
      env.chat.pulse(command.text, caller, workspace).then(
        (message) => renderForSlack(env, message, where),
        (error) => renderForSlack(env, errorAnswer(error, env.logger, where), where),
      );
    await ackWithinBudget({ work, budgetMs: env.ackBudgetMs, ack, respond, blocking: env.blocking });
  });

  app.view(PULSE_FORM_CALLBACK, async ({ ack, view, body, client, context }) => {
    const workspace = workspaceOf(context);
    const parsed = parsePulseForm(view.state.values as ViewState, view.private_metadata);
    if (!parsed.ok) {
      await ack({ response_action: "errors", errors: parsed.errors });
      return;
    }
    try {
      parsePulseSpec(parsed.spec);
    } catch (error) {
      const issues = isAppError(error)
        ? (error.details as { issues?: { path: PropertyKey[]; message: string }[] })?.issues
        : undefined;
      if (!issues) throw error;
      await ack({ response_action: "errors", errors: formErrorsFor(issues) });
      return;
    }
    await ack();
    const channelId = parsed.channelId;
    try {
      const draft = await createPulse(
        services.pulses,
        {
          workspaceId: workspace.id,
          platform: "slack",
          channelId: parsed.channelId,
          createdBy: body.user.id,
          spec: parsed.spec,
        },
        { draft: true, prefix: "/pulse" },
      );
      await postPrivately(draft.message);
    } catch (error) {
      await postPrivately(errorAnswer(error, env.logger, { view: PULSE_FORM_CALLBACK, channel: parsed.channelId }));
    }

    /** The form's answer, in the channel it was opened from, to the person who sent it only. */
    async function postPrivately(message: Message): Promise<void> {
      await client.chat.postEphemeral({
        channel: channelId,
        user: body.user.id,
        ...toSlack(message),
      } as Parameters<typeof client.chat.postEphemeral>[0]);
    }
  });
}
