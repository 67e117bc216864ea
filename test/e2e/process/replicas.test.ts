// Many machines: two real `tandem serve` processes on one PostgreSQL database behind a
// small round-robin proxy, as an operator runs replicas behind a load balancer. Signed
// `/kpi` commands, pulse votes and ingest calls go through the proxy; a digest falls due
// while both schedulers tick. Every answer is right, every vote counted once, the digest
// posted once, and a fact ingested through one replica is in the other's next answer.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../../src/store/database.ts";
import { createTokenRepository } from "../../../src/store/token-repository.ts";
import { ensureDefaultWorkspace } from "../../../src/store/workspaces.ts";
import { type FakeSlack, startFakeSlack } from "../../fakes/slack-api.ts";
import { createEmptyDatabaseUrl } from "../../helpers/databases.ts";
import { interactivityBody, postSigned, slashCommandBody } from "../../helpers/slack-sign.ts";
import { type ServeProcess, startServe } from "../../helpers/tandem-process.ts";
import { buttonsOf } from "../slack/pulse-server.ts";
import { answerText } from "../slack/slack-server.ts";

const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const SEPTEMBER = Date.UTC(2026, 8, 1);
const DAY = 86_400_000;

type Proxy = { url: string; served: number[]; close(): Promise<void> };

/** Sends request n to replica n mod 2, as a round-robin balancer does; notes who served each. */
async function startProxy(replicas: ServeProcess[]): Promise<Proxy> {
  const served: number[] = [];
  let next = 0;
  const server: Server = createServer((incoming, outgoing) => {
    const index = next++ % replicas.length;
    served.push(index);
    const target = new URL((replicas[index] as ServeProcess).url);
    const forward = request(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, { ...answer.headers, "x-replica": String(index) });
        answer.pipe(outgoing);
      },
    );
    forward.on("error", () => {
      outgoing.writeHead(502);
      outgoing.end();
    });
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The next whole minute at least `leadMs` away, as a weekly schedule names it (UTC). */
function nextMinute(leadMs: number): { at: Date; dayOfWeek: number; time: string } {
  const at = new Date(Math.ceil((Date.now() + leadMs) / 60_000) * 60_000);
  const hhmm = at.toISOString().slice(11, 16);
  return { at, dayOfWeek: at.getUTCDay() === 0 ? 7 : at.getUTCDay(), time: hhmm };
}

describe.skipIf(!process.env.TEST_POSTGRES_URL)("two tandem serve replicas on one PostgreSQL database", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "tandem-replicas-"));
  let url: string;
  let drop: () => Promise<void>;
  let token: string;
  let fake: FakeSlack;
  let proxy: Proxy;
  const replicas: ServeProcess[] = [];
  const leadsSeeded = 7;
  let digestDue: ReturnType<typeof nextMinute>;

  const kpi = async (text: string, userId = "U0001") => {
    const id = `r-${Math.random().toString(36).slice(2)}`;
    const body = slashCommandBody({ text, userId, responseUrl: fake.responseUrl(id) });
    const ack = await postSigned(`${proxy.url}/slack/events`, SIGNING_SECRET, body);
    expect(ack.status).toBe(200);
    const answer =
      ack.text !== "" ? ack.json() : (await fake.waitFor(() => fake.responses.find((r) => r.id === id), 90_000)).body;
    return answerText(answer as { text?: string; blocks?: unknown[] });
  };
  /** The period's figure in a single metric's answer ("• September 2026: 7"). */
  const leadsIn = (text: string) => Number(/• September 2026: ([\d,]+)/.exec(text)?.[1]?.replace(/,/g, ""));
  const servedBy = () => proxy.served.at(-1);

  beforeAll(async () => {
    ({ url, drop } = await createEmptyDatabaseUrl("postgres"));
    const db = await openDatabase(url);
    const workspace = await ensureDefaultWorkspace(db.prisma, "UTC");
    ({ token } = await createTokenRepository(db.prisma).create(workspace.id, "replicas"));
    await db.prisma.fact.createMany({
      data: Array.from({ length: leadsSeeded }, (_, i) => ({
        workspaceId: workspace.id,
        kind: "lead",
        occurredMs: BigInt(SEPTEMBER + i * DAY),
        entityId: `seed-${i}`,
        channel: "webinar",
      })),
    });
    // falls due at a whole minute, when both replicas' schedulers tick
    digestDue = nextMinute(20_000);
    await db.prisma.digestSubscription.create({
      data: {
        workspaceId: workspace.id,
        platform: "slack",
        channelId: "C0DIGEST",
        dayOfWeek: digestDue.dayOfWeek,
        time: digestDue.time,
        timezone: "UTC",
        createdBy: "U0001",
      },
    });
    await db.close();
    fake = await startFakeSlack();
    const env = {
      DATABASE_URL: url,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: "xoxb-test-token",
      SLACK_API_URL: fake.apiUrl,
      TANDEM_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
    };
    // a loaded machine transpiles slowly: two start-ups side by side get longer than one
    const start = () => startServe({ cwd: dir, env, readyMs: 240_000 });
    replicas.push(...(await Promise.all([start(), start()])));
    proxy = await startProxy(replicas);
  }, 300_000);

  afterAll(async () => {
    await proxy?.close();
    await Promise.all(replicas.map((replica) => replica.stop()));
    await fake?.close();
    await drop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers right through either replica, and a fact ingested through one is in the other's next answer", async () => {
    for (let i = 0; i < 4; i++) expect(leadsIn(await kpi("leads 2026-09"))).toBe(leadsSeeded);
    expect(new Set(proxy.served)).toEqual(new Set([0, 1]));

    const ingested = await fetch(`${proxy.url}/api/v1/facts`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/x-ndjson" },
      body: `${JSON.stringify({ occurred_at: "2026-09-20", kind: "lead", entity_id: "api-1", external_id: "api-1" })}\n`,
    });
    expect(ingested.status).toBe(200);
    expect(await ingested.json()).toMatchObject({ inserted: 1 });
    const ingestedBy = Number(ingested.headers.get("x-replica"));
    const next = await kpi("leads 2026-09");
    expect(servedBy()).not.toBe(ingestedBy);
    expect(leadsIn(next)).toBe(leadsSeeded + 1);
    expect(leadsIn(await kpi("leads 2026-09"))).toBe(leadsSeeded + 1);
  }, 180_000);

  it("counts every vote once, whichever replica takes each click", async () => {
    const channelId = "C0PULSE";
    const posted = await postSigned(
      `${proxy.url}/slack/events`,
      SIGNING_SECRET,
      slashCommandBody({
        text: '"Sales and marketing worked well together this week."',
        command: "/pulse",
        userId: "UCREATOR",
        channelId,
        responseUrl: fake.responseUrl("pulse-create"),
      }),
    );
    expect(posted.status).toBe(200);
    // a preview first, posted by `/pulse post` (which may reach the other replica)
    const post = await postSigned(
      `${proxy.url}/slack/events`,
      SIGNING_SECRET,
      slashCommandBody({
        text: "post",
        command: "/pulse",
        userId: "UCREATOR",
        channelId,
        responseUrl: fake.responseUrl("pulse-post"),
      }),
    );
    expect(post.status).toBe(200);
    const message = await fake.waitFor(
      () => fake.callsTo("chat.postMessage").find((call) => call.args.channel === channelId),
      60_000,
    );
    const buttons = buttonsOf(message.args.blocks as unknown[]);
    expect(buttons.length).toBe(5);
    const db = await openDatabase(url, { migrate: false });
    try {
      const pulse = await db.prisma.pulse.findFirstOrThrow({ where: { channelId } });
      const voters = Array.from({ length: 12 }, (_, i) => `UVOTER${i}`);
      // every voter once, and the first four twice more: 20 clicks, alternating replicas
      const clicks = [...voters, ...voters.slice(0, 4), ...voters.slice(0, 4)];
      const statuses = await Promise.all(
        clicks.map(async (userId, i) => {
          const button = buttons[i % buttons.length] as (typeof buttons)[number];
          const payload = {
            type: "block_actions",
            team: { id: "T0001", domain: "tandem-test" },
            user: { id: userId, username: userId.toLowerCase(), name: userId.toLowerCase(), team_id: "T0001" },
            api_app_id: "A0001",
            token: "t",
            trigger_id: `${i}.1`,
            container: { type: "message", message_ts: pulse.messageId, channel_id: channelId, is_ephemeral: false },
            channel: { id: channelId, name: "pulse" },
            message: { type: "message", ts: pulse.messageId, text: "pulse" },
            response_url: fake.responseUrl(`click-${i}`),
            actions: [
              {
                type: "button",
                action_id: button.actionId,
                block_id: button.blockId,
                text: { type: "plain_text", text: button.label },
                value: button.value,
                action_ts: `${i}.2`,
              },
            ],
          };
          return (await postSigned(`${proxy.url}/slack/events`, SIGNING_SECRET, interactivityBody(payload))).status;
        }),
      );
      expect(statuses.every((status) => status === 200)).toBe(true);
      await fake.waitFor(() => clicks.every((_, i) => fake.responses.some((r) => r.id === `click-${i}`)), 90_000);
      const answers = await db.prisma.pulseResponse.findMany({ where: { pulseId: pulse.id } });
      expect(answers).toHaveLength(voters.length);
      expect(new Set(answers.map((answer) => answer.respondentKey)).size).toBe(voters.length);
    } finally {
      await db.close();
    }
  }, 180_000);

  it("posts a digest that falls due while both replicas tick, once", async () => {
    const isDigest = (call: { args: Record<string, unknown> }) => call.args.channel === "C0DIGEST";
    await fake.waitFor(() => fake.callsTo("chat.postMessage").find(isDigest), 180_000);
    // both replicas have ticked at the due minute once they have both ticked at the next one
    const db = await openDatabase(url, { migrate: false });
    try {
      // the run is marked posted after the chart upload that follows the message
      const where = { subscription: { channelId: "C0DIGEST" } };
      const deadline = Date.now() + 60_000;
      let run = await db.prisma.digestRun.findFirstOrThrow({ where });
      while (run.status === "claimed" && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        run = await db.prisma.digestRun.findFirstOrThrow({ where });
      }
      expect(run.status).toBe("posted");
      const afterDue = digestDue.at.getTime() + 60_000;
      await fake.waitFor(
        () =>
          replicas.every((replica) => /"msg":"tandem listening"/.test(replica.stderr())) &&
          Date.now() > afterDue + 5_000,
        180_000,
      );
      expect(await db.prisma.digestRun.count()).toBe(1);
    } finally {
      await db.close();
    }
    expect(fake.callsTo("chat.postMessage").filter(isDigest)).toHaveLength(1);
  }, 400_000);
});
