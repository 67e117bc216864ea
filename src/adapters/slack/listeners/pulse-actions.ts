// Answer buttons on a pulse: record the answer (one per person per question, changeable
// until the close), confirm it privately, and refresh the public message with the count
// of answers only. Free-text questions answer through a modal. Nothing here logs who
// answered: log lines carry the pulse, never the user.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { errorAnswer } from "../../../app/answer-kpi-command.ts";
import { type PulseServices, withMessenger } from "../../../app/pulse.ts";
import { isAppError } from "../../../core/errors.ts";
import type { Message } from "../../../core/messages/model.ts";
import {
  closedRefusal,
  note,
  parsePulseChoiceId,
  parsePulseTextActionId,
  pulseMessage,
} from "../../../core/pulse/messages.ts";
import { recordAnswer } from "../../../core/pulse/record-answer.ts";
import { parseChoiceActionId, toSlack } from "../../../render/slack/render.ts";
import { messengerForClient } from "../pulse-messenger.ts";
import { PULSE_TEXT_CALLBACK, type TextAnswerMetadata, textAnswerView, thanksView } from "../pulse-modal.ts";
import type { SlackEnv } from "../slack-env.ts";
import { workspaceOf } from "../workspace.ts";

const CHOICE_ACTION = /^pulse:\d+:\d+:\d+$/;
const TEXT_ACTION = /^pulse_text:\d+:\d+$/;

/**
 * One chat.update in flight per message; clicks that arrive meanwhile ask for one more
 * round, so the last update always shows the latest count and a burst of 200 clicks
 * costs a handful of calls, not 200.
 */
export function createCountRefresher(logger: SlackEnv["logger"]) {
  const running = new Map<string, { again: boolean; done: Promise<void> }>();
  return (key: string, refresh: () => Promise<void>): Promise<void> => {
    const current = running.get(key);
    if (current) {
      current.again = true;
      return current.done;
    }
    const entry = { again: false, done: Promise.resolve() };
    entry.done = (async () => {
      try {
        do {
          entry.again = false;
          await refresh().catch((error: unknown) =>
            logger.warn("pulse count could not be refreshed", { message: key, error: String(error) }),
          );
        } while (entry.again);
      } finally {
        running.delete(key);
      }
    })();
    running.set(key, entry);
    return entry.done;
  };
}

export function registerPulseActions(app: App, env: SlackEnv, services: PulseServices): void {
  const refreshCount = createCountRefresher(env.logger);

  async function refresh(scoped: PulseServices, pulseId: number, channelId: string, messageTs: string): Promise<void> {
    await refreshCount(`${channelId}:${messageTs}`, async () => {
      const [pulse, state] = await Promise.all([
        scoped.pulses.store.definition(pulseId),
        scoped.pulses.store.liveState(pulseId),
      ]);
      // a closed pulse's message was replaced by its closed form: never put the buttons back
      if (!pulse || state?.status !== "open") return;
      const zone = await scoped.pulses.store.zone(pulse.workspaceId);
      const target = { platform: "slack", workspaceId: pulse.workspaceId, channelId, messageId: messageTs };
      await scoped.pulses.messengers.slack?.update(target, pulseMessage(pulse, { count: state.respondents, zone }));
      // If the pulse closed while this update was on its way, it may have overwritten the
      // closed form: put that back.
      const after = await scoped.pulses.store.liveState(pulseId);
      if (after && after.status !== "open") {
        await scoped.pulses.messengers.slack?.update(
          target,
          pulseMessage(pulse, { count: after.respondents, zone, closed: true }),
        );
      }
    });
  }

  const privately = (message: Message) => ({
    response_type: "ephemeral" as const,
    replace_original: false,
    ...toSlack(message),
  });

  app.action<BlockAction<ButtonAction>>(CHOICE_ACTION, async ({ ack, action, body, respond, client, context }) => {
    await ack();
    const choice = parseChoiceActionId(action.action_id);
    const ids = choice ? parsePulseChoiceId(choice.choiceId) : null;
    if (!ids) return;
    const where = { action: "pulse_answer", pulseId: ids.pulseId };
    const scoped = withMessenger(services, "slack", messengerForClient(client, context.botUserId));
    let answered: Awaited<ReturnType<typeof recordAnswer>>;
    try {
      answered = await recordAnswer(scoped.pulses, {
        pulseId: ids.pulseId,
        questionId: ids.questionId,
        platform: "slack",
        userId: body.user.id,
        value: action.value ?? "",
      });
    } catch (error) {
      await respond(privately(errorAnswer(error, env.logger, where)));
      return;
    }
    await respond(privately(answered.message));
    const channelId = body.channel?.id ?? body.container?.channel_id;
    const messageTs = body.message?.ts ?? body.container?.message_ts;
    if (answered.status === "recorded" && answered.change !== "same" && channelId && messageTs) {
      await refresh(scoped, ids.pulseId, channelId, messageTs);
    }
  });

  app.action<BlockAction<ButtonAction>>(TEXT_ACTION, async ({ ack, action, body, respond, client }) => {
    await ack();
    const ids = parsePulseTextActionId(action.action_id);
    if (!ids) return;
    const pulse = await services.pulses.store.definition(ids.pulseId);
    const question = pulse?.questions.find((q) => q.id === ids.questionId);
    const channelId = body.channel?.id ?? body.container?.channel_id ?? "";
    const messageTs = body.message?.ts ?? body.container?.message_ts ?? "";
    if (!pulse || !question) {
      await respond(privately(note("I can't find that pulse any more.")));
      return;
    }
    if (pulse.status !== "open" || services.pulses.clock.now() >= pulse.closesAt) {
      await respond(privately(closedRefusal(pulse, await services.pulses.store.zone(pulse.workspaceId))));
      return;
    }
    await client.views.open({
      trigger_id: body.trigger_id,
      view: textAnswerView({ ...ids, channelId, messageTs, question: question.text, anonymous: pulse.anonymous }),
    });
  });

  app.view(PULSE_TEXT_CALLBACK, async ({ ack, view, body, client, context }) => {
    workspaceOf(context);
    let meta: TextAnswerMetadata;
    try {
      meta = JSON.parse(view.private_metadata) as TextAnswerMetadata;
    } catch {
      await ack({
        response_action: "errors",
        errors: { answer: "This form lost track of its pulse; click the button again." },
      });
      return;
    }
    const scoped = withMessenger(services, "slack", messengerForClient(client, context.botUserId));
    const text = view.state.values.answer?.value?.value ?? "";
    let answered: Awaited<ReturnType<typeof recordAnswer>>;
    try {
      answered = await recordAnswer(scoped.pulses, {
        pulseId: meta.pulseId,
        questionId: meta.questionId,
        platform: "slack",
        userId: body.user.id,
        text,
      });
    } catch (error) {
      const message = isAppError(error) ? error.message : "Sorry, that answer couldn't be saved. Please try again.";
      if (!isAppError(error)) errorAnswer(error, env.logger, { view: PULSE_TEXT_CALLBACK, pulseId: meta.pulseId });
      await ack({ response_action: "errors", errors: { answer: message } });
      return;
    }
    if (answered.status === "closed") {
      await ack({
        response_action: "errors",
        errors: { answer: "This pulse has closed, so answers are no longer counted." },
      });
      return;
    }
    await ack({ response_action: "update", view: thanksView(answered.message.text) });
    if (answered.change !== "same" && meta.channelId && meta.messageTs) {
      await refresh(scoped, meta.pulseId, meta.channelId, meta.messageTs);
    }
  });
}
