// Pulses in Teams end to end: `pulse "…"` typed in a channel posts the pulse card through
// the Teams messenger; votes arrive as Universal Actions (invoke "adaptiveCard/action")
// and answer with the refreshed card for the voter, while the card everyone sees is
// edited to show the count of answers only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PulseCardActions } from "../../../src/adapters/teams/pulse-card-actions.ts";
import { DIALECTS } from "../../helpers/databases.ts";
import {
  BOT,
  CARD_TYPE,
  type Card,
  CHANNEL,
  cardOf,
  cardProblems,
  cardText,
  clickCard,
  type InvokeAnswer,
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

describe.each(DIALECTS)("Pulses in Teams (%s)", (dialect) => {
  let server: TeamsTestServer;
  let actions: PulseCardActions;
  const invokeCards: Card[] = [];

  /** A click on an Action.Execute button of the message `messageId`, as Teams sends it. */
  async function click(who: Person, verb: string, data: Record<string, unknown>, messageId: string) {
    const answer = await clickCard(server, { verb, data, messageId, from: PEOPLE[who] });
    if (answer.type === CARD_TYPE) invokeCards.push(answer.value as Card);
    return answer;
  }

  /**
   * Types `text` as Ana: the answer is a preview card with Post and Cancel and nothing in
   * the channel; then Ana clicks Post. Returns the connector calls Post made and its answer.
   */
  async function sayAndPost(text: string) {
    const said = await server.say(text, { from: PEOPLE.ana });
    expect(said).toHaveLength(1);
    const preview = JSON.stringify(cardOf(said[0]?.body ?? {}));
    expect(preview).toContain("only you can see this");
    const verb = /"verb":"(pulse_post:\d+)"/.exec(preview)?.[1];
    if (!verb) throw new Error(`no Post button on ${preview}`);
    const before = server.connector.calls.length;
    const answer = await click("ana", verb, { value: verb.split(":")[1] }, "preview-1");
    return { calls: server.connector.calls.slice(before), answer };
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
    // wired as the composition root wires it: Teams' own messenger posts pulses, and the
    // card actions record the votes
    server = await startTeamsTestServer(dialect, { cardActions: true });
    if (!server.actions) throw new Error("the Teams test server has no card actions");
    actions = server.actions;
  });
  afterAll(async () => server?.stop());

  it("posts the pulse typed in a channel as a card with one Action.Execute per answer", async () => {
    const { calls, answer } = await sayAndPost('pulse "Sales and marketing worked well together this week."');
    // Post puts the pulse in the channel as a new post, and tells Ana in place of the preview
    expect(calls).toHaveLength(1);
    const [posted] = calls;
    expect(posted?.path).toBe(CHANNEL_PATH);
    expect(cardText(answer.value as Card)).toMatch(/Pulse #\d+ is posted/);
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
    await sayAndPost("pulse alignment");
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

  it("previews a typed pulse with Action.Execute Post and Cancel; only its author can use them", async () => {
    const before = await server.ctx.db.prisma.pulse.count({ where: { status: "open" } });
    const said = await server.say('pulse "Was product easy to reach this week?"', { from: PEOPLE.ana });
    expect(said).toHaveLength(1);
    expect(said[0]?.path).not.toBe(CHANNEL_PATH);
    const preview = JSON.stringify(cardOf(said[0]?.body ?? {}));
    const post = /"verb":"(pulse_post:\d+)"/.exec(preview)?.[1] ?? "";
    const cancel = /"verb":"(pulse_cancel:\d+)"/.exec(preview)?.[1] ?? "";
    expect(preview).toContain('"type":"Action.Execute"');
    const stranger = await click("ben", post, {}, "preview-2");
    expect(stranger).toMatchObject({ value: expect.stringContaining("Only the person who wrote pulse") });
    const dropped = await click("ana", cancel, {}, "preview-2");
    expect(cardText(dropped.value as Card)).toMatch(/Cancelled: pulse #\d+ was not posted/);
    const late = await click("ana", post, {}, "preview-2");
    expect(cardText(late.value as Card)).toContain("was cancelled; nothing was posted");
    expect(await server.ctx.db.prisma.pulse.count({ where: { status: "open" } })).toBe(before);
  });

  it("answers `pulse 4` and `pulse vote 4` with what to do, creating nothing", async () => {
    const count = await server.ctx.db.prisma.pulse.count();
    for (const text of ["pulse 4", "pulse vote 4"]) {
      const answer = cardText(await server.ask(text));
      expect(answer).toContain("“4” looks like an answer, not a question, so no pulse was created.");
      expect(answer).toContain('put it in quotes: pulse "');
    }
    expect(await server.ctx.db.prisma.pulse.count()).toBe(count);
  });

  it("sent and answered only with cards that Microsoft's adaptivecards package accepts as 1.5", () => {
    const cards = [...server.sentCards().map((sent) => sent.card), ...invokeCards];
    expect(invokeCards.length).toBeGreaterThan(5);
    for (const card of cards) expect(cardProblems(card)).toEqual([]);
  });
});
