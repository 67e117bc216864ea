// Real Bot Framework activities POSTed to /api/messages without credentials (as the
// Bot Framework Emulator sends them); the replies land at the fake Bot Connector that
// is the activities' serviceUrl.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../../helpers/databases.ts";
import { holdWriteLock } from "../../helpers/locks.ts";
import { seedFunnel } from "../slack/slack-server.ts";
import {
  BOT,
  CHANNEL,
  cardOf,
  cardProblems,
  cardText,
  GROUP,
  PERSONAL,
  startTeamsTestServer,
  type TeamsTestServer,
} from "./teams-server.ts";

const CHANNEL_ID = "19:general@thread.tacv2";

describe.each(DIALECTS)("Teams messages (%s)", (dialect) => {
  let server: TeamsTestServer;

  beforeAll(async () => {
    server = await startTeamsTestServer(dialect);
    await seedFunnel(server.ctx.db.prisma, server.ctx.workspace.id);
  });
  afterAll(async () => server?.stop());

  it("answers a channel message that @mentions the bot with an Adaptive Card carrying the figure", async () => {
    const before = server.connector.calls.length;
    const response = await server.post(server.message("kpi new_revenue 2026-09", { conversation: CHANNEL }));
    expect(response.status).toBe(200);
    const [reply] = server.connector.calls.slice(before);
    // a reply in the thread of the message that asked
    expect(reply?.method).toBe("POST");
    expect(decodeURIComponent(reply?.path ?? "")).toMatch(
      /^\/v3\/conversations\/19:general@thread\.tacv2;messageid=1700000000000\/activities\/msg-\d+$/,
    );
    const card = cardOf(reply?.body ?? {});
    expect(card).toMatchObject({ type: "AdaptiveCard", version: "1.5" });
    expect(cardText(card)).toContain("157,500");
    expect(cardText(card)).toContain("September 2026");
    expect(reply?.body).toMatchObject({ type: "message", replyToId: expect.stringMatching(/^msg-/) });
  });

  it("answers the same question in a personal chat, without a mention", async () => {
    const card = await server.ask("kpi new revenue 2026-09", { conversation: PERSONAL, mention: false });
    expect(cardText(card)).toContain("$157,500");
  });

  it("answers in a group chat with the mention stripped", async () => {
    const card = await server.ask("kpi cac 2026-09", { conversation: GROUP });
    const text = cardText(card);
    expect(text).toContain("Customer acquisition cost");
    expect(text).toContain("5,000");
    expect(text).toContain("5,500"); // August, the previous month
  });

  it("takes /kpi with a slash too", async () => {
    const card = await server.ask("/kpi new_revenue 2026-09", { conversation: PERSONAL, mention: false });
    expect(cardText(card)).toContain("157,500");
  });

  it("shows the funnel with its conversion rates and bottleneck", async () => {
    const text = cardText(await server.ask("kpi funnel 2026-09"));
    expect(text).toContain("Funnel · September 2026");
    for (const figure of ["200", "80", "40", "30", "21", "40.0%", "70.0%"]) expect(text).toContain(figure);
    expect(text).toContain("Opportunities → Won deals");
  });

  it("compares two departments on the metrics they share", async () => {
    const text = cardText(await server.ask("kpi compare marketing sales 2026-09"));
    expect(text).toContain("Marketing × Sales: shared metrics");
    expect(text).toContain("Customer acquisition cost");
    expect(text).not.toContain("Cost per lead"); // marketing's alone
  });

  it("reads periods as people type them, and answers a wrong one as a period error", async () => {
    const text = cardText(await server.ask("kpi customer acquisition cost last month"));
    expect(text).toContain("Customer acquisition cost");
    expect(text).toContain("September 2026");
    expect(cardText(await server.ask("kpi new revenue q3 2026"))).toContain("Q3 2026");
    const wrong = cardText(await server.ask("kpi cac Q5"));
    expect(wrong).toContain("Q5 is not a quarter (quarters are Q1 to Q4): try Q3 or 2026-Q3.");
    expect(wrong).not.toContain("I don't know the metric");
  });

  it("answers a 20,000-word command with the length error", async () => {
    const text = cardText(await server.ask(`kpi ${"cac ".repeat(20_000)}`));
    expect(text).toContain("Tandem reads commands of up to 1,000 characters");
  });

  it("answers help with Teams' words (no slash)", async () => {
    const text = cardText(await server.ask("help"));
    expect(text).toContain("Tandem: commands");
    expect(text).toContain("kpi funnel [PERIOD]");
    expect(text).not.toContain("/kpi funnel");
  });

  it("answers a bare @mention with help", async () => {
    expect(cardText(await server.ask(""))).toContain("Tandem: commands");
  });

  it("suggests metrics for an unknown one instead of failing", async () => {
    const text = cardText(await server.ask("kpi new_revnue 2026-09"));
    expect(text).toContain("Did you mean: new_revenue?");
    expect(text).not.toMatch(/error|stack/i);
  });

  it("never echoes a NUL or another control character back into the card", async () => {
    for (const text of ["kpi ca\u0000ck", "kpi compare marketing fin\u001b[2Jance", "pulse close \u0000"]) {
      const card = await server.ask(text, { conversation: PERSONAL, mention: false });
      expect(JSON.stringify(card)).not.toMatch(/\\u00[01][0-9a-f]|\\u007f|\\u202e/i);
    }
    expect(cardText(await server.ask("kpi ca\u0000ck", { conversation: PERSONAL, mention: false }))).toContain("cack");
  });

  it("answers while another process holds the write lock (an import), in a conversation it knows", async () => {
    await server.ask("kpi help", { conversation: PERSONAL, mention: false });
    const lock = await holdWriteLock(dialect, server.test.url);
    try {
      const card = await server.ask("kpi new_revenue 2026-09", { conversation: PERSONAL, mention: false });
      expect(cardText(card)).toContain("157,500");
    } finally {
      await lock.release();
    }
  });

  it("stores one reference per conversation it hears from: the channel, not the thread", async () => {
    const rows = await server.ctx.db.prisma.conversationRef.findMany({ where: { platform: "teams" } });
    const ids = rows.map((row) => row.conversationId);
    expect(ids).toEqual(expect.arrayContaining([CHANNEL_ID, PERSONAL.id, GROUP.id]));
    expect(ids).not.toContain(CHANNEL.id);
    const channel = JSON.parse(rows.find((row) => row.conversationId === CHANNEL_ID)?.reference ?? "{}");
    expect(channel).toMatchObject({
      serviceUrl: server.connector.url,
      channelId: "msteams",
      bot: { id: BOT.id },
      conversation: { id: CHANNEL_ID, conversationType: "channel" },
    });
    // whoever spoke last is not part of a channel's address, nor the message they sent
    expect(channel.user).toBeUndefined();
    expect(channel.activityId).toBeUndefined();
    const personal = JSON.parse(rows.find((row) => row.conversationId === PERSONAL.id)?.reference ?? "{}");
    expect(personal.user).toMatchObject({ aadObjectId: "aad-ana" });
  });

  it("answers a card button politely when no feature handles buttons", async () => {
    const response = await server.post({
      type: "invoke",
      name: "adaptiveCard/action",
      channelId: "msteams",
      serviceUrl: server.connector.url,
      from: { id: "29:user-ana", aadObjectId: "aad-ana" },
      conversation: CHANNEL,
      recipient: BOT,
      value: { action: { type: "Action.Execute", verb: "pulse:1:1", data: { value: "4" } } },
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({
      statusCode: 200,
      type: "application/vnd.microsoft.activity.message",
      value: "This button is not available here.",
    });
  });

  it("stores the reference and says hello when it is added to a team", async () => {
    const team = { id: "19:new-team@thread.tacv2", conversationType: "channel", isGroup: true, tenantId: "tenant-1" };
    const before = server.connector.activities().length;
    const response = await server.post({
      type: "conversationUpdate",
      id: "update-1",
      channelId: "msteams",
      serviceUrl: server.connector.url,
      from: { id: "29:admin", aadObjectId: "aad-admin" },
      conversation: team,
      recipient: BOT,
      membersAdded: [{ id: BOT.id }],
      channelData: { eventType: "teamMemberAdded", team: { id: team.id }, tenant: { id: "tenant-1" } },
    });
    expect(response.status).toBe(200);
    const welcome = server.connector.activities().slice(before);
    expect(welcome).toHaveLength(1);
    expect(cardText(cardOf(welcome[0] ?? {}))).toContain("Tandem: commands");
    const stored = await server.ctx.db.prisma.conversationRef.findFirst({
      where: { platform: "teams", conversationId: team.id },
    });
    expect(stored).not.toBeNull();
  });

  it("stays quiet when someone else joins", async () => {
    const before = server.connector.calls.length;
    const response = await server.post({
      type: "conversationUpdate",
      channelId: "msteams",
      serviceUrl: server.connector.url,
      from: { id: "29:admin" },
      conversation: CHANNEL,
      recipient: BOT,
      membersAdded: [{ id: "29:someone-else" }],
    });
    expect(response.status).toBe(200);
    expect(server.connector.calls.length).toBe(before);
  });

  it.each([
    ["a body that is not JSON", "{not json", true],
    ["an empty object", {}, false],
    ["an activity without a type", { text: "kpi", conversation: { id: "c" } }, false],
    [
      "a message without a conversation",
      { type: "message", text: "kpi", serviceUrl: "http://127.0.0.1:1", from: { id: "u" } },
      false,
    ],
    [
      "a message whose conversation has no id",
      { type: "message", conversation: {}, from: { id: "u" }, serviceUrl: "http://127.0.0.1:1" },
      false,
    ],
    ["an array", [{ type: "message" }], false],
  ])("refuses %s with 400 and keeps serving", async (_what, body, raw) => {
    const before = server.connector.calls.length;
    const response = await server.post(body, raw);
    expect(response.status).toBe(400);
    expect(server.connector.calls.length).toBe(before);
    expect(cardText(await server.ask("kpi new_revenue 2026-09"))).toContain("157,500");
  });

  it("sent only cards that Microsoft's adaptivecards package accepts as 1.5", () => {
    const sent = server.sentCards();
    expect(sent.length).toBeGreaterThan(10);
    for (const { card } of sent) expect(cardProblems(card)).toEqual([]);
  });
});
