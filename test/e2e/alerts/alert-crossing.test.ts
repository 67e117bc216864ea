// A rule typed as a signed `/kpi alert` fires once when an ingest call crosses it, never
// twice under two Tandem processes (two schedulers, one database), re-arms only when the
// metric is back within bounds, and fires again on the next crossing. Posts go through the
// Slack messenger to the fake Slack Web API. Its buttons, pressed as signed block_actions,
// change the posted message in place (chat.update) and the state `/kpi alerts` shows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIngestRoute } from "../../../src/adapters/http/ingest.ts";
import { createHttpServer, type HttpServer } from "../../../src/adapters/http/server.ts";
import type { AppContext } from "../../../src/app/context.ts";
import { createSurfaces, type Surfaces } from "../../../src/main/serve.ts";
import { createTokenRepository } from "../../../src/store/token-repository.ts";
import { DIALECTS } from "../../helpers/databases.ts";
import { interactivityBody, postSigned } from "../../helpers/slack-sign.ts";
import { buttonsOf, type PostedButton } from "../slack/pulse-server.ts";
import { answerText, NOW, SIGNING_SECRET, type SlackTestServer, startSlackTestServer } from "../slack/slack-server.ts";

const CHANNEL = "CALERTS";

describe.each(DIALECTS)("an alert rule from chat, on %s", (dialect) => {
  let server: SlackTestServer;
  let replicas: Surfaces[];
  let ingest: HttpServer;
  let ingestUrl: string;
  let token: string;
  let factId = 0;

  /** POST /api/v1/facts as a client would; the route tells replica 0 that facts changed */
  const post = async (facts: Record<string, unknown>[]) => {
    const response = await fetch(`${ingestUrl}/api/v1/facts`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ facts: facts.map((fact) => ({ external_id: `f${++factId}`, ...fact })) }),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    await replicas[0]?.alerts.idle();
  };
  const spend = (value: number) => ({ occurred_at: "2026-09-05", kind: "spend", value, department: "marketing" });
  const won = () => ({ occurred_at: "2026-09-10", kind: "won", entity_id: `D${factId}`, value: 1000, segment: "new" });
  /** both processes' schedulers tick, and both evaluate everything, at once */
  const bothSchedulers = async () => {
    await Promise.all(replicas.flatMap((replica) => [replica.alerts.job(new Date()), replica.alerts.evaluate()]));
  };
  const alertPosts = () =>
    server.fake
      .callsTo("chat.postMessage")
      .filter(
        (call) => call.args.channel === CHANNEL && String(call.args.text).includes("Alert: Customer acquisition cost"),
      );
  const rule = async () => server.test.db.prisma.alertRule.findFirstOrThrow({ where: { channelId: CHANNEL } });

  beforeAll(async () => {
    server = await startSlackTestServer(dialect);
    // two Tandem processes on one database: each its own surfaces, messenger and scheduler
    replicas = [0, 1].map((i) => createSurfaces({ ...server.ctx } as AppContext, { secret: Buffer.alloc(32, i + 1) }));
    const workspaceId = server.ctx.workspace.id;
    token = (await createTokenRepository(server.test.db.prisma).create(workspaceId, "crm")).token;
    ingest = createHttpServer(
      [
        createIngestRoute({
          db: server.test.db,
          logger: server.ctx.logger,
          onFactsChanged: replicas[0]?.alerts.factsChanged,
        }),
      ],
      { logger: server.ctx.logger },
    );
    ingestUrl = `http://127.0.0.1:${await ingest.listen(0, "127.0.0.1")}`;
  });
  afterAll(async () => {
    await ingest?.close(1_000);
    await server?.stop();
  });

  it("is created by a signed /kpi alert in the channel", async () => {
    const answer = answerText(await server.kpi("alert cac above 5000 last month", { channelId: CHANNEL }));
    expect(answer).toMatch(/Alert rule \*?#\d+\*? added for this channel: `?cac above 5000 last month`?/);
    await post([spend(3000), won()]);
    await bothSchedulers();
    expect(alertPosts()).toHaveLength(0);
    expect((await rule()).state).toBe("armed");
  });

  it("fires once when an ingest call crosses it, however many schedulers look", async () => {
    await post([spend(4000)]);
    await bothSchedulers();
    await bothSchedulers();
    expect(alertPosts()).toHaveLength(1);
    const text = String(alertPosts()[0]?.args.text);
    expect(text).toContain("Customer acquisition cost is $7,000 in September 2026, above the line of $5,000.");
    expect(text).toContain("Owners: Marketing, Sales.");
    expect(text).toMatch(/Trend, last 8 months: \s*▄/);
    const buttons = buttonsOf(alertPosts()[0]?.args.blocks as unknown[]);
    expect(buttons.map((b) => b.label)).toEqual(["Acknowledge", "Snooze a day", "Snooze a week", "Open a ritual"]);
    expect(buttons.map((b) => b.actionId.replace(/\d+$/, ""))).toEqual([
      "alert_ack:",
      "alert_snooze_day:",
      "alert_snooze_week:",
      "alert_ritual:",
    ]);
    expect(text).toContain("Data: newest fact Thu 10 Sep 00:00");
    expect(text).toContain("Rule #");
    const stored = await rule();
    expect([stored.state, stored.crossings]).toEqual(["firing", 1]);
    const alerts = await server.test.db.prisma.alert.findMany({ where: { ruleId: stored.id } });
    expect(alerts.map((a) => [a.crossing, a.status, a.value])).toEqual([[1, "posted", 7000]]);
  });

  it("re-arms only when back within bounds, and fires again on the next crossing", async () => {
    await post([spend(100)]);
    await bothSchedulers();
    expect((await rule()).state).toBe("firing");
    await post([won()]);
    await bothSchedulers();
    expect([(await rule()).state, alertPosts().length]).toEqual(["armed", 1]);
    await post([spend(4000)]);
    await bothSchedulers();
    expect(alertPosts()).toHaveLength(2);
    expect([(await rule()).state, (await rule()).crossings]).toEqual(["firing", 2]);
  });

  /** the newest alert post's ts (as the fake answered it, stored with the alert) and buttons */
  const latestAlert = async () => {
    const post = alertPosts().at(-1);
    const stored = await server.test.db.prisma.alert.findFirstOrThrow({ orderBy: { id: "desc" } });
    return { ts: stored.messageId ?? "", buttons: buttonsOf(post?.args.blocks as unknown[]) };
  };
  const button = (buttons: PostedButton[], label: string) => {
    const found = buttons.find((b) => b.label === label);
    if (!found) throw new Error(`no ${label} button in ${JSON.stringify(buttons)}`);
    return found;
  };
  let clicks = 0;
  /** a signed block_actions request for `pressed`, as Slack sends it; the response_url's id */
  const press = async (pressed: Pick<PostedButton, "actionId" | "value">, as = { id: "UADA", name: "ada" }) => {
    const id = `alert-click-${++clicks}`;
    const response = await postSigned(
      `${server.url}/slack/events`,
      SIGNING_SECRET,
      interactivityBody({
        type: "block_actions",
        team: { id: "T0001", domain: "tandem-test" },
        user: { id: as.id, username: as.name, name: as.name, team_id: "T0001" },
        api_app_id: "A0001",
        token: "t",
        trigger_id: `${clicks}.1`,
        container: { type: "message", message_ts: "1.1", channel_id: CHANNEL, is_ephemeral: false },
        channel: { id: CHANNEL, name: "alerts" },
        message: { type: "message", ts: "1.1", text: "alert" },
        response_url: server.fake.responseUrl(id),
        actions: [{ type: "button", action_id: pressed.actionId, block_id: "b", value: pressed.value, action_ts: "1" }],
      }),
    );
    expect(response.status).toBe(200);
    return id;
  };
  const privateAnswer = async (id: string) =>
    answerText((await server.fake.waitFor(() => server.fake.responses.find((r) => r.id === id))).body as object);
  const updatesOf = (ts: string) => server.fake.callsTo("chat.update").filter((call) => call.args.ts === ts);

  it("Acknowledge updates the posted message and the state, once however often it is pressed", async () => {
    const { ts, buttons } = await latestAlert();
    await press(button(buttons, "Acknowledge"));
    const update = await server.fake.waitFor(() => updatesOf(ts)[0]);
    expect([update.args.channel, String(update.args.text)]).toEqual([
      CHANNEL,
      expect.stringContaining("Acknowledged by ada."),
    ]);
    // the full alert is still there, and Acknowledge is gone from the buttons
    expect(String(update.args.text)).toContain("Customer acquisition cost is $5,550 in September 2026");
    expect(buttonsOf(update.args.blocks as unknown[]).map((b) => b.label)).toEqual([
      "Snooze a day",
      "Snooze a week",
      "Open a ritual",
    ]);
    expect(await privateAnswer(await press(button(buttons, "Acknowledge"), { id: "UBO", name: "bo" }))).toContain(
      "Already acknowledged by ada.",
    );
    expect(updatesOf(ts)).toHaveLength(1);
    const stored = await server.test.db.prisma.alert.findFirstOrThrow({ where: { messageId: ts } });
    expect(stored.acknowledgedBy).toBe("ada");
    expect(answerText(await server.kpi("alerts", { channelId: CHANNEL }))).toContain(
      "fired: waits to be back within bounds, acknowledged by ada",
    );
  });

  it("refuses a forged or unknown alert button with a clear private answer", async () => {
    expect(await privateAnswer(await press({ actionId: "alert_ack:999999", value: "999999" }))).toContain(
      "There is no alert #999999 posted in this channel.",
    );
    const { buttons } = await latestAlert();
    const real = button(buttons, "Snooze a day");
    expect(await privateAnswer(await press({ actionId: real.actionId, value: "1" }))).toContain(
      "That button is not one Tandem can act on (the button's value does not match its alert).",
    );
    expect(await privateAnswer(await press({ actionId: "alert_explode:1", value: "1" }))).toContain(
      "unknown alert button alert_explode",
    );
    expect((await rule()).snoozedUntil).toBeNull();
  });

  it("Snooze a week changes the message and the state; a crossing during the snooze is not posted", async () => {
    const { ts, buttons } = await latestAlert();
    await press(button(buttons, "Snooze a week"), { id: "UBO", name: "bo" });
    const update = await server.fake.waitFor(() =>
      updatesOf(ts).find((call) => String(call.args.text).includes("Snoozed until")),
    );
    expect(String(update.args.text)).toContain("Snoozed until Wed 21 Oct 09:00 by bo");
    expect(String(update.args.text)).toContain("Acknowledged by ada.");
    expect((await rule()).snoozedUntil).toEqual(new Date(NOW.getTime() + 7 * 86_400_000));
    expect(answerText(await server.kpi("alerts", { channelId: CHANNEL }))).toContain(
      "snoozed until Wed 21 Oct 09:00 by bo",
    );
    const before = alertPosts().length;
    await post([spend(2000)]);
    await bothSchedulers();
    expect(alertPosts()).toHaveLength(before);
    // the snooze ends: still above the line, so it posts again, once
    server.setNow(new Date(NOW.getTime() + 8 * 86_400_000));
    await bothSchedulers();
    await bothSchedulers();
    expect(alertPosts()).toHaveLength(before + 1);
  });

  it("Open a ritual posts the ritual in the alert's thread and says so in the alert", async () => {
    const { ts, buttons } = await latestAlert();
    await press(button(buttons, "Open a ritual"));
    const ritualPost = await server.fake.waitFor(() =>
      server.fake.callsTo("chat.postMessage").find((call) => call.args.thread_ts === ts),
    );
    expect(ritualPost.args.channel).toBe(CHANNEL);
    expect(String(ritualPost.args.text)).toMatch(
      /Customer acquisition cost crossed alert rule #\d+ \(cac above 5000 last month\) in September 2026\./,
    );
    expect(buttonsOf(ritualPost.args.blocks as unknown[]).map((b) => b.label)).toContain("Record decision");
    const update = await server.fake.waitFor(() => updatesOf(ts)[0]);
    expect(String(update.args.text)).toContain("A ritual is open in this thread");
    expect(await privateAnswer(await press(button(buttons, "Open a ritual")))).toContain(
      "A ritual is open for this alert already.",
    );
    const rituals = await server.test.db.prisma.ritual.findMany({ where: { channelId: CHANNEL } });
    expect(rituals.map((r) => [r.metricKey, r.periodKey, r.threadId])).toEqual([["cac", "2026-09", ts]]);
  });
});
