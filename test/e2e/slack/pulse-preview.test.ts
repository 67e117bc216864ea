// A pulse reaches the channel only when its author clicks Post on the private preview;
// answers typed to /pulse by mistake never create one. Over signed HTTP, real server.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../../helpers/databases.ts";
import { postSigned, slashCommandBody } from "../../helpers/slack-sign.ts";
import { buttonsOf, type PulseTestServer, SIGNING_SECRET, startPulseTestServer } from "./pulse-server.ts";

const START = new Date("2026-10-14T09:00:00Z");

describe.each(DIALECTS)("the pulse preview and slip guard in Slack (%s)", (dialect) => {
  let server: PulseTestServer;
  let channelCounter = 0;
  const channel = () => `C0PREVIEW${++channelCounter}`;

  beforeAll(async () => {
    server = await startPulseTestServer(dialect, START);
  });
  afterAll(async () => server?.stop());

  const prisma = () => server.ctx.db.prisma;
  const postsIn = (channelId: string) =>
    server.fake.callsTo("chat.postMessage").filter((call) => call.args.channel === channelId);
  const pulsesIn = (channelId: string) => prisma().pulse.findMany({ where: { channelId } });

  async function preview(text: string, channelId: string, userId = "UCREATOR") {
    const reply = await server.pulse(text, { channelId, userId });
    const buttons = buttonsOf(reply.blocks);
    const post = buttons.find((b) => b.label === "Post");
    const cancel = buttons.find((b) => b.label === "Cancel");
    if (!post || !cancel) throw new Error(`no Post/Cancel on ${JSON.stringify(reply)}`);
    return { reply, post, cancel };
  }

  it("previews a new pulse privately with Post and Cancel, and posts nothing until Post", async () => {
    const channelId = channel();
    const { reply, post } = await preview('"Did the hand-off of leads work this week?" 48h', channelId);
    expect((reply as { response_type?: string }).response_type).toBe("ephemeral");
    const text = JSON.stringify(reply);
    expect(text).toContain("only you can see this");
    expect(text).toContain("Did the hand-off of leads work this week?");
    expect(text).toContain("Open for 2 days from when you post it");
    expect(postsIn(channelId)).toHaveLength(0);
    const [draft] = await pulsesIn(channelId);
    expect(draft?.status).toBe("draft");

    // an hour later the author posts it: it opens then, for the 48 hours asked
    server.setNow(new Date(START.getTime() + 3_600_000));
    try {
      const posted = await server.click(post, { userId: "UCREATOR", channelId, ts: "ephemeral" });
      expect(posted.replace_original).toBe(true);
      expect(JSON.stringify(posted)).toMatch(/Pulse #\d+ is posted/);
    } finally {
      server.setNow(START);
    }
    const [message] = postsIn(channelId);
    expect(JSON.stringify(message?.args.blocks)).toContain("Did the hand-off of leads work this week?");
    expect(buttonsOf(message?.args.blocks as unknown[]).map((b) => b.label)).toContain("4 · Agree");
    const [open] = await pulsesIn(channelId);
    expect(open?.status).toBe("open");
    expect(open?.opensAt.toISOString()).toBe("2026-10-14T10:00:00.000Z");
    expect(open?.closesAt.toISOString()).toBe("2026-10-16T10:00:00.000Z");
    expect(open?.messageId).toBeTruthy();

    // a second click on the same preview posts nothing more
    const again = await server.click(post, { userId: "UCREATOR", channelId, ts: "ephemeral" });
    expect(JSON.stringify(again)).toContain("already posted");
    expect(postsIn(channelId)).toHaveLength(1);
  });

  it("Cancel drops the draft: nothing reaches the channel, and Post afterwards posts nothing", async () => {
    const channelId = channel();
    const { post, cancel } = await preview("handoff", channelId);
    const cancelled = await server.click(cancel, { userId: "UCREATOR", channelId, ts: "ephemeral" });
    expect(JSON.stringify(cancelled)).toMatch(/Cancelled: pulse #\d+ was not posted/);
    const late = await server.click(post, { userId: "UCREATOR", channelId, ts: "ephemeral" });
    expect(JSON.stringify(late)).toContain("was cancelled; nothing was posted");
    expect(postsIn(channelId)).toHaveLength(0);
    expect((await pulsesIn(channelId)).map((p) => p.status)).toEqual(["cancelled"]);
  });

  it("only the author can post or cancel a draft; typed post and cancel work too", async () => {
    const channelId = channel();
    const { post } = await preview('"Was marketing easy to reach this week?"', channelId);
    const stranger = await server.click(post, { userId: "USTRANGE", channelId, ts: "ephemeral" });
    expect(JSON.stringify(stranger)).toContain("Only the person who wrote pulse");
    expect(postsIn(channelId)).toHaveLength(0);
    expect(JSON.stringify(await server.pulse("post", { channelId, userId: "USTRANGE" }))).toContain(
      "You have no pulse waiting to be posted",
    );
    expect(JSON.stringify(await server.pulse("post", { channelId }))).toMatch(/Pulse #\d+ is posted/);
    expect(postsIn(channelId)).toHaveLength(1);
    await preview('"And product?"', channelId);
    expect(JSON.stringify(await server.pulse("cancel", { channelId }))).toMatch(/Cancelled: pulse #\d+/);
    expect(postsIn(channelId)).toHaveLength(1);
  });

  it("never takes an answer or a slip for a question, and says what to do instead", async () => {
    const channelId = channel();
    const slips: [string, RegExp][] = [
      ["4", /“4” looks like an answer.*no open pulse in this channel/s],
      ["vote 4", /“4” looks like an answer/],
      ["yes", /“yes” looks like an answer/],
      ["4 agree", /looks like an answer/],
      ["result", /Did you mean `\/pulse results`\?/],
      ["clsoe", /Did you mean `\/pulse close`\?/],
      ["teamwork", /Is “teamwork” meant as a question\?/],
    ];
    for (const [text, expected] of slips) {
      const reply = JSON.stringify(await server.pulse(text, { channelId }));
      expect(reply, text).toMatch(expected);
      expect(reply, text).toContain('put it in quotes: `/pulse \\"');
    }
    expect(await pulsesIn(channelId)).toHaveLength(0);
    expect(postsIn(channelId)).toHaveLength(0);

    // with a pulse open, the answer slip points at its buttons
    await server.pulseAndPost('"Did sales follow up on every lead?"', { channelId });
    const [open] = await pulsesIn(channelId);
    const reply = JSON.stringify(await server.pulse("vote 4", { channelId, userId: "UVOTER01" }));
    expect(reply).toContain(`To answer pulse #${open?.id}, click one of its buttons in the channel.`);
    expect(await prisma().pulseResponse.count({ where: { pulseId: open?.id ?? 0 } })).toBe(0);
    expect(await pulsesIn(channelId)).toHaveLength(1);
  });

  it("empty results say what to do next", async () => {
    const channelId = channel();
    const none = JSON.stringify(await server.pulse("results", { channelId }));
    expect(none).toContain("There is no closed pulse in this channel.");
    expect(none).toContain("then close it with `/pulse close`");
    await server.pulseAndPost('"Are our targets the right ones?"', { channelId });
    const open = JSON.stringify(await server.pulse("results", { channelId }));
    expect(open).toContain("close the open pulse with `/pulse close` to see its results now");
    const close = JSON.stringify(await server.pulse("close", { channelId: channel() }));
    expect(close).toContain("`/pulse list` shows the pulses here");
  });

  it("/kpi help and /pulse help list every pulse command", async () => {
    const kpiHelp = await postSigned(
      `${server.url}/slack/events`,
      SIGNING_SECRET,
      slashCommandBody({
        text: "help",
        command: "/kpi",
        channelId: channel(),
        responseUrl: server.fake.responseUrl("h"),
      }),
    );
    const kpiReply =
      kpiHelp.text !== ""
        ? kpiHelp.text
        : JSON.stringify((await server.fake.waitFor(() => server.fake.responses.find((r) => r.id === "h"))).body);
    const pulseHelp = JSON.stringify(await server.pulse("help", { channelId: channel() }));
    for (const help of [kpiReply, pulseHelp]) {
      for (const verb of ["close", "results", "list", "stop", "templates", "post", "cancel", "answer", "handoff"]) {
        expect(help, verb).toContain(`/pulse ${verb}`);
      }
      expect(help).toContain('/pulse \\"QUESTION\\"');
    }
  });
});
