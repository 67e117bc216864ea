// The ritual under a digest, in Teams through Universal Actions: the one-tap "why" poll
// (counted, never named) and "Record decision", which shows the person who clicked a
// card with the decision and the day to check the outcome; recording it posts the
// decision in the thread, as in Slack, and schedules the outcome check.
import type { PulseServices } from "../../app/pulse.ts";
import { isAppError } from "../../core/errors.ts";
import { type Block, makeMessage } from "../../core/messages/model.ts";
import { checkDayBounds, defaultCheckDay } from "../../core/rituals/check-date.ts";
import { decideActionId, parseDecideActionId, parseRitualChoiceId } from "../../core/rituals/messages.ts";
import { recordDecision } from "../../core/rituals/record-decision.ts";
import { DECISION_CHARS, type Ritual } from "../../core/rituals/types.ts";
import { voteWhy } from "../../core/rituals/vote-why.ts";
import { type AdaptiveCard, toAdaptiveCard } from "../../render/teams/render.ts";
import type { CardActionHandler, CardActionResult } from "./teams-app.ts";

const RECORD_VERB = "ritual_decision";
/** the inputs' ids: Action.Execute merges their values into `data` under them */
const DECISION_INPUT = "decision";
const CHECK_INPUT = "checkOn";

export function createRitualCardActions(services: PulseServices): CardActionHandler {
  const deps = services.rituals;

  const ritualOnTeams = async (ritualId: number): Promise<Ritual | null> => {
    const ritual = await deps.store.get(ritualId);
    return ritual && ritual.platform === "teams" ? ritual : null;
  };

  const notFound = (): CardActionResult => ({
    message: makeMessage([{ type: "section", text: "I can't find that ritual any more." }], { visibility: "private" }),
  });

  const decisionCard = async (ritual: Ritual, problem: string | null): Promise<AdaptiveCard> => {
    const metricName = await services.metricName(ritual.workspaceId, ritual.metricKey);
    const zone = await deps.store.zone(ritual.workspaceId);
    const checkDay = defaultCheckDay(ritual.periodKey, deps.clock.now(), zone);
    const bounds = checkDayBounds(deps.clock.now(), zone);
    const blocks: Block[] = [
      { type: "header", text: "Record decision" },
      ...(problem ? [{ type: "section" as const, text: `⚠️ ${problem}` }] : []),
      {
        type: "context",
        text: `Tandem posts the outcome in the thread on the check day (${checkDay} unless you pick another).`,
      },
    ];
    const card = toAdaptiveCard(makeMessage(blocks, { visibility: "private" }));
    card.body.push(
      {
        type: "Input.Text",
        id: DECISION_INPUT,
        label: `What did you decide about ${metricName}?`,
        isMultiline: true,
        isRequired: true,
        maxLength: DECISION_CHARS,
        errorMessage: "Write the decision, in a sentence or two.",
      },
      {
        type: "Input.Date",
        id: CHECK_INPUT,
        label: "Check whether it worked on",
        value: checkDay,
        min: bounds.first,
        max: bounds.last,
      },
      {
        type: "ActionSet",
        actions: [{ type: "Action.Execute", title: "Record", verb: `${RECORD_VERB}:${ritual.id}`, style: "positive" }],
      },
    );
    return card;
  };

  return async (action) => {
    const choice = parseRitualChoiceId(action.verb);
    if (choice !== null) {
      if (!(await ritualOnTeams(choice))) return notFound();
      const { message } = await voteWhy(deps, {
        ritualId: choice,
        platform: "teams",
        userId: action.caller.userId,
        reason: stringOf(action.data.value),
      });
      // the clicked card is replaced for this person: keep the way to record the decision
      const decide: Block = {
        type: "actions",
        buttons: [{ label: "Record decision", actionId: decideActionId(choice), value: String(choice) }],
      };
      return { message: makeMessage([...message.blocks, decide], { visibility: "private" }) };
    }

    const decide = parseDecideActionId(action.verb);
    if (decide !== null) {
      const ritual = await ritualOnTeams(decide);
      if (!ritual) return notFound();
      if (ritual.status !== "open") {
        const text = `A decision is already recorded${ritual.decidedBy ? ` by ${ritual.decidedBy}` : ""}: “${ritual.decision ?? ""}”.`;
        return { message: makeMessage([{ type: "section", text }], { visibility: "private" }) };
      }
      return { card: await decisionCard(ritual, null) };
    }

    const record = new RegExp(`^${RECORD_VERB}:(\\d+)$`).exec(action.verb);
    if (!record) return null;
    const ritual = await ritualOnTeams(Number(record[1]));
    if (!ritual) return notFound();
    try {
      const { message } = await recordDecision(deps, {
        ritualId: ritual.id,
        platform: "teams",
        userId: action.caller.userId,
        displayName: action.caller.displayName ?? action.caller.userId,
        decision: stringOf(action.data[DECISION_INPUT]),
        metricName: await services.metricName(ritual.workspaceId, ritual.metricKey),
        checkOn: stringOf(action.data[CHECK_INPUT]),
      });
      const done: Block = { type: "section", text: "Recorded, and posted in the thread." };
      return { message: makeMessage([done, ...message.blocks], { visibility: "private" }) };
    } catch (error) {
      // a decision that is empty, too long or has a bad date: the form again, with what to fix
      if (isAppError(error) && error.code === "invalid_input")
        return { card: await decisionCard(ritual, error.message) };
      throw error;
    }
  };
}

function stringOf(value: unknown): string {
  return typeof value === "string" || typeof value === "number" ? String(value) : "";
}
