// What an outside acceptance test does: the composed server of `tandem serve`, without
// credentials, answering an @mention in a channel at its own connector, and refusing a
// malformed activity with a 4xx while it keeps serving.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../../../src/app/context.ts";
import { parseEnv } from "../../../src/config/env.ts";
import { createLogger } from "../../../src/core/logger.ts";
import { type RunningServer, startServer } from "../../../src/main/serve.ts";
import { ensureDefaultWorkspace } from "../../../src/store/workspaces.ts";
import { type FakeConnector, startFakeConnector } from "../../fakes/bot-connector.ts";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../../helpers/databases.ts";
import { seedFunnel } from "../slack/slack-server.ts";
import { BOT, CHANNEL, cardOf, cardProblems, cardText, NOW } from "./teams-server.ts";

describe.each(DIALECTS)("tandem serve answers Teams (%s)", (dialect) => {
  let test: TestDatabase;
  let connector: FakeConnector;
  let running: RunningServer;
  const post = (body: string) =>
    fetch(`http://127.0.0.1:${running.port}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });

  beforeAll(async () => {
    test = await createTestDatabase(dialect);
    connector = await startFakeConnector();
    const env = parseEnv({ DATABASE_URL: test.url, LOG_LEVEL: "silent" });
    const workspace = await ensureDefaultWorkspace(test.db.prisma, env.TANDEM_TIMEZONE);
    await seedFunnel(test.db.prisma, workspace.id);
    const ctx: AppContext = {
      env,
      db: test.db,
      workspace,
      clock: { now: () => NOW },
      logger: createLogger("silent"),
      close: async () => {},
    };
    running = await startServer(ctx, { port: 0, host: "127.0.0.1", scheduler: false });
  });
  afterAll(async () => {
    await running?.stop();
    await connector?.close();
    await test?.drop();
  });

  it("answers `@Tandem kpi new_revenue 2026-09` in a channel with a card carrying 157,500", async () => {
    const response = await post(
      JSON.stringify({
        type: "message",
        id: "1700000000001",
        channelId: "msteams",
        serviceUrl: connector.url,
        from: { id: "29:user-ana", name: "Ana", aadObjectId: "aad-ana" },
        conversation: CHANNEL,
        recipient: BOT,
        text: "<at>Tandem</at> kpi new_revenue 2026-09",
        entities: [{ type: "mention", text: "<at>Tandem</at>", mentioned: BOT }],
        channelData: { teamsChannelId: "19:general@thread.tacv2", tenant: { id: "tenant-1" } },
      }),
    );
    expect(response.status).toBe(200);
    const [reply] = connector.activities();
    const card = cardOf(reply ?? {});
    expect(cardText(card)).toContain("157,500");
    expect(cardProblems(card)).toEqual([]);
  });

  it("refuses a malformed activity with 400 and keeps serving", async () => {
    expect((await post("{")).status).toBe(400);
    expect((await post(JSON.stringify({ type: "message", text: "kpi" }))).status).toBe(400);
    const health = await fetch(`http://127.0.0.1:${running.port}/healthz`);
    expect(health.status).toBe(200);
  });
});
