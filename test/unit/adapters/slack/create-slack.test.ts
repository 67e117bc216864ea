// Which Slack the configuration asks for: off, HTTP or Socket Mode, one workspace
// or the OAuth install; inconsistent settings stop start-up with one clear line.
import { describe, expect, it } from "vitest";
import { createSlack } from "../../../../src/adapters/slack/slack-app.ts";
import { createChatCommands } from "../../../../src/app/chat/chat-commands.ts";
import type { AppContext } from "../../../../src/app/context.ts";
import { kpiDeps } from "../../../../src/app/kpi.ts";
import { parseEnv } from "../../../../src/config/env.ts";
import { createLogger } from "../../../../src/core/logger.ts";
import { createAlertRuleStore } from "../../../../src/store/alert-rules.ts";
import { createKpiAdminStore } from "../../../../src/store/kpi-admin.ts";

function context(vars: Record<string, string>): AppContext {
  return {
    env: parseEnv(vars),
    // nothing touches the database until a request arrives
    db: { prisma: {}, dialect: "sqlite" } as unknown as AppContext["db"],
    workspace: { id: 1, platform: "local", externalId: "default", timezone: "UTC", grossMargin: 1, settings: "{}" },
    clock: { now: () => new Date() },
    logger: createLogger("silent"),
    close: async () => {},
  };
}

/** The Slack adapter in front of a chat layer, as the composition root builds it. */
function slackFor(vars: Record<string, string>) {
  const ctx = context(vars);
  const kpi = kpiDeps(ctx.db, ctx.clock);
  const admin = createKpiAdminStore(ctx.db.prisma);
  return createSlack(ctx, {
    kpi,
    chat: createChatCommands({
      workspace: ctx.workspace,
      logger: ctx.logger,
      kpi,
      admin,
      alerts: createAlertRuleStore(ctx.db),
    }),
  });
}

const OAUTH = { SLACK_CLIENT_ID: "1.2", SLACK_CLIENT_SECRET: "s", SLACK_STATE_SECRET: "state" };

describe("createSlack", () => {
  it("is off without Slack credentials", () => {
    expect(slackFor({})).toBeNull();
  });

  it("serves POST /slack/events for one workspace with a signing secret and a bot token", () => {
    const slack = slackFor({ SLACK_SIGNING_SECRET: "x", SLACK_BOT_TOKEN: "xoxb-1" });
    expect(slack).toMatchObject({ mode: "single", transport: "http" });
    expect(slack?.routes.map((route) => `${route.method} ${route.path}`)).toEqual(["POST /slack/events"]);
  });

  it("adds the install routes in OAuth mode", () => {
    const slack = slackFor({ SLACK_SIGNING_SECRET: "x", ...OAUTH, TANDEM_ENCRYPTION_KEY: "0123456789abcdef0123" });
    expect(slack?.mode).toBe("oauth");
    expect(slack?.routes.map((route) => `${route.method} ${route.path}`)).toEqual([
      "POST /slack/events",
      "GET /slack/install",
      "GET /slack/oauth_redirect",
    ]);
  });

  it("uses Socket Mode with an app token, and then needs no public route", () => {
    const slack = slackFor({ SLACK_APP_TOKEN: "xapp-1-A1-1-abc", SLACK_BOT_TOKEN: "xoxb-1" });
    expect(slack).toMatchObject({ mode: "single", transport: "socket", routes: [] });
  });

  it.each([
    [{ SLACK_SIGNING_SECRET: "x" }, /set SLACK_BOT_TOKEN .* or SLACK_CLIENT_ID/],
    [{ SLACK_SIGNING_SECRET: "x", SLACK_CLIENT_ID: "1.2" }, /set all three of SLACK_CLIENT_ID/],
    [{ SLACK_SIGNING_SECRET: "x", SLACK_BOT_TOKEN: "xoxb-1", ...OAUTH }, /exclude each other/],
    [{ SLACK_SIGNING_SECRET: "x", ...OAUTH }, /TANDEM_ENCRYPTION_KEY: required/],
    // half a set-up is not "no Slack": it must not quietly become the unauthenticated local mode
    [{ SLACK_BOT_TOKEN: "xoxb-1" }, /^Slack: SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET is not; /],
    [OAUTH, /^Slack: SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET are set but SLACK_SIGNING_SECRET is not/],
    [{ SLACK_CLIENT_SECRET: "s" }, /^Slack: SLACK_CLIENT_SECRET is set but SLACK_SIGNING_SECRET is not/],
  ])("refuses an inconsistent configuration %j", (vars, message) => {
    expect(() => slackFor(vars)).toThrow(message);
  });
});
