// Pulses over signed HTTP against the real server: `/pulse "…"` posts a pulse, people
// click its scale buttons, the answers are counted exactly once each, nothing ties an
// answer to a person, and the close posts results that respect the minimum group size.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SlackApiCall } from "../../fakes/slack-api.ts";
import { DIALECTS } from "../../helpers/databases.ts";
import { buttonsOf, type PostedButton, type PulseTestServer, startPulseTestServer } from "./pulse-server.ts";

const START = new Date("2026-10-14T09:00:00Z");

describe.each(DIALECTS)("pulses in Slack (%s)", (dialect) => {
  let server: PulseTestServer;
  let channelCounter = 0;

  beforeAll(async () => {
    server = await startPulseTestServer(dialect, START);
  });
  afterAll(async () => server?.stop());

  const prisma = () => server.ctx.db.prisma;

  /** Posts `/pulse "QUESTION"` in a fresh channel; returns the posted message and its buttons. */
  async function postPulse(question: string) {
    const channelId = `C0PULSE${++channelCounter}`;
    const reply = await server.pulseAndPost(`"${question}"`, { channelId });
    expect(JSON.stringify(reply)).toContain("is posted");
    const post = server.fake
      .callsTo("chat.postMessage")
      .find(
        (call) => call.args.channel === channelId && JSON.stringify(call.args.blocks).includes(question),
      ) as SlackApiCall;
    expect(post).toBeDefined();
    const ts = await prisma()
      .pulse.findFirst({ where: { channelId }, orderBy: { id: "desc" } })
      .then((p) => p?.messageId ?? "");
    const buttons = buttonsOf(post.args.blocks as unknown[]);
    const pulseId = Number(/Pulse #(\d+)/.exec(JSON.stringify(post.args.blocks))?.[1]);
    return {
      channelId,
      ts,
      buttons,
      pulseId,
      scale: (n: number) => buttons.find((b) => b.label.startsWith(`${n} `)) as PostedButton,
    };
  }

  const responseRows = (pulseId: number) => prisma().pulseResponse.findMany({ where: { pulseId } });

  it("posts a 1–5 agreement pulse at once, with five scale buttons and the count of answers only", async () => {
    const { buttons, ts } = await postPulse("Sales and marketing worked well together this week.");
    expect(ts).not.toBe("");
    expect(buttons.map((b) => b.label)).toEqual([
      "1 · Strongly disagree",
      "2 · Disagree",
      "3 · Neither",
      "4 · Agree",
      "5 · Strongly agree",
    ]);
  });

  it("counts six people once each, one of whom changes their answer, and ties no answer to anyone", async () => {
    const voters = ["UVOTERAA1", "UVOTERBB2", "UVOTERCC3", "UVOTERDD4", "UVOTEREE5", "UVOTERFF6"];
    const workspaceId = server.ctx.workspace.id;
    const departments = await prisma().department.findMany({ where: { workspaceId } });
    const dept = (key: string) => departments.find((d) => d.key === key)?.id ?? null;
    // three in marketing, three in sales: both groups reach the minimum of 3
    for (const [i, userId] of voters.entries()) {
      await prisma().member.create({
        data: { workspaceId, platform: "slack", userId, departmentId: dept(i < 3 ? "marketing" : "sales") },
      });
    }
    server.fake.reset();
    server.logLines.length = 0;
    const pulse = await postPulse("Marketing's leads were good this week.");
    const where = (userId: string) => ({ userId, channelId: pulse.channelId, ts: pulse.ts });
    const answers = [4, 5, 4, 2, 3, 2];
    const replies = await Promise.all(
      voters.map((userId, i) => server.click(pulse.scale(answers[i] ?? 3), where(userId))),
    );
    for (const reply of replies) {
      expect(reply.response_type).toBe("ephemeral");
      expect(JSON.stringify(reply)).toContain("Thanks! Your answer");
    }
    const changed = await server.click(pulse.scale(1), where("UVOTERDD4"));
    expect(JSON.stringify(changed)).toContain("Changed: your answer is now 1 · Strongly disagree");

    const rows = await responseRows(pulse.pulseId);
    expect(rows).toHaveLength(6);
    expect(rows.map((r) => r.value).sort()).toEqual([1, 2, 3, 4, 4, 5]);
    await server.fake.waitFor(() =>
      server.fake
        .callsTo("chat.update")
        .some((c) => c.args.ts === pulse.ts && JSON.stringify(c.args).includes("6 answers so far")),
    );

    const closed = await server.pulse("close", { channelId: pulse.channelId });
    expect(JSON.stringify(closed)).toContain("results are posted");
    const results = await server.fake.waitFor(() =>
      server.fake
        .callsTo("chat.postMessage")
        .find((c) => c.args.channel === pulse.channelId && String(c.args.text).includes("Pulse results")),
    );
    const resultsText = JSON.stringify(results.args);
    expect(resultsText).toContain("Mean *3.2* of 5");
    expect(resultsText).toContain("Marketing");
    expect(resultsText).toContain("Sales");

    // No message, confirmation, log line or table names a voter.
    const said = [
      ...server.fake.calls.map((c) => JSON.stringify(c.args)),
      ...server.fake.responses.map((r) => JSON.stringify(r.body)),
      ...server.logLines,
    ];
    expect(server.logLines.length).toBeGreaterThan(0);
    // Every table but members, which says who is in which department and nothing about answers.
    const tables = await Promise.all([
      prisma().pulse.findMany(),
      prisma().pulseQuestion.findMany(),
      prisma().pulseResponse.findMany(),
      prisma().auditLog.findMany(),
      prisma().ritual.findMany(),
      prisma().ritualVote.findMany(),
      prisma().outboxMessage.findMany(),
      prisma().conversationRef.findMany(),
      prisma().workspace.findMany(),
    ]);
    const dump = JSON.stringify(tables, (_key, value) => (typeof value === "bigint" ? value.toString() : value));
    for (const voter of voters) {
      for (const text of said) expect(text).not.toContain(voter);
      expect(dump).not.toContain(voter);
      expect(dump).not.toContain(voter.toLowerCase());
    }
  });

  it("counts 200 simultaneous votes from 200 people exactly once each", async () => {
    const pulse = await postPulse("We had what we needed from product this week.");
    const people = Array.from({ length: 200 }, (_, i) => `UCROWD${String(i).padStart(4, "0")}`);
    const replies = await Promise.all(
      people.map((userId, i) =>
        server.click(pulse.scale((i % 5) + 1), { userId, channelId: pulse.channelId, ts: pulse.ts }),
      ),
    );
    expect(replies.filter((r) => JSON.stringify(r).includes("Thanks! Your answer"))).toHaveLength(200);
    expect(await responseRows(pulse.pulseId)).toHaveLength(200);
    expect(await server.services.pulses.store.countRespondents(pulse.pulseId)).toBe(200);
    // the public message ends on the final count, whatever order the updates ran in
    await server.fake.waitFor(() => {
      const updates = server.fake.callsTo("chat.update").filter((c) => c.args.ts === pulse.ts);
      return JSON.stringify(updates.at(-1)?.args ?? {}).includes("200 answers so far");
    }, 60_000);
    // 200 signed requests at once: a loaded CI machine needs more than the default 30 s
  }, 120_000);

  it("counts the same click twice as one vote", async () => {
    const pulse = await postPulse("Hand-offs were smooth this week.");
    const where = { userId: "UTWICE01", channelId: pulse.channelId, ts: pulse.ts };
    const replies = await Promise.all([server.click(pulse.scale(4), where), server.click(pulse.scale(4), where)]);
    expect(await responseRows(pulse.pulseId)).toHaveLength(1);
    const again = await server.click(pulse.scale(4), where);
    expect(JSON.stringify(again)).toContain("already answered");
    expect(replies).toHaveLength(2);
    expect(await responseRows(pulse.pulseId)).toHaveLength(1);
  });

  it("counts a changed answer once, with the new value", async () => {
    const pulse = await postPulse("We agree on what a qualified lead is.");
    const where = { userId: "UCHANGE1", channelId: pulse.channelId, ts: pulse.ts };
    await server.click(pulse.scale(2), where);
    const changed = await server.click(pulse.scale(5), where);
    expect(JSON.stringify(changed)).toContain("Changed: your answer is now 5 · Strongly agree");
    const rows = await responseRows(pulse.pulseId);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.value).toBe(5);
  });

  it("refuses a vote after the close politely, and counts nothing", async () => {
    const pulse = await postPulse("The weekly sync was worth our time.");
    for (const userId of ["ULATE001", "ULATE002", "ULATE003"]) {
      await server.click(pulse.scale(3), { userId, channelId: pulse.channelId, ts: pulse.ts });
    }
    await server.pulse("close", { channelId: pulse.channelId });
    const late = await server.click(pulse.scale(5), { userId: "ULATE004", channelId: pulse.channelId, ts: pulse.ts });
    expect(late.response_type).toBe("ephemeral");
    expect(JSON.stringify(late)).toContain("this pulse closed");
    expect(JSON.stringify(late)).toContain("Thanks for wanting to take part");
    expect(await responseRows(pulse.pulseId)).toHaveLength(3);
  });

  it("refuses a vote once the closing time has passed, even before a scheduler closed it", async () => {
    const pulse = await postPulse("Quick check before the time runs out.");
    server.setNow(new Date(START.getTime() + 25 * 3_600_000));
    try {
      const late = await server.click(pulse.scale(4), { userId: "UAFTER01", channelId: pulse.channelId, ts: pulse.ts });
      expect(JSON.stringify(late)).toContain("answers are no longer counted");
      expect(await responseRows(pulse.pulseId)).toHaveLength(0);
    } finally {
      server.setNow(START);
    }
  });

  it("hides the results of a question that fewer than the minimum answered", async () => {
    const pulse = await postPulse("Only two of us will answer this.");
    await server.click(pulse.scale(1), { userId: "UFEW0001", channelId: pulse.channelId, ts: pulse.ts });
    await server.click(pulse.scale(5), { userId: "UFEW0002", channelId: pulse.channelId, ts: pulse.ts });
    await server.pulse("close", { channelId: pulse.channelId });
    const results = await server.fake.waitFor(() =>
      server.fake
        .callsTo("chat.postMessage")
        .find((c) => c.args.channel === pulse.channelId && String(c.args.text).includes("Pulse results")),
    );
    const text = JSON.stringify(results.args);
    expect(text).toContain("results show from 3 answers on");
    expect(text).not.toContain("Mean");
    expect(text).not.toContain("Strongly agree");
  });

  it("answers 'not found' to buttons and commands carrying ids no record can have", async () => {
    const pulse = await postPulse("Ids from outside are checked.");
    const where = { userId: "UIDS0001", channelId: pulse.channelId, ts: pulse.ts };
    const button = (actionId: string) => ({ blockId: "b", actionId, value: "4", label: "x" });
    const replyText = (reply: Record<string, unknown>) => JSON.stringify(reply);
    for (const actionId of [
      "pulse:100000000000000000000000:1:3",
      "pulse:2147483648:1:3",
      `pulse:${pulse.pulseId}:99999999999999999999:3`,
      "pulse_text:100000000000000000000000:1",
    ]) {
      const reply = replyText(await server.click(button(actionId), where));
      expect(reply).toContain("I can't find that pulse any more.");
      expect(reply).not.toMatch(/something went wrong/i);
    }
    for (const actionId of ["ritual:100000000000000000000000:0", "ritual_decide:100000000000000000000000"]) {
      expect(replyText(await server.click(button(actionId), where))).toContain("I can't find that ritual any more.");
    }
    for (const text of ["close 1e23", "results 100000000000000000000000", "stop -1", "answer 2147483648 1 4"]) {
      const reply = JSON.stringify(await server.pulse(text, { channelId: pulse.channelId }));
      expect(reply).toMatch(/There is no pulse (#-?\d+|with that number) here\./);
    }
  });
});
