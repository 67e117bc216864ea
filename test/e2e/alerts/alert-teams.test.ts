// An alert rule typed to the bot in a Teams channel fires once, posted proactively with
// Action.Execute buttons; an `adaptiveCard/action` invoke for Acknowledge or Snooze, as
// Teams sends it, answers 200 with the alert as it now stands and updates the posted
// card for everyone (an activity update at the fake Bot Connector). A forged button or
// another conversation's click is answered in words, never an internal error.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AlertServices } from "../../../src/main/alert-job.ts";
import { createAlertServices } from "../../../src/main/alert-job.ts";
import { DIALECTS } from "../../helpers/databases.ts";
import {
  ANA,
  CARD_TYPE,
  type Card,
  CHANNEL,
  type Conversation,
  cardOf,
  cardProblems,
  cardText,
  clickCard,
  GROUP,
  NOW,
  startTeamsTestServer,
  type TeamsTestServer,
} from "../teams/teams-server.ts";

const CHANNEL_ID = "19:general@thread.tacv2";
const CHANNEL_PATH = `/v3/conversations/${encodeURIComponent(CHANNEL_ID)}/activities`;

/** The card's Action.Execute buttons, in order. */
function executeActions(card: Card): { title: string; verb: string }[] {
  const sets = (card.body as { type: string; actions?: { type: string; title: string; verb: string }[] }[]).filter(
    (element) => element.type === "ActionSet",
  );
  return sets.flatMap((set) =>
    (set.actions ?? []).filter((a) => a.type === "Action.Execute").map(({ title, verb }) => ({ title, verb })),
  );
}

describe.each(DIALECTS)("an alert in Teams (%s)", (dialect) => {
  let server: TeamsTestServer;
  let alerts: AlertServices;
  let alertActivity = "";

  beforeAll(async () => {
    server = await startTeamsTestServer(dialect, { cardActions: true });
    alerts = createAlertServices(server.ctx, { messenger: server.messenger });
  });
  afterAll(async () => server?.stop());

  const alertPosts = () =>
    server.connector.calls.filter(
      (call) => call.method === "POST" && call.path === CHANNEL_PATH && cardText(cardOf(call.body)).includes("Alert:"),
    );
  const updates = () =>
    server.connector.calls.filter((call) => call.method === "PUT" && call.path === `${CHANNEL_PATH}/${alertActivity}`);

  const press = (verb: string, data: Record<string, unknown>, conversation?: Conversation, from = ANA) =>
    clickCard(server, { verb, data, messageId: alertActivity, from, conversation });

  it("fires once from a rule typed in the channel, with Action.Execute buttons", async () => {
    const answer = cardText(await server.ask("kpi alert cac above 5000 last month", { conversation: CHANNEL }));
    expect(answer).toMatch(/Alert rule #\d+ added for this channel/);
    const workspaceId = server.ctx.workspace.id;
    await server.ctx.db.prisma.fact.createMany({
      data: [
        { workspaceId, occurredMs: BigInt(Date.UTC(2026, 8, 5)), kind: "spend", value: 7000, department: "marketing" },
        {
          workspaceId,
          occurredMs: BigInt(Date.UTC(2026, 8, 10)),
          kind: "won",
          entityId: "D1",
          value: 1000,
          segment: "new",
        },
      ],
    });
    await alerts.factsChanged(workspaceId);
    await alerts.idle();
    await alerts.evaluate();
    expect(alertPosts()).toHaveLength(1);
    const card = cardOf(alertPosts()[0]?.body ?? {});
    expect(cardProblems(card)).toEqual([]);
    expect(cardText(card)).toContain(
      "Customer acquisition cost is $7,000 in September 2026, above the line of $5,000.",
    );
    const alertId = (await server.ctx.db.prisma.alert.findFirstOrThrow()).id;
    expect(executeActions(card)).toEqual([
      { title: "Acknowledge", verb: `alert_ack:${alertId}` },
      { title: "Snooze a day", verb: `alert_snooze_day:${alertId}` },
      { title: "Snooze a week", verb: `alert_snooze_week:${alertId}` },
      { title: "Open a ritual", verb: `alert_ritual:${alertId}` },
    ]);
    alertActivity = (await server.ctx.db.prisma.alert.findFirstOrThrow()).messageId ?? "";
    expect(alertActivity).not.toBe("");
  });

  it("Acknowledge answers with the updated card and updates the posted one, once", async () => {
    const alertId = (await server.ctx.db.prisma.alert.findFirstOrThrow()).id;
    const answer = await press(`alert_ack:${alertId}`, { value: String(alertId) });
    expect(answer.type).toBe(CARD_TYPE);
    expect(cardProblems(answer.value as Card)).toEqual([]);
    expect(cardText(answer.value as Card)).toContain("Acknowledged by Ana.");
    expect(cardText(answer.value as Card)).toContain("Customer acquisition cost is $7,000");
    expect(executeActions(answer.value as Card).map((a) => a.title)).toEqual([
      "Snooze a day",
      "Snooze a week",
      "Open a ritual",
    ]);
    expect(updates()).toHaveLength(1);
    expect(cardText(cardOf(updates()[0]?.body ?? {}))).toContain("Acknowledged by Ana.");
    await press(`alert_ack:${alertId}`, { value: String(alertId) }, undefined, { id: "29:user-bo", name: "Bo" });
    expect(updates()).toHaveLength(1);
    expect((await server.ctx.db.prisma.alert.findFirstOrThrow()).acknowledgedBy).toBe("Ana");
    expect(cardText(await server.ask("kpi alerts", { conversation: CHANNEL }))).toContain("acknowledged by Ana");
  });

  it("Snooze a week answers with the card saying until when, and silences the rule", async () => {
    const alertId = (await server.ctx.db.prisma.alert.findFirstOrThrow()).id;
    const answer = await press(`alert_snooze_week:${alertId}`, { value: String(alertId) });
    expect(answer.type).toBe(CARD_TYPE);
    expect(cardText(answer.value as Card)).toContain("Snoozed until Wed 21 Oct 09:00 by Ana");
    expect(cardText(cardOf(updates().at(-1)?.body ?? {}))).toContain("Snoozed until Wed 21 Oct 09:00 by Ana");
    const rule = await server.ctx.db.prisma.alertRule.findFirstOrThrow();
    expect([rule.snoozedUntil, rule.state]).toEqual([new Date(NOW.getTime() + 7 * 86_400_000), "armed"]);
    await alerts.evaluate();
    expect(alertPosts()).toHaveLength(1);
  });

  it("answers a forged button, or a click from another conversation, in words", async () => {
    const alertId = (await server.ctx.db.prisma.alert.findFirstOrThrow()).id;
    const forged = await press("alert_ack:99999", { value: "99999" });
    expect([forged.statusCode, forged.type]).toEqual([200, "application/vnd.microsoft.activity.message"]);
    expect(forged.value).toContain("There is no alert #99999 posted in this channel.");
    const mismatched = await press(`alert_ritual:${alertId}`, { value: "1234" });
    expect(mismatched.value).toContain("That button is not one Tandem can act on");
    const elsewhere = await press(`alert_ritual:${alertId}`, { value: String(alertId) }, GROUP);
    expect(elsewhere.value).toContain(`There is no alert #${alertId} posted in this channel.`);
    expect((await server.ctx.db.prisma.alert.findFirstOrThrow()).ritualId).toBeNull();
  });
});
