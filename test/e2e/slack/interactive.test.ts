// The "Share in channel" button and the App Home tab, over HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../../helpers/databases.ts";
import { interactivityBody, postSigned } from "../../helpers/slack-sign.ts";
import { answerText, SIGNING_SECRET, type SlackTestServer, seedFunnel, startSlackTestServer } from "./slack-server.ts";

describe.each(DIALECTS)("Slack interactivity and App Home (%s)", (dialect) => {
  let server: SlackTestServer;

  beforeAll(async () => {
    server = await startSlackTestServer(dialect);
    await seedFunnel(server.ctx.db.prisma, server.ctx.workspace.id);
  });
  afterAll(async () => server?.stop());

  const shareClick = (value: string, responseUrl: string) =>
    interactivityBody({
      type: "block_actions",
      team: { id: "T0001", domain: "tandem-test" },
      user: { id: "U0001", name: "ada", team_id: "T0001" },
      api_app_id: "A0001",
      token: "t",
      trigger_id: "1.2",
      container: { type: "message", message_ts: "1.1", channel_id: "C0001", is_ephemeral: true },
      channel: { id: "C0001", name: "kpis" },
      response_url: responseUrl,
      actions: [
        {
          type: "button",
          action_id: "kpi_share",
          block_id: "share",
          text: { type: "plain_text", text: "Share in channel" },
          value,
          action_ts: "1.3",
        },
      ],
    });

  it("re-posts the same answer for the whole channel and removes the private copy", async () => {
    const answer = await server.kpi("cac 2026-09");
    const actions = answer.blocks.find((block) => block.type === "actions") as unknown as {
      elements: { value: string }[];
    };
    const button = actions.elements[0];
    const responseUrl = server.fake.responseUrl("share-1");
    const response = await postSigned(
      `${server.url}/slack/events`,
      SIGNING_SECRET,
      shareClick(button?.value ?? "", responseUrl),
    );
    expect(response.status).toBe(200);
    const posts = await server.fake.waitFor(() => {
      const found = server.fake.responses.filter((r) => r.id === "share-1");
      return found.length >= 2 ? found : null;
    });
    const shared = posts[0]?.body as { response_type: string; text: string; blocks: unknown[] };
    expect(shared.response_type).toBe("in_channel");
    expect(answerText(shared)).toContain("5,000");
    expect(answerText(shared)).toContain("Shared by <@U0001>");
    expect(answerText(shared)).not.toContain("kpi_share"); // no button on the public copy
    expect(posts[1]?.body).toMatchObject({ delete_original: true });
  });

  it("runs nothing but read-only commands from a share button (a forged value)", async () => {
    const responseUrl = server.fake.responseUrl("share-2");
    await postSigned(`${server.url}/slack/events`, SIGNING_SECRET, shareClick("join sales", responseUrl));
    const refusal = await server.fake.waitFor(() => server.fake.responses.find((r) => r.id === "share-2"));
    expect(refusal.body.response_type).toBe("ephemeral");
    expect(answerText(refusal.body)).toContain("Only answers that read numbers can be shared");
    const member = await server.ctx.db.prisma.member.findFirst({ where: { userId: "U0001" } });
    expect(member).toBeNull();
  });

  it("publishes the Home tab on app_home_opened: scorecard prompt, shared metrics, digests, pulses", async () => {
    const prisma = server.ctx.db.prisma;
    const workspaceId = server.ctx.workspace.id;
    await prisma.digestSubscription.create({
      data: { workspaceId, platform: "slack", channelId: "C0DIGEST", timezone: "Europe/Berlin", createdBy: "U0001" },
    });
    await prisma.pulse.create({
      data: {
        workspaceId,
        platform: "slack",
        channelId: "C0PULSE",
        createdBy: "U0001",
        title: "How well did sales and marketing work together this week?",
        opensAt: new Date("2026-10-13T09:00:00Z"),
        closesAt: new Date("2026-10-16T17:00:00Z"),
      },
    });
    const event = JSON.stringify({
      token: "t",
      team_id: "T0001",
      api_app_id: "A0001",
      type: "event_callback",
      event_id: "Ev01",
      event_time: 1_790_000_000,
      event: { type: "app_home_opened", user: "UHOME", channel: "D0001", tab: "home", event_ts: "1.1" },
    });
    server.fake.reset();
    const response = await postSigned(`${server.url}/slack/events`, SIGNING_SECRET, event, {
      contentType: "application/json",
    });
    expect(response.status).toBe(200);
    const publish = await server.fake.waitFor(() => server.fake.callsTo("views.publish")[0]);
    expect(publish.token).toBe("xoxb-test-token");
    expect(publish.args.user_id).toBe("UHOME");
    const view = publish.args.view as { type: string; blocks: unknown[] };
    expect(view.type).toBe("home");
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const text = JSON.stringify(view);
    expect(text).toContain("/kpi join marketing");
    expect(text).toContain("Shared metrics · September 2026");
    expect(text).toContain("157,500");
    expect(text).toContain("<#C0DIGEST>");
    expect(text).toContain("next *Mon 19 Oct 09:00*");
    expect(text).toContain("How well did sales and marketing work together this week?");
  });

  it("shows the user's own department on the Home tab once they joined one", async () => {
    await server.kpi("join sales", { userId: "UHOME2" });
    const event = JSON.stringify({
      team_id: "T0001",
      api_app_id: "A0001",
      type: "event_callback",
      event_id: "Ev02",
      event_time: 1_790_000_000,
      event: { type: "app_home_opened", user: "UHOME2", channel: "D0002", tab: "home", event_ts: "1.2" },
    });
    server.fake.reset();
    await postSigned(`${server.url}/slack/events`, SIGNING_SECRET, event, { contentType: "application/json" });
    const publish = await server.fake.waitFor(() => server.fake.callsTo("views.publish")[0]);
    expect(JSON.stringify(publish.args.view)).toContain("Sales · September 2026");
  });
});
