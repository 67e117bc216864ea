// Pulse answers in Teams through Universal Actions: a click on an Action.Execute button
// records the answer (one per person per question, changeable until the close, the same
// recordAnswer as Slack), the clicked card is replaced for that person only with their
// confirmation above the pulse, and the card everyone sees is refreshed with the count of
// answers, never who answered. Free-text questions get a card with a text box. Nothing
// here logs who answered: log lines carry the pulse, never the user.
import type { PulseServices } from "../../app/pulse.ts";
import { answerDraft } from "../../app/pulse-text.ts";
import { type Block, type Message, makeMessage } from "../../core/messages/model.ts";
import {
  closedRefusal,
  parsePulseChoiceId,
  parsePulseDraftActionId,
  parsePulseTextActionId,
  pulseMessage,
} from "../../core/pulse/messages.ts";
import { recordAnswer } from "../../core/pulse/record-answer.ts";
import { type Pulse, TEXT_ANSWER_CHARS } from "../../core/pulse/types.ts";
import { type AdaptiveCard, toAdaptiveCard } from "../../render/teams/render.ts";
import type { CardAction, CardActionHandler, CardActionResult } from "./teams-app.ts";

const TEXT_ANSWER_VERB = "pulse_text_answer";
const VIEW_VERB = "pulse_view";
/** the Input.Text id: Action.Execute merges input values into `data` under it */
const ANSWER_INPUT = "answer";

export type PulseCardActions = {
  handle: CardActionHandler;
  /** resolves once every count refresh started so far has finished (tests, shutdown) */
  idle(): Promise<void>;
};

/** `workspaceId`: the one workspace Teams serves (a draft's Post and Cancel act in it only). */
export function createPulseCardActions(services: PulseServices, workspaceId: number): PulseCardActions {
  const deps = services.pulses;
  const refreshes = createCoalescer();

  /** The card everyone sees, with the new count; coalesced so a burst of clicks costs a few updates. */
  const refreshForEveryone = (pulse: Pulse, fallbackMessageId: string | null): void => {
    const messageId = pulse.messageId ?? fallbackMessageId;
    const messenger = deps.messengers.teams;
    if (!messageId || !messenger) return;
    refreshes.run(`${pulse.id}:${messageId}`, async () => {
      try {
        const current = await deps.store.get(pulse.id);
        if (current?.status !== "open") return;
        const [count, zone] = await Promise.all([
          deps.store.countRespondents(current.id),
          deps.store.zone(current.workspaceId),
        ]);
        await messenger.update(
          { platform: "teams", workspaceId: current.workspaceId, channelId: current.channelId, messageId },
          pulseMessage(current, { count, zone }),
        );
      } catch (error) {
        // The answer is stored; only the shared count on screen is behind until the next click.
        deps.logger.warn("pulse count could not be refreshed in Teams", { pulseId: pulse.id, error: String(error) });
      }
    });
  };

  /** The pulse as it stands, with `top` (a confirmation) above it: what the person who clicked sees. */
  const personalView = async (pulse: Pulse, top: Message | null): Promise<Message> => {
    const current = (await deps.store.get(pulse.id)) ?? pulse;
    const [count, zone] = await Promise.all([
      deps.store.countRespondents(current.id),
      deps.store.zone(current.workspaceId),
    ]);
    const closed = current.status !== "open" || deps.clock.now() >= current.closesAt;
    const card = pulseMessage(current, { count, zone, closed });
    const blocks: Block[] = top ? [...top.blocks, { type: "divider" }, ...card.blocks] : card.blocks;
    return makeMessage(blocks, { visibility: "private" });
  };

  const answer = async (
    action: CardAction,
    ids: { pulseId: number; questionId: number },
    given: { value: string } | { text: string },
  ): Promise<CardActionResult> => {
    const outcome = await recordAnswer(deps, {
      pulseId: ids.pulseId,
      questionId: ids.questionId,
      platform: "teams",
      userId: action.caller.userId,
      ...given,
    });
    if (outcome.status === "recorded" && outcome.change !== "same") refreshForEveryone(outcome.pulse, action.messageId);
    return { message: await personalView(outcome.pulse, outcome.message) };
  };

  const handle: CardActionHandler = async (action) => {
    const draft = parsePulseDraftActionId(action.verb);
    if (draft) {
      const request = { pulseId: draft.pulseId, workspaceId, platform: "teams" as const, userId: action.caller.userId };
      const zone = await deps.store.zone(workspaceId);
      return { message: await answerDraft(deps, draft.verb, request, { prefix: "pulse", zone }) };
    }
    const choice = parsePulseChoiceId(action.verb);
    if (choice) return answer(action, choice, { value: stringOf(action.data.value) });

    const textButton = parsePulseTextActionId(action.verb);
    if (textButton) {
      const pulse = await deps.store.get(textButton.pulseId);
      const question = pulse?.questions.find((q) => q.id === textButton.questionId);
      if (!pulse || !question || pulse.platform !== "teams") return null;
      if (pulse.status !== "open" || deps.clock.now() >= pulse.closesAt) {
        return { message: await personalView(pulse, closedRefusal(pulse, await deps.store.zone(pulse.workspaceId))) };
      }
      return { card: textAnswerCard(pulse, textButton.questionId, question.text) };
    }

    const textAnswer = parseIds(TEXT_ANSWER_VERB, action.verb);
    if (textAnswer) return answer(action, textAnswer, { text: stringOf(action.data[ANSWER_INPUT]) });

    const view = new RegExp(`^${VIEW_VERB}:(\\d+)$`).exec(action.verb);
    if (view) {
      const pulse = await deps.store.get(Number(view[1]));
      return pulse && pulse.platform === "teams" ? { message: await personalView(pulse, null) } : null;
    }
    return null;
  };

  return { handle, idle: () => refreshes.idle() };
}

/** The text box for a free-text question, shown to the person who clicked "Write your answer". */
function textAnswerCard(pulse: Pulse, questionId: number, question: string): AdaptiveCard {
  const card = toAdaptiveCard(
    makeMessage([
      { type: "header", text: "Your answer" },
      { type: "section", text: `*${question}*` },
      {
        type: "context",
        text: pulse.anonymous
          ? "Anonymous: nobody, admins included, can see who wrote what. Answers are shown only once enough people wrote one."
          : "Not anonymous: your answer is stored with your name (results never show names).",
      },
    ]),
  );
  card.body.push(
    {
      type: "Input.Text",
      id: ANSWER_INPUT,
      label: "Answer",
      isMultiline: true,
      isRequired: true,
      maxLength: TEXT_ANSWER_CHARS,
      errorMessage: "Write a few words, or go back without answering.",
    },
    {
      type: "ActionSet",
      actions: [
        {
          type: "Action.Execute",
          title: "Send answer",
          verb: `${TEXT_ANSWER_VERB}:${pulse.id}:${questionId}`,
          style: "positive",
        },
        { type: "Action.Execute", title: "Back", verb: `${VIEW_VERB}:${pulse.id}`, associatedInputs: "none" },
      ],
    },
  );
  return card;
}

function parseIds(prefix: string, verb: string): { pulseId: number; questionId: number } | null {
  const match = new RegExp(`^${prefix}:(\\d+):(\\d+)$`).exec(verb);
  return match ? { pulseId: Number(match[1]), questionId: Number(match[2]) } : null;
}

function stringOf(value: unknown): string {
  return typeof value === "string" || typeof value === "number" ? String(value) : "";
}

/** One run in flight per key; runs asked for meanwhile fold into one more round. */
function createCoalescer() {
  const running = new Map<string, { again: boolean; done: Promise<void> }>();
  return {
    run(key: string, work: () => Promise<void>): void {
      const current = running.get(key);
      if (current) {
        current.again = true;
        return;
      }
      const entry = { again: false, done: Promise.resolve() };
      entry.done = (async () => {
        try {
          do {
            entry.again = false;
            await work();
          } while (entry.again);
        } finally {
          running.delete(key);
        }
      })();
      running.set(key, entry);
    },
    async idle(): Promise<void> {
      while (running.size > 0) await Promise.all([...running.values()].map((entry) => entry.done));
    },
  };
}
