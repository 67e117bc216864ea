// The `/pulse` form, free-text answers and the ritual under a digest, over signed HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openRituals } from "../../../src/app/pulse.ts";
import { parsePeriod } from "../../../src/core/kpi/periods.ts";
import { DIALECTS } from "../../helpers/databases.ts";
import { interactivityBody, postSigned, slashCommandBody } from "../../helpers/slack-sign.ts";
import { buttonsOf, type PulseTestServer, SIGNING_SECRET, startPulseTestServer } from "./pulse-server.ts";

const START = new Date("2026-10-14T09:00:00Z");

describe.each(DIALECTS)("pulse forms and rituals in Slack (%s)", (dialect) => {
  let server: PulseTestServer;

  beforeAll(async () => {
    server = await startPulseTestServer(dialect, START);
  });
  afterAll(async () => server?.stop());

  const submit = async (callbackId: string, values: Record<string, unknown>, metadata: string, userId = "UCREATOR") => {
    const body = interactivityBody({
      type: "view_submission",
      team: { id: "T0001", domain: "tandem-test" },
      user: { id: userId, username: userId.toLowerCase(), name: userId.toLowerCase(), team_id: "T0001" },
      api_app_id: "A0001",
      token: "t",
      trigger_id: "9.9",
      view: {
        id: "V0001",
        team_id: "T0001",
        type: "modal",
        callback_id: callbackId,
        private_metadata: metadata,
        state: { values },
        hash: "h",
        title: { type: "plain_text", text: "x" },
        app_id: "A0001",
        bot_id: "BBOT",
        blocks: [],
      },
    });
    const response = await postSigned(`${server.url}/slack/events`, SIGNING_SECRET, body);
    expect(response.status).toBe(200);
    return response.text === "" ? null : (response.json() as Record<string, unknown>);
  };

  /** The form's private preview in `channelId`: nothing is in the channel until its author clicks Post. */
  const postFromPreview = async (channelId: string, userId = "UCREATOR") => {
    const preview = await server.fake.waitFor(() =>
      server.fake.callsTo("chat.postEphemeral").find((c) => c.args.channel === channelId && c.args.user === userId),
    );
    expect(server.fake.callsTo("chat.postMessage").some((c) => c.args.channel === channelId)).toBe(false);
    const post = buttonsOf(preview.args.blocks as unknown[]).find((b) => b.label === "Post");
    if (!post) throw new Error("the preview has no Post button");
    const reply = await server.click(post, { userId, channelId, ts: "ephemeral" });
    expect(JSON.stringify(reply)).toMatch(/Pulse #\d+ is posted/);
  };

  const select = (value: string) => ({ value: { type: "static_select", selected_option: { value } } });
  const text = (value: string) => ({ value: { type: "plain_text_input", value } });
  const checks = (...values: string[]) => ({
    value: { type: "checkboxes", selected_options: values.map((value) => ({ value })) },
  });

  it("opens the form for a bare /pulse with the command's trigger id", async () => {
    server.fake.reset();
    const command = slashCommandBody({
      text: "",
      command: "/pulse",
      channelId: "CFORM",
      responseUrl: server.fake.responseUrl("form-1"),
    });
    expect((await postSigned(`${server.url}/slack/events`, SIGNING_SECRET, command)).status).toBe(200);
    const open = await server.fake.waitFor(() => server.fake.callsTo("views.open")[0]);
    expect(open.args.trigger_id).toBe("1.2.3");
    const view = open.args.view as { callback_id: string; private_metadata: string; blocks: { block_id?: string }[] };
    expect(view.callback_id).toBe("pulse_create");
    expect(JSON.parse(view.private_metadata)).toEqual({ channelId: "CFORM" });
    for (const id of ["template", "q1_text", "q5_kind", "q5_tag", "options", "duration", "closes_at", "repeat_day"]) {
      expect(view.blocks.some((b) => b.block_id === id)).toBe(true);
    }
  });

  it("refuses a form whose collaboration question is not on the 1–5 scale, next to the field", async () => {
    const reply = await submit(
      "pulse_create",
      { q1_text: text("Rate us 0–10"), q1_kind: select("scale10"), q1_tag: select("collaboration") },
      JSON.stringify({ channelId: "CFORM" }),
    );
    expect(reply).toMatchObject({ response_action: "errors" });
    expect(Object.keys((reply?.errors ?? {}) as object)).toContain("q1_tag");
  });

  it("posts the reciprocal hand-off template from the form, weekly, anonymous", async () => {
    server.fake.reset();
    const reply = await submit(
      "pulse_create",
      {
        template: select("handoff"),
        options: checks("anonymous", "remind"),
        duration: select("48"),
        repeat_day: select("1"),
        repeat_time: { value: { type: "timepicker", selected_time: "10:00" } },
        repeat_zone: text("Europe/Berlin"),
      },
      JSON.stringify({ channelId: "CFORM" }),
    );
    expect(reply).toBeNull();
    await postFromPreview("CFORM");
    const post = await server.fake.waitFor(() =>
      server.fake.callsTo("chat.postMessage").find((c) => c.args.channel === "CFORM"),
    );
    const buttons = buttonsOf(post.args.blocks as unknown[]);
    expect(buttons).toHaveLength(4 * 5);
    const pulse = await server.ctx.db.prisma.pulse.findFirst({
      where: { channelId: "CFORM" },
      include: { questions: true },
    });
    expect(pulse?.anonymous).toBe(true);
    expect(pulse?.template).toBe("handoff");
    expect(JSON.parse(pulse?.recurrence ?? "null")).toMatchObject({
      weekly: { dayOfWeek: 1, time: "10:00", timezone: "Europe/Berlin" },
    });
    expect(
      pulse?.questions
        .filter((q) => q.aboutDepartment)
        .map((q) => q.aboutDepartment)
        .sort(),
    ).toEqual(["marketing", "sales"]);
  });

  it("takes a free-text answer through a modal and counts it", async () => {
    server.fake.reset();
    await submit(
      "pulse_create",
      {
        q1_text: text("What would make hand-offs easier?"),
        q1_kind: select("text"),
        q1_tag: select("communication"),
        options: checks("anonymous"),
      },
      JSON.stringify({ channelId: "CTEXT" }),
    );
    await postFromPreview("CTEXT");
    const post = await server.fake.waitFor(() =>
      server.fake.callsTo("chat.postMessage").find((c) => c.args.channel === "CTEXT"),
    );
    const [write] = buttonsOf(post.args.blocks as unknown[]);
    expect(write?.label).toBe("Write your answer");
    const pulse = await server.ctx.db.prisma.pulse.findFirst({ where: { channelId: "CTEXT" } });
    await postSigned(
      `${server.url}/slack/events`,
      SIGNING_SECRET,
      interactivityBody({
        type: "block_actions",
        team: { id: "T0001" },
        user: { id: "UWRITER1", name: "w", team_id: "T0001" },
        api_app_id: "A0001",
        token: "t",
        trigger_id: "5.5",
        container: { type: "message", message_ts: pulse?.messageId, channel_id: "CTEXT" },
        channel: { id: "CTEXT" },
        message: { ts: pulse?.messageId },
        response_url: server.fake.responseUrl("text-1"),
        actions: [
          { type: "button", action_id: write?.actionId, block_id: write?.blockId, value: write?.value, action_ts: "1" },
        ],
      }),
    );
    const open = await server.fake.waitFor(() => server.fake.callsTo("views.open")[0]);
    const view = open.args.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe("pulse_text_answer");
    const reply = await submit(
      "pulse_text_answer",
      { answer: text("A shared definition of a qualified lead") },
      view.private_metadata,
      "UWRITER1",
    );
    expect(reply).toMatchObject({ response_action: "update" });
    const rows = await server.ctx.db.prisma.pulseResponse.findMany({ where: { pulseId: pulse?.id ?? 0 } });
    expect(rows.map((r) => r.text)).toEqual(["A shared definition of a qualified lead"]);
    expect(JSON.stringify(rows)).not.toContain("UWRITER1");
  });

  it("opens a ritual under a digest; the why poll and the decision work over HTTP", async () => {
    server.fake.reset();
    // as the scheduler does after a digest: through the server's own Slack messenger
    await openRituals(server.services, {
      workspaceId: server.ctx.workspace.id,
      platform: "slack",
      channelId: "CDIGEST",
      threadId: "1700000000.000100",
      period: parsePeriod("2026-09", START, "UTC"),
      offTrackSharedMetrics: [
        {
          key: "cac",
          name: "Customer acquisition cost",
          owners: ["marketing", "sales"],
          value: 5000,
          target: 4500,
          unit: "currency",
        },
      ],
    });
    const post = server.fake.callsTo("chat.postMessage")[0];
    expect(post?.args.thread_ts).toBe("1700000000.000100");
    const buttons = buttonsOf(post?.args.blocks as unknown[]);
    const process = buttons.find((b) => b.label === "Process");
    const decide = buttons.find((b) => b.label === "Record decision");
    if (!process || !decide) throw new Error("ritual buttons missing");
    const reply = await server.click(process, { userId: "UWHY0001", channelId: "CDIGEST", ts: "1.5" });
    expect(JSON.stringify(reply)).toContain("Counted: *Process*");

    await postSigned(
      `${server.url}/slack/events`,
      SIGNING_SECRET,
      interactivityBody({
        type: "block_actions",
        team: { id: "T0001" },
        user: { id: "UDECIDER", name: "ada", team_id: "T0001" },
        api_app_id: "A0001",
        token: "t",
        trigger_id: "6.6",
        container: { type: "message", message_ts: "1.5", channel_id: "CDIGEST" },
        channel: { id: "CDIGEST" },
        message: { ts: "1.5" },
        response_url: server.fake.responseUrl("decide-1"),
        actions: [{ type: "button", action_id: decide.actionId, block_id: "b", value: decide.value, action_ts: "1" }],
      }),
    );
    const open = await server.fake.waitFor(() => server.fake.callsTo("views.open")[0]);
    const view = open.args.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe("ritual_decision");
    const done = await submit(
      "ritual_decision",
      { decision: text("Review lead scoring together on Mondays.") },
      view.private_metadata,
      "UDECIDER",
    );
    expect(done).toBeNull();
    const decision = await server.fake.waitFor(() =>
      server.fake.callsTo("chat.postMessage").find((c) => String(c.args.text).includes("Review lead scoring together")),
    );
    expect(decision.args.thread_ts).toBe("1700000000.000100");
    const ritual = await server.ctx.db.prisma.ritual.findFirst({ where: { channelId: "CDIGEST" } });
    expect(ritual?.status).toBe("decided");
  });
});
