// A rule typed as a signed `/kpi alert` fires once when an ingest call crosses it, never
// twice under two Tandem processes (two schedulers, one database), re-arms only when the
// metric is back within bounds, and fires again on the next crossing. Posts go through the
// Slack messenger to the fake Slack Web API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIngestRoute } from "../../../src/adapters/http/ingest.ts";
import { createHttpServer, type HttpServer } from "../../../src/adapters/http/server.ts";
import type { AppContext } from "../../../src/app/context.ts";
import { createSurfaces, type Surfaces } from "../../../src/main/serve.ts";
import { createTokenRepository } from "../../../src/store/token-repository.ts";
import { DIALECTS } from "../../helpers/databases.ts";
import { answerText, type SlackTestServer, startSlackTestServer } from "../slack/slack-server.ts";

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
    const buttons = JSON.stringify(alertPosts()[0]?.args.blocks);
    for (const id of ["alert_ack:", "alert_snooze_day:", "alert_snooze_week:", "alert_ritual:"])
      expect(buttons).toContain(id);
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
});
