// A ritual's decision and its outcome over signed HTTP: the decision form takes a check
// date; on that date (an injected clock) two schedulers on one database tick at once and
// the outcome is posted once, in the ritual's thread, through the Slack messenger; then
// `/kpi rituals` shows it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Scheduler } from "../../../src/adapters/scheduler/scheduler.ts";
import { openRituals } from "../../../src/app/pulse.ts";
import { routeMessenger } from "../../../src/core/delivery/route-messenger.ts";
import { parsePeriod } from "../../../src/core/kpi/periods.ts";
import type { OutcomeReport } from "../../../src/core/rituals/run-due-outcomes.ts";
import { DIALECTS } from "../../helpers/databases.ts";
import { interactivityBody, postSigned, slashCommandBody } from "../../helpers/slack-sign.ts";
import { seedRecoveringRate, twoSchedulers } from "../outcome-fixture.ts";
import { buttonsOf, type PulseTestServer, SIGNING_SECRET, startPulseTestServer } from "./pulse-server.ts";

// The workspace is in Europe/Berlin: 29 Oct starts at 2026-10-28T23:00Z.
const START = new Date("2026-10-14T09:00:00Z");
const CHECK_DAY = "2026-10-29";
const CHECK_AT = new Date("2026-10-28T23:00:00Z");
const THREAD = "1700000000.000200";
const CHANNEL = "COUTCOME";

describe.each(DIALECTS)("a decision's outcome in Slack (%s)", (dialect) => {
  let server: PulseTestServer;
  const schedulers: Scheduler[] = [];
  const reports: OutcomeReport[] = [];

  beforeAll(async () => {
    server = await startPulseTestServer(dialect, START);
    await seedRecoveringRate(server.ctx);
    schedulers.push(...twoSchedulers(server.ctx, routeMessenger(server.messengers), reports));
  });
  afterAll(async () => server?.stop());

  const outcomePosts = () =>
    server.fake.callsTo("chat.postMessage").filter((c) => String(c.args.text).includes("Outcome for"));

  async function kpi(text: string): Promise<string> {
    const id = `kpi-${text}`;
    const body = slashCommandBody({ text, channelId: CHANNEL, responseUrl: server.fake.responseUrl(id) });
    const response = await postSigned(`${server.url}/slack/events`, SIGNING_SECRET, body);
    expect(response.status).toBe(200);
    if (response.text !== "") return response.text;
    return JSON.stringify((await server.fake.waitFor(() => server.fake.responses.find((r) => r.id === id))).body);
  }

  async function submitDecision(metadata: string, decision: string, checkDay: string | null) {
    const body = interactivityBody({
      type: "view_submission",
      team: { id: "T0001", domain: "tandem-test" },
      user: { id: "UDECIDER", username: "ada", name: "ada", team_id: "T0001" },
      api_app_id: "A0001",
      token: "t",
      trigger_id: "9.9",
      view: {
        id: "V0001",
        team_id: "T0001",
        type: "modal",
        callback_id: "ritual_decision",
        private_metadata: metadata,
        state: {
          values: {
            decision: { value: { type: "plain_text_input", value: decision } },
            check: { value: { type: "datepicker", selected_date: checkDay } },
          },
        },
        hash: "h",
        title: { type: "plain_text", text: "x" },
        app_id: "A0001",
        bot_id: "BBOT",
        blocks: [],
      },
    });
    const response = await postSigned(`${server.url}/slack/events`, SIGNING_SECRET, body);
    expect(response.status).toBe(200);
    return response.text === "" ? null : (response.json() as { response_action: string; errors: object });
  }

  it("records the decision with a check date from the form, and posts the outcome once, in the thread, that day", async () => {
    await openRituals(server.services, {
      workspaceId: server.ctx.workspace.id,
      platform: "slack",
      channelId: CHANNEL,
      threadId: THREAD,
      period: parsePeriod("2026-09", START, "Europe/Berlin"),
      offTrackSharedMetrics: [
        { key: "mql_to_sql_rate", name: "MQL to SQL rate", owners: ["marketing", "sales"], value: 0.3, target: 0.5 },
      ],
    });
    const ritualPost = server.fake.callsTo("chat.postMessage").find((c) => c.args.channel === CHANNEL);
    const decide = buttonsOf(ritualPost?.args.blocks as unknown[]).find((b) => b.label === "Record decision");
    if (!decide) throw new Error("no Record decision button");
    await postSigned(
      `${server.url}/slack/events`,
      SIGNING_SECRET,
      interactivityBody({
        type: "block_actions",
        team: { id: "T0001" },
        user: { id: "UDECIDER", name: "ada", team_id: "T0001" },
        api_app_id: "A0001",
        token: "t",
        trigger_id: "7.7",
        container: { type: "message", message_ts: "1.7", channel_id: CHANNEL },
        channel: { id: CHANNEL },
        message: { ts: "1.7" },
        response_url: server.fake.responseUrl("decide-outcome"),
        actions: [{ type: "button", action_id: decide.actionId, block_id: "b", value: decide.value, action_ts: "1" }],
      }),
    );
    const open = await server.fake.waitFor(() =>
      server.fake.callsTo("views.open").find((c) => c.args.trigger_id === "7.7"),
    );
    const view = open.args.view as { private_metadata: string; blocks: { block_id?: string; element?: object }[] };
    // the form offers the default check: the end of October, the period after the decision
    expect(view.blocks.find((b) => b.block_id === "check")?.element).toMatchObject({
      type: "datepicker",
      initial_date: "2026-11-01",
    });

    const refused = await submitDecision(view.private_metadata, "Marketing scores leads with sales.", "2026-10-14");
    expect(refused?.response_action).toBe("errors");
    expect(JSON.stringify(refused?.errors)).toMatch(/"check":"Pick a check date from 2026-10-15 to /);
    expect(await submitDecision(view.private_metadata, "Marketing scores leads with sales.", CHECK_DAY)).toBeNull();
    const decision = await server.fake.waitFor(() =>
      server.fake.callsTo("chat.postMessage").find((c) => String(c.args.text).includes("Marketing scores leads")),
    );
    expect(decision.args.thread_ts).toBe(THREAD);
    expect(String(decision.args.text)).toContain("Outcome check on 29 Oct 2026");

    // a minute before the day starts: nothing is due
    server.setNow(new Date(CHECK_AT.getTime() - 60_000));
    await Promise.all(schedulers.map((s) => s.tick()));
    expect(outcomePosts()).toHaveLength(0);

    server.setNow(CHECK_AT);
    await Promise.all(schedulers.map((s) => s.tick()));
    await Promise.all(schedulers.map((s) => s.tick()));
    const posts = outcomePosts();
    expect(posts).toHaveLength(1);
    expect(posts[0]?.args.channel).toBe(CHANNEL);
    expect(posts[0]?.args.thread_ts).toBe(THREAD);
    const text = String(posts[0]?.args.text);
    expect(text).toContain("Outcome for MQL to SQL rate: recovered");
    expect(text).toContain("Value then: 60.0% for October 2026 so far (1–28 Oct)");
    expect(text).toContain("Target: 50.0%");
    expect(text).toContain("Change since the decision: ▲ 30.0 pp (September 2026: 30.0%)");
    expect(reports.filter((r) => r.outcome === "posted")).toEqual([
      expect.objectContaining({ platform: "slack", verdict: "recovered" }),
    ]);
    const row = await server.ctx.db.prisma.ritualOutcome.findFirstOrThrow();
    expect(row).toMatchObject({ status: "posted", verdict: "recovered", value: 0.6, target: 0.5, baseline: 0.3 });
  });

  it("lists the decision with its outcome in /kpi rituals", async () => {
    const reply = await kpi("rituals");
    expect(reply).toContain("Decided (1)");
    expect(reply).toContain("Marketing scores leads with sales.");
    expect(reply).toContain("outcome: *recovered* (29 Oct 2026)");
  });
});
