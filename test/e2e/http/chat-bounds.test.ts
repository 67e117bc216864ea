// What people type costs bounded work and bounded metrics, through the composed server
// with Slack and (loopback) Teams: `tandem_chat_commands_total` takes its `command` label
// from a closed set (known verbs and `other`) for Slack, Teams and the local console alike,
// the console's commands counted too; a 1 MB command gets the documented cap message on
// both platforms while /healthz keeps answering.
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runConsole } from "../../../src/adapters/console/console.ts";
import { COMMAND_LABELS } from "../../../src/app/chat/command-label.ts";
import type { AppContext } from "../../../src/app/context.ts";
import { parseEnv } from "../../../src/config/env.ts";
import { createLogger } from "../../../src/core/logger.ts";
import { type RunningServer, startServer } from "../../../src/main/serve.ts";
import { ensureDefaultWorkspace } from "../../../src/store/workspaces.ts";
import { type FakeConnector, startFakeConnector } from "../../fakes/bot-connector.ts";
import { type FakeSlack, startFakeSlack } from "../../fakes/slack-api.ts";
import { createTestDatabase, type TestDatabase } from "../../helpers/databases.ts";
import { postSigned, slashCommandBody } from "../../helpers/slack-sign.ts";
import { BOT, PERSONAL } from "../teams/teams-server.ts";

const SECRET = "metrics-test-signing-secret";
const WORDS = 40;
/** distinct words nobody could enumerate in advance */
const word = (i: number) => `zq${i.toString(36)}x${"y".repeat(i % 7)}`;

type Series = { platform: string; command: string; value: number };

function commandSeries(metrics: string): Series[] {
  return [...metrics.matchAll(/^tandem_chat_commands_total\{([^}]*)\} (\d+)$/gm)].map((match) => {
    const labels = Object.fromEntries([...(match[1] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    return { platform: labels.platform ?? "", command: labels.command ?? "", value: Number(match[2]) };
  });
}

const CAP = "Tandem reads commands of up to 1,000 characters";

describe("chat input bounds", () => {
  let test: TestDatabase;
  let slack: FakeSlack;
  let connector: FakeConnector;
  let running: RunningServer;
  let ctx: AppContext;
  const url = () => `http://127.0.0.1:${running.port}`;

  beforeAll(async () => {
    test = await createTestDatabase("sqlite");
    slack = await startFakeSlack();
    connector = await startFakeConnector();
    const env = parseEnv({
      DATABASE_URL: test.url,
      LOG_LEVEL: "silent",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: "xoxb-metrics-test",
      SLACK_API_URL: slack.apiUrl,
      TEAMS_LOCAL_UNAUTHENTICATED: "1",
    });
    const workspace = await ensureDefaultWorkspace(test.db.prisma, env.TANDEM_TIMEZONE);
    ctx = {
      env,
      db: test.db,
      workspace,
      clock: { now: () => new Date() },
      logger: createLogger("silent"),
      close: async () => {},
    };
    running = await startServer(ctx, { port: 0, host: "127.0.0.1", scheduler: false });
  });
  afterAll(async () => {
    await running?.stop();
    await connector?.close();
    await slack?.close();
    await test?.drop();
  });

  it("keeps one closed label set through Slack, Teams and the console, and counts every command", async () => {
    const before = (await (await fetch(`${url()}/metrics`)).text()).length;
    for (let i = 0; i < WORDS; i++) {
      const body = slashCommandBody({ text: `${word(i)} last month`, responseUrl: slack.responseUrl() });
      expect((await postSigned(`${url()}/slack/events`, SECRET, body)).status).toBe(200);
      const teams = await fetch(`${url()}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          type: "message",
          id: `m${i}`,
          channelId: "msteams",
          serviceUrl: connector.url,
          from: { id: "29:ana", aadObjectId: "aad-ana" },
          conversation: PERSONAL,
          recipient: BOT,
          text: i % 2 ? word(i) : `kpi ${word(i)} 2026-09`,
        }),
      });
      expect(teams.status).toBe(200);
    }
    const input = new PassThrough();
    const output = new PassThrough();
    output.resume();
    const session = runConsole(ctx, running.chat, { input, output }, running.metrics);
    for (let i = 0; i < WORDS; i++) input.write(`${i % 2 ? "/kpi " : ""}${word(i)}\n`);
    input.end("/kpi funnel\n");
    await session;

    const metrics = await (await fetch(`${url()}/metrics`)).text();
    const series = commandSeries(metrics);
    for (const { command } of series) expect(COMMAND_LABELS.has(command), command).toBe(true);
    expect(metrics).not.toMatch(/zq[0-9a-z]+x/);
    const count = (platform: string, command: string) =>
      series.find((s) => s.platform === platform && s.command === command)?.value ?? 0;
    expect(count("slack", "other")).toBe(WORDS);
    expect(count("teams", "other")).toBe(WORDS);
    expect(count("local", "other")).toBe(WORDS);
    expect(count("local", "funnel")).toBe(1);
    // 120 distinct words added a handful of series, not one each
    expect(series.length).toBeLessThanOrEqual(4);
    expect(metrics.length - before).toBeLessThan(8_000);
  }, 180_000);

  it("answers a 1 MB command on Slack and Teams with the length cap, and /healthz meanwhile", async () => {
    const huge = "cac ".repeat(250_000);
    const id = "huge-command";
    const slackBody = slashCommandBody({ text: huge, responseUrl: slack.responseUrl(id) });
    const teamsBefore = connector.activities().length;
    const [slackAnswer, teamsAnswer, health] = await Promise.all([
      postSigned(`${url()}/slack/events`, SECRET, slackBody),
      fetch(`${url()}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          type: "message",
          id: "huge",
          channelId: "msteams",
          serviceUrl: connector.url,
          from: { id: "29:ana", aadObjectId: "aad-ana" },
          conversation: PERSONAL,
          recipient: BOT,
          text: `kpi ${huge}`,
        }),
      }),
      fetch(`${url()}/healthz`),
    ]);
    expect(health.status).toBe(200);
    expect(slackAnswer.status).toBe(200);
    const slackText =
      slackAnswer.text !== ""
        ? slackAnswer.text
        : JSON.stringify((await slack.waitFor(() => slack.responses.find((r) => r.id === id))).body);
    expect(slackText).toContain(CAP);
    expect(teamsAnswer.status).toBe(200);
    const [reply] = connector.activities().slice(teamsBefore);
    expect(JSON.stringify(reply)).toContain(CAP);
  }, 60_000);
});
