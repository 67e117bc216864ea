// Pulses in Teams end to end: `pulse "…"` typed in a channel posts the pulse card through
// the Teams messenger; votes arrive as Universal Actions (invoke "adaptiveCard/action")
// and answer with the refreshed card for the voter, while the card everyone sees is
// edited to show the count of answers only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPulseCardActions, type PulseCardActions } from "../../../src/adapters/teams/pulse-card-actions.ts";
import { createPulseServices, handlePulseText, type PulseServices } from "../../../src/app/pulse.ts";
import { DIALECTS } from "../../helpers/databases.ts";
import {
  BOT,
  CARD_TYPE,
  type Card,
  CHANNEL,
  cardOf,
  cardProblems,
  cardText,
  startTeamsTestServer,
  type TeamsTestServer,
} from "./teams-server.ts";

const CHANNEL_ID = "19:general@thread.tacv2";
const CHANNEL_PATH = `/v3/conversations/${encodeURIComponent(CHANNEL_ID)}/activities`;
const PEOPLE = {
  ana: { id: "29:user-ana", name: "Ana", aadObjectId: "aad-ana" },
  ben: { id: "29:user-ben", name: "Ben", aadObjectId: "aad-ben" },
  cara: { id: "29:user-cara", name: "Cara", aadObjectId: "aad-cara" },
  dan: { id: "29:user-dan", name: "Dan", aadObjectId: "aad-dan" },
};
type Person = keyof typeof PEOPLE;
type InvokeAnswer = { statusCode: number; type: string; value: unknown };

describe.each(DIALECTS)("Pulses in Teams (%s)", (dialect) => {
  let server: TeamsTestServer;
  let services: PulseServices;
  let actions: PulseCardActions;
  const invokeCards: Card[] = [];
  let nextInvoke = 1;

  /** A click on an Action.Execute button of the message `messageId`, as Teams sends it. */
  async function click(who: Person, verb: string, data: Record<string, unknown>, messageId: string) {
    const response = await server.post({
      type: "invoke",
      name: "adaptiveCard/action",
      id: `invoke-${nextInvoke++}`,
      channelId: "msteams",
      serviceUrl: server.connector.url,
      from: PEOPLE[who],
      conversation: { ...CHANNEL, id: `${CHANNEL_ID};messageid=${messageId}` },
      recipient: BOT,
      replyToId: messageId,
      value: { action: { type: "Action.Execute", id: "a1", verb, data }, trigger: "manual" },
      channelData: { tenant: { id: "tenant-1" } },
    });
    expect(response.status).toBe(200);
    const answer = JSON.parse(response.text) as InvokeAnswer;
    if (answer.type === CARD_TYPE) invokeCards.push(answer.value as Card);
    return answer;
  }

  async function latestPulse() {
    const pulse = await server.ctx.db.prisma.pulse.findFirst({
      orderBy: { id: "desc" },
      include: { questions: { orderBy: { position: "asc" } } },
    });
    if (!pulse?.messageId) throw new Error("no posted pulse");
    return { ...pulse, messageId: pulse.messageId };
  }

  /** PUTs (edits of the pulse card) the connector received while `work` ran, after the refreshes settled. */
  async function editsDuring(work: () => Promise<unknown>) {
    const before = server.connector.calls.length;
    await work();
    await actions.idle();
    return server.connector.calls.slice(before).filter((call) => call.method === "PUT");
  }

  beforeAll(async () => {
    server = await startTeamsTestServer(dialect, {
      features: {
        pulse: ({ workspace, caller, args }) =>
          handlePulseText(
            args,
            {
              workspace,
              platform: caller.platform,
              userId: caller.userId,
              channelId: caller.channelId,
              isAdmin: async () => false,
            },
            services.pulses,
            { prefix: "pulse" },
          ),
      },
      deps: { onCardAction: (action) => actions.handle(action) },
    });
    // as the composition root wires it: Teams' own messenger posts pulses, and the card
    // actions (bound late, like the chat commands) record the votes
    services = createPulseServices({
      db: server.ctx.db,
      clock: server.ctx.clock,
      logger: server.ctx.logger,
      env: server.ctx.env,
      messengers: { teams: server.teams.messenger },
      secret: Buffer.alloc(32, 7),
    });
    actions = createPulseCardActions(services);
  });
  afterAll(async () => server?.stop());

  it("posts the pulse typed in a channel as a card with one Action.Execute per answer", async () => {
    const calls = await server.say('pulse "Sales and marketing worked well together this week."');
    // the pulse as a new post in the channel, then the note in reply to the message that asked
    expect(calls).toHaveLength(2);
    const [posted, note] = calls;
    expect(posted?.path).toBe(CHANNEL_PATH);
    expect(cardText(cardOf(note?.body ?? {}))).toMatch(/Pulse #\d+ is posted/);
    const card = cardOf(posted?.body ?? {});
    const pulse = await latestPulse();
    const question = pulse.questions[0];
    const actionsOf = JSON.stringify(card);
    expect(actionsOf).toContain(`"verb":"pulse:${pulse.id}:${question?.id}"`);
    expect(actionsOf).toContain('"data":{"value":"4"}');
    expect(cardText(card)).toContain("0 answers so far");
  });

  it("records a vote, shows the voter their answer in place and everyone the new count", async () => {
    const pulse = await latestPulse();
    const verb = `pulse:${pulse.id}:${pulse.questions[0]?.id}`;
    let answer: InvokeAnswer | undefined;
    const edits = await editsDuring(async () => {
      answer = await click("ben", verb, { value: "4" }, pulse.messageId);
    });
    expect(answer).toMatchObject({ statusCode: 200, type: CARD_TYPE });
    const mine = cardText(answer?.value as Card);
    expect(mine).toContain("Thanks! Your answer: 4 · Agree.");
    expect(mine).toContain("1 answer so far");
    expect(edits).toHaveLength(1);
    expect(edits[0]?.path).toBe(`${CHANNEL_PATH}/${pulse.messageId}`);
    const everyone = cardText(cardOf(edits[0]?.body ?? {}));
    expect(everyone).toContain("1 answer so far");
    expect(everyone).not.toContain("Your answer");
  });

  it("keeps one answer per person: a second click changes it, the count stays", async () => {
    const pulse = await latestPulse();
    const verb = `pulse:${pulse.id}:${pulse.questions[0]?.id}`;
    let answer: InvokeAnswer | undefined;
    const edits = await editsDuring(async () => {
      answer = await click("ben", verb, { value: "5" }, pulse.messageId);
    });
    expect(cardText(answer?.value as Card)).toContain("Changed: your answer is now 5 · Strongly agree.");
    expect(cardText(cardOf(edits[0]?.body ?? {}))).toContain("1 answer so far");
    const rows = await server.ctx.db.prisma.pulseResponse.findMany({ where: { pulseId: pulse.id } });
    expect(rows.map((row) => row.value)).toEqual([5]);
  });

  it("does not edit the shared card when the same answer is clicked again", async () => {
    const pulse = await latestPulse();
    let answer: InvokeAnswer | undefined;
    const edits = await editsDuring(async () => {
      answer = await click("ben", `pulse:${pulse.id}:${pulse.questions[0]?.id}`, { value: "5" }, pulse.messageId);
    });
    expect(cardText(answer?.value as Card)).toContain(
      "You had already answered 5 · Strongly agree; it still counts once.",
    );
    expect(edits).toEqual([]);
  });

  it("counts a second person, and stores neither of them by name or id", async () => {
    const pulse = await latestPulse();
    const edits = await editsDuring(() =>
      click("cara", `pulse:${pulse.id}:${pulse.questions[0]?.id}`, { value: "2" }, pulse.messageId),
    );
    expect(cardText(cardOf(edits.at(-1)?.body ?? {}))).toContain("2 answers so far");
    const rows = await server.ctx.db.prisma.pulseResponse.findMany({ where: { pulseId: pulse.id } });
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      for (const person of [PEOPLE.ben, PEOPLE.cara]) {
        expect(row.respondentKey).not.toContain(person.aadObjectId);
        expect(row.respondentKey).not.toContain(person.id);
      }
    }
    const shared = server.connector.calls
      .filter((call) => call.method === "PUT")
      .map((call) => JSON.stringify(call.body));
    for (const body of shared) expect(body).not.toMatch(/Ben|Cara|aad-ben|aad-cara|Your answer/);
  });

  it("tells the voter, privately, when an answer is not one of the question's", async () => {
    const pulse = await latestPulse();
    const answer = await click("dan", `pulse:${pulse.id}:${pulse.questions[0]?.id}`, { value: "9" }, pulse.messageId);
    expect(answer).toEqual({
      statusCode: 200,
      type: "application/vnd.microsoft.activity.message",
      value: "That isn't one of this question's answers.",
    });
  });

  it("refuses votes after the close, and the count does not move", async () => {
    const pulse = await latestPulse();
    const calls = await server.say(`pulse close ${pulse.id}`, { from: PEOPLE.ana });
    // the results posted in the channel, the pulse's buttons removed, the note to Ana
    expect(calls.map((call) => call.method)).toEqual(["POST", "PUT", "POST"]);
    expect(calls[0]?.path).toBe(CHANNEL_PATH);
    expect(cardText(cardOf(calls[1]?.body ?? {}))).toContain("Closed · 2 answers");
    expect(JSON.stringify(calls[1]?.body)).not.toContain("Action.Execute");
    expect(cardText(cardOf(calls[2]?.body ?? {}))).toContain("is closed");
    const answer = await click("dan", `pulse:${pulse.id}:${pulse.questions[0]?.id}`, { value: "3" }, pulse.messageId);
    expect(cardText(answer.value as Card)).toContain("Sorry, this pulse closed");
    expect(await server.ctx.db.prisma.pulseResponse.count({ where: { pulseId: pulse.id } })).toBe(2);
  });

  it("takes a free-text answer through a card with a text box", async () => {
    await server.say("pulse alignment");
    const pulse = await latestPulse();
    const question = pulse.questions.find((q) => q.kind === "text");
    if (!question) throw new Error("the alignment template has a free-text question");
    const box = await click(
      "ben",
      `pulse_text:${pulse.id}:${question.id}`,
      { value: `${pulse.id}:${question.id}` },
      pulse.messageId,
    );
    const body = (box.value as Card).body as Record<string, unknown>[];
    expect(body.find((element) => element.type === "Input.Text")).toMatchObject({ id: "answer", maxLength: 500 });
    expect(JSON.stringify(body)).toContain(`"verb":"pulse_text_answer:${pulse.id}:${question.id}"`);

    const sent = await click(
      "ben",
      `pulse_text_answer:${pulse.id}:${question.id}`,
      { answer: "More joint planning, please." },
      pulse.messageId,
    );
    expect(cardText(sent.value as Card)).toContain("Thanks! Your answer: “More joint planning, please.”");
    const stored = await server.ctx.db.prisma.pulseResponse.findFirst({ where: { questionId: question.id } });
    expect(stored?.text).toBe("More joint planning, please.");

    const back = await click("cara", `pulse_view:${pulse.id}`, {}, pulse.messageId);
    expect(cardText(back.value as Card)).toContain("1 answer so far");

    // only the words change: that is a changed answer, said as such, still counted once
    const edit = (answer: string) =>
      click("ben", `pulse_text_answer:${pulse.id}:${question.id}`, { answer }, pulse.messageId);
    const changed = await edit("Fewer meetings, more joint planning.");
    expect(cardText(changed.value as Card)).toContain(
      "Changed: your answer is now “Fewer meetings, more joint planning.”",
    );
    const again = await edit("Fewer meetings, more joint planning.");
    expect(cardText(again.value as Card)).toContain("You had already answered");
    const rows = await server.ctx.db.prisma.pulseResponse.findMany({ where: { questionId: question.id } });
    expect(rows.map((row) => row.text)).toEqual(["Fewer meetings, more joint planning."]);
  });

  it("answers a button it does not know, or a malformed action, without failing", async () => {
    const pulse = await latestPulse();
    expect(await click("ben", "share:something", {}, pulse.messageId)).toMatchObject({
      statusCode: 200,
      type: "application/vnd.microsoft.activity.message",
    });
    const response = await server.post({
      type: "invoke",
      name: "adaptiveCard/action",
      channelId: "msteams",
      serviceUrl: server.connector.url,
      from: PEOPLE.ben,
      conversation: CHANNEL,
      recipient: BOT,
      value: { action: { type: "Action.Submit" } },
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toMatchObject({ statusCode: 400, type: "application/vnd.microsoft.error" });
  });

  it("answers 'not found' to pulse numbers no pulse can have, typed or in a button's data", async () => {
    for (const id of ["1e23", "100000000000000000000000", "-1", "1.5", "0", "2147483648"]) {
      for (const verb of ["close", "results", "stop"]) {
        const reply = cardText(await server.ask(`pulse ${verb} ${id}`));
        expect(reply).toMatch(/There is no pulse (#-?\d+|with that number) here\./);
        expect(reply).not.toMatch(/something went wrong/i);
      }
      expect(cardText(await server.ask(`pulse answer ${id} 1 4`))).toMatch(/There is no pulse/);
    }
    const pulse = await latestPulse();
    const question = pulse.questions[0]?.id ?? 1;
    for (const verb of [
      `pulse:100000000000000000000000:${question}`,
      `pulse:2147483648:${question}`,
      `pulse:${pulse.id}:99999999999999999999`,
      `pulse_text_answer:100000000000000000000000:${question}`,
    ]) {
      const answer = await click("ben", verb, { value: "4", answer: "words" }, pulse.messageId);
      expect(answer).toMatchObject({ statusCode: 200, value: "I can't find that pulse any more." });
    }
    for (const verb of ["pulse_text:100000000000000000000000:1", "pulse_view:100000000000000000000000"]) {
      expect(await click("ben", verb, {}, pulse.messageId)).toMatchObject({
        statusCode: 200,
        value: "This button is no longer in use.",
      });
    }
  });

  it("sent and answered only with cards that Microsoft's adaptivecards package accepts as 1.5", () => {
    const cards = [...server.sentCards().map((sent) => sent.card), ...invokeCards];
    expect(invokeCards.length).toBeGreaterThan(5);
    for (const card of cards) expect(cardProblems(card)).toEqual([]);
  });
});
