// The real HTTP server with the Slack routes as the composition root builds them, on a
// test database, with Slack's Web API and response_url served by the fake. Facts are
// seeded per workspace.

import { createHttpServer } from "../../../src/adapters/http/server.ts";
import type { SlackAdapter } from "../../../src/adapters/slack/slack-app.ts";
import type { AppContext } from "../../../src/app/context.ts";
import { parseEnv } from "../../../src/config/env.ts";
import { createLogger } from "../../../src/core/logger.ts";
import { createSurfaces } from "../../../src/main/serve.ts";
import type { Db, Dialect } from "../../../src/store/database.ts";
import { createKpiAdminStore } from "../../../src/store/kpi-admin.ts";
import { ensureDefaultWorkspace } from "../../../src/store/workspaces.ts";
import { type FakeSlack, startFakeSlack } from "../../fakes/slack-api.ts";
import { createTestDatabase, type TestDatabase } from "../../helpers/databases.ts";
import { postSigned, slashCommandBody } from "../../helpers/slack-sign.ts";

export const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
/** "now" for the app: the last complete month is September 2026 */
export const NOW = new Date("2026-10-14T09:00:00Z");

export type SlackAnswer = { text: string; blocks: { type: string }[]; response_type?: string };

type CommandFields = { userId?: string; teamId?: string; userName?: string; channelId?: string };

export type SlackServerDeps = {
  /** Slack's acknowledgement budget (default: the dialect's) */
  ackBudgetMs?: number;
  /** mints the ingest tokens `/kpi token` shows, instead of the token store */
  issueToken?: (request: { workspaceId: number; name: string; actor: string }) => Promise<string>;
};

export type SlackTestServer = {
  url: string;
  fake: FakeSlack;
  test: TestDatabase;
  ctx: AppContext;
  slack: SlackAdapter;
  /** moves the app's clock (it starts at NOW) */
  setNow(date: Date): void;
  /** sends `/kpi TEXT` signed; returns the answer from the HTTP response or the response_url post */
  kpi(text: string, fields?: CommandFields): Promise<SlackAnswer>;
  /** any slash command, answered like kpi() */
  command(command: string, text: string, fields?: CommandFields): Promise<SlackAnswer>;
  stop(): Promise<void>;
};

export async function startSlackTestServer(
  dialect: Dialect,
  options: { env?: Record<string, string>; deps?: SlackServerDeps } = {},
): Promise<SlackTestServer> {
  const fake = await startFakeSlack();
  const test = await createTestDatabase(dialect);
  const env = parseEnv({
    DATABASE_URL: test.url,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    LOG_LEVEL: "silent",
    ...(options.env ?? { SLACK_BOT_TOKEN: "xoxb-test-token" }),
  });
  const logger = createLogger(process.env.TEST_LOG_LEVEL === "debug" ? "debug" : "silent");
  const workspace = await ensureDefaultWorkspace(test.db.prisma, env.TANDEM_TIMEZONE);
  let now = NOW;
  const ctx: AppContext = {
    env,
    db: test.db,
    workspace,
    clock: { now: () => now },
    logger,
    close: async () => {},
  };
  const { issueToken, ackBudgetMs } = options.deps ?? {};
  const { slack } = createSurfaces(ctx, {
    secret: Buffer.alloc(32, 7),
    ...(issueToken ? { admin: { ...createKpiAdminStore(test.db.prisma), issueToken } } : {}),
    ...(ackBudgetMs !== undefined ? { slackAckBudgetMs: ackBudgetMs } : {}),
  });
  if (!slack) throw new Error("Slack did not start");
  const http = createHttpServer(slack.routes, { logger });
  const port = await http.listen(0, "127.0.0.1");
  const url = `http://127.0.0.1:${port}`;

  const command = async (name: string, text: string, fields: CommandFields = {}) => {
    const id = `cmd-${Math.random().toString(36).slice(2)}`;
    const body = slashCommandBody({ command: name, text, responseUrl: fake.responseUrl(id), ...fields });
    const response = await postSigned(`${url}/slack/events`, SIGNING_SECRET, body);
    if (response.status !== 200) throw new Error(`${name} ${text}: HTTP ${response.status} ${response.text}`);
    if (response.text !== "") return response.json() as SlackAnswer;
    const posted = await fake.waitFor(() => fake.responses.find((r) => r.id === id));
    return posted.body as SlackAnswer;
  };
  return {
    url,
    fake,
    test,
    ctx,
    slack,
    setNow(date) {
      now = date;
    },
    kpi: (text, fields) => command("/kpi", text, fields),
    command,
    async stop() {
      await slack.stop();
      await http.close(1_000);
      await fake.close();
      await test.drop();
    },
  };
}

const DAY = 86_400_000;

/**
 * September 2026: 200 leads → 80 MQLs → 40 SQLs → 30 opportunities → 21 won at 7,500
 * (new revenue 157,500), spend 60,000 marketing + 45,000 sales (CAC 5,000).
 * August 2026: 180 → 70 → 35 → 25 → 20 won at 7,000, spend 110,000 (CAC 5,500).
 */
export async function seedFunnel(prisma: Db, workspaceId: number): Promise<void> {
  type Row = {
    kind: string;
    entityId: string | null;
    ms: number;
    value?: number;
    segment?: string;
    department?: string;
  };
  const rows: Row[] = [];
  const month = (prefix: string, startMs: number, counts: number[], wonValue: number, spend: [number, number]) => {
    const kinds = ["lead", "mql", "sql", "opportunity", "won"];
    kinds.forEach((kind, stage) => {
      for (let i = 0; i < (counts[stage] ?? 0); i++) {
        const row: Row = { kind, entityId: `${prefix}${i}`, ms: startMs + stage * DAY + (i % 20) * 3_600_000 };
        if (kind === "won") Object.assign(row, { value: wonValue, segment: "new" });
        rows.push(row);
      }
    });
    rows.push({ kind: "spend", entityId: null, ms: startMs + 2 * DAY, value: spend[0], department: "marketing" });
    rows.push({ kind: "spend", entityId: null, ms: startMs + 3 * DAY, value: spend[1], department: "sales" });
  };
  month("S", Date.UTC(2026, 8, 1), [200, 80, 40, 30, 21], 7_500, [60_000, 45_000]);
  month("A", Date.UTC(2026, 7, 1), [180, 70, 35, 25, 20], 7_000, [70_000, 40_000]);
  await prisma.fact.createMany({
    data: rows.map((row) => ({
      workspaceId,
      occurredMs: BigInt(row.ms),
      kind: row.kind,
      entityId: row.entityId,
      value: row.value ?? null,
      segment: row.segment ?? null,
      department: row.department ?? null,
    })),
  });
}

/** Every piece of text of an answer: the fallback and the blocks, for "is this figure shown" checks. */
export function answerText(answer: { text?: string; blocks?: unknown[] }): string {
  return `${answer.text ?? ""}\n${JSON.stringify(answer.blocks ?? [])}`;
}
