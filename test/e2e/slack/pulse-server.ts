// The real HTTP server with the Slack routes and the pulse listeners as the composition
// root builds them, on a test database, Slack's Web API faked on 127.0.0.1, a clock the
// test moves, and every log line kept (at debug level) so tests can read what was logged.
import { createHttpServer } from "../../../src/adapters/http/server.ts";
import type { SlackAdapter } from "../../../src/adapters/slack/slack-app.ts";
import type { AppContext } from "../../../src/app/context.ts";
import type { PulseServices } from "../../../src/app/pulse.ts";
import { parseEnv } from "../../../src/config/env.ts";
import { createLogger } from "../../../src/core/logger.ts";
import type { Messengers } from "../../../src/main/delivery.ts";
import { createSurfaces } from "../../../src/main/serve.ts";
import type { Dialect } from "../../../src/store/database.ts";
import { ensureDefaultWorkspace } from "../../../src/store/workspaces.ts";
import { type FakeSlack, startFakeSlack } from "../../fakes/slack-api.ts";
import { createTestDatabase, type TestDatabase } from "../../helpers/databases.ts";
import { interactivityBody, postSigned, slashCommandBody } from "../../helpers/slack-sign.ts";

export const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

export type PostedButton = { blockId: string; actionId: string; value: string; label: string };

export type PulseTestServer = {
  url: string;
  fake: FakeSlack;
  test: TestDatabase;
  ctx: AppContext;
  services: PulseServices;
  /** each platform's messenger, as the composition root gives the scheduler's jobs */
  messengers: Messengers;
  slack: SlackAdapter;
  logLines: string[];
  setNow(date: Date): void;
  /** `/pulse TEXT` as `userId` in `channelId`; the reply from the ack or the response_url */
  pulse(text: string, fields?: { userId?: string; channelId?: string }): Promise<{ text: string; blocks: unknown[] }>;
  /** `/pulse TEXT`, then Post on its private preview, as the same person: the reply to Post */
  pulseAndPost(text: string, fields?: { userId?: string; channelId?: string }): Promise<Record<string, unknown>>;
  /** clicks a button of a channel message as `userId`; resolves with the private reply */
  click(
    button: PostedButton,
    where: { userId: string; channelId: string; ts: string },
  ): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
};

/** The buttons of a posted message: its actions blocks' elements. */
export function buttonsOf(blocks: unknown[]): PostedButton[] {
  const buttons: PostedButton[] = [];
  for (const block of blocks as { type: string; block_id?: string; elements?: Record<string, unknown>[] }[]) {
    if (block.type !== "actions") continue;
    for (const element of block.elements ?? []) {
      if (element.type !== "button") continue;
      buttons.push({
        blockId: block.block_id ?? "",
        actionId: String(element.action_id),
        value: String(element.value ?? ""),
        label: String((element.text as { text?: string } | undefined)?.text ?? ""),
      });
    }
  }
  return buttons;
}

export async function startPulseTestServer(dialect: Dialect, start: Date): Promise<PulseTestServer> {
  const fake = await startFakeSlack();
  const test = await createTestDatabase(dialect);
  const env = parseEnv({
    DATABASE_URL: test.url,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    SLACK_BOT_TOKEN: "xoxb-test-token",
    LOG_LEVEL: "debug",
  });
  const logLines: string[] = [];
  const logger = createLogger("debug", (line) => logLines.push(line));
  const workspace = await ensureDefaultWorkspace(test.db.prisma, "Europe/Berlin");
  let now = start;
  const clock = { now: () => now };
  const ctx: AppContext = { env, db: test.db, workspace, clock, logger, close: async () => {} };
  const { slack, chat, messengers } = createSurfaces(ctx, { secret: Buffer.alloc(32, 7) });
  const services = chat.pulses;
  if (!slack) throw new Error("Slack did not start");
  const http = createHttpServer(slack.routes, { logger });
  const port = await http.listen(0, "127.0.0.1");
  const url = `http://127.0.0.1:${port}`;
  let counter = 0;

  const server: PulseTestServer = {
    url,
    fake,
    test,
    ctx,
    services,
    messengers,
    slack,
    logLines,
    setNow(date) {
      now = date;
    },
    async pulse(text, fields = {}) {
      const id = `pulse-${++counter}`;
      const body = slashCommandBody({
        text,
        command: "/pulse",
        userId: fields.userId ?? "UCREATOR",
        channelId: fields.channelId ?? "C0PULSE",
        responseUrl: fake.responseUrl(id),
      });
      const response = await postSigned(`${url}/slack/events`, SIGNING_SECRET, body);
      if (response.status !== 200) throw new Error(`/pulse ${text}: HTTP ${response.status} ${response.text}`);
      if (response.text !== "") return response.json() as { text: string; blocks: unknown[] };
      const posted = await fake.waitFor(() => fake.responses.find((r) => r.id === id));
      return posted.body as { text: string; blocks: unknown[] };
    },
    async pulseAndPost(text, fields = {}) {
      const preview = await server.pulse(text, fields);
      const post = buttonsOf(preview.blocks).find((b) => b.label === "Post");
      if (!post) throw new Error(`/pulse ${text}: no Post button in ${JSON.stringify(preview)}`);
      return server.click(post, {
        userId: fields.userId ?? "UCREATOR",
        channelId: fields.channelId ?? "C0PULSE",
        ts: "ephemeral",
      });
    },
    async click(button, where) {
      const id = `click-${++counter}`;
      const payload = {
        type: "block_actions",
        team: { id: "T0001", domain: "tandem-test" },
        user: {
          id: where.userId,
          username: where.userId.toLowerCase(),
          name: where.userId.toLowerCase(),
          team_id: "T0001",
        },
        api_app_id: "A0001",
        token: "t",
        trigger_id: `${counter}.1`,
        container: { type: "message", message_ts: where.ts, channel_id: where.channelId, is_ephemeral: false },
        channel: { id: where.channelId, name: "pulse" },
        message: { type: "message", ts: where.ts, text: "pulse" },
        response_url: fake.responseUrl(id),
        actions: [
          {
            type: "button",
            action_id: button.actionId,
            block_id: button.blockId,
            text: { type: "plain_text", text: button.label },
            value: button.value,
            action_ts: `${counter}.2`,
          },
        ],
      };
      const response = await postSigned(`${url}/slack/events`, SIGNING_SECRET, interactivityBody(payload));
      if (response.status !== 200) throw new Error(`click: HTTP ${response.status} ${response.text}`);
      const reply = await fake.waitFor(() => fake.responses.find((r) => r.id === id));
      return reply.body;
    },
    async stop() {
      await slack.stop();
      await http.close(1_000);
      await fake.close();
      await test.drop();
    },
  };
  return server;
}
