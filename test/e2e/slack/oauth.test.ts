// OAuth mode: "Add to Slack" end to end against the fake, installations stored
// encrypted, and each Slack team reading only its own workspace's data.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../../helpers/databases.ts";
import { postSigned } from "../../helpers/slack-sign.ts";
import { answerText, SIGNING_SECRET, type SlackTestServer, seedFunnel, startSlackTestServer } from "./slack-server.ts";

const OAUTH_ENV = {
  SLACK_CLIENT_ID: "1111.2222",
  SLACK_CLIENT_SECRET: "client-secret",
  SLACK_STATE_SECRET: "state-secret-for-tests",
  TANDEM_ENCRYPTION_KEY: "Gm1kq8mN0Jb8pS1vQm2M3o5lZsR1x9vWb7yQ2f0Ae4c=",
};

describe.each(DIALECTS)("Slack OAuth install (%s)", (dialect) => {
  let server: SlackTestServer;

  beforeAll(async () => {
    server = await startSlackTestServer(dialect, { env: OAUTH_ENV });
    server.fake.oauthCodes.set("code-alpha", {
      team: { id: "TALPHA", name: "Alpha" },
      userId: "UA1",
      botToken: "xoxb-alpha-secret-token",
    });
    server.fake.oauthCodes.set("code-beta", {
      team: { id: "TBETA", name: "Beta" },
      userId: "UB1",
      botToken: "xoxb-beta-secret-token",
    });
  });
  afterAll(async () => server?.stop());

  async function install(code: string): Promise<Response> {
    const start = await fetch(`${server.url}/slack/install`, { redirect: "manual" });
    expect(start.status).toBe(302);
    const location = new URL(start.headers.get("location") ?? "");
    expect(location.origin).toBe("https://slack.com");
    expect(location.searchParams.get("scope")).toBe(
      "commands,chat:write,users:read,files:write,channels:read,groups:read",
    );
    const state = location.searchParams.get("state") ?? "";
    const cookie = (start.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    return fetch(`${server.url}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, {
      headers: { cookie },
      redirect: "manual",
    });
  }

  it("installs into two teams, each with its own workspace and an encrypted installation", async () => {
    for (const code of ["code-alpha", "code-beta"]) {
      const done = await install(code);
      expect(done.status).toBe(200);
      expect(await done.text()).toContain("Tandem is installed in");
    }
    const rows = await server.ctx.db.prisma.installation.findMany({ orderBy: { teamId: "asc" } });
    expect(rows.map((row) => row.teamId)).toEqual(["TALPHA", "TBETA"]);
    for (const row of rows) {
      expect(row.dataEnc).toMatch(/^v1:/);
      expect(row.dataEnc).not.toContain("xoxb");
    }
    const workspaces = await server.ctx.db.prisma.workspace.findMany({ where: { platform: "slack" } });
    expect(workspaces.map((w) => w.externalId).sort()).toEqual(["TALPHA", "TBETA"]);
    expect(await server.ctx.db.prisma.auditLog.count({ where: { action: "slack.installed" } })).toBe(2);
  });

  it("refuses a callback whose state is not this browser's", async () => {
    const forged = await fetch(`${server.url}/slack/oauth_redirect?code=code-alpha&state=forged`, {
      redirect: "manual",
    });
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain("Tandem was not installed");
  });

  it("keeps each team's facts to itself", async () => {
    const alpha = await server.ctx.db.prisma.workspace.findUniqueOrThrow({
      where: { platform_externalId: { platform: "slack", externalId: "TALPHA" } },
    });
    await seedFunnel(server.ctx.db.prisma, alpha.id);

    const inAlpha = await server.kpi("new_revenue 2026-09", { teamId: "TALPHA" });
    expect(answerText(inAlpha)).toContain("157,500");
    const inBeta = await server.kpi("new_revenue 2026-09", { teamId: "TBETA" });
    expect(answerText(inBeta)).not.toContain("157,500");
    expect(answerText(inBeta)).toContain("New revenue");
    // nor does the default (CLI) workspace see either team's data
    const facts = await server.ctx.db.prisma.fact.count({ where: { workspaceId: server.ctx.workspace.id } });
    expect(facts).toBe(0);
  });

  it("keeps department membership per team", async () => {
    await server.kpi("join sales", { teamId: "TALPHA", userId: "USAME" });
    const inBeta = await server.kpi("", { teamId: "TBETA", userId: "USAME" });
    expect(answerText(inBeta)).toContain("Shared metrics");
  });

  it("calls the Web API with each team's own bot token", async () => {
    server.fake.reset();
    const event = JSON.stringify({
      team_id: "TBETA",
      api_app_id: "A0001",
      type: "event_callback",
      event_id: "Ev03",
      event_time: 1_790_000_000,
      authorizations: [{ team_id: "TBETA", user_id: "UBOT", is_bot: true, is_enterprise_install: false }],
      event: { type: "app_home_opened", user: "UB1", channel: "D0003", tab: "home", event_ts: "1.3" },
    });
    await postSigned(`${server.url}/slack/events`, SIGNING_SECRET, event, { contentType: "application/json" });
    const publish = await server.fake.waitFor(() => server.fake.callsTo("views.publish")[0]);
    expect(publish.token).toBe("xoxb-beta-secret-token");
  });

  it("answers nothing for a team that never installed the app", async () => {
    const response = await postSigned(
      `${server.url}/slack/events`,
      SIGNING_SECRET,
      new URLSearchParams({
        command: "/kpi",
        text: "cac",
        team_id: "TNOBODY",
        user_id: "U9",
        response_url: server.fake.responseUrl(),
      }).toString(),
    );
    expect(response.status).toBe(200);
    expect(response.text).toBe("");
  });

  it("refuses every near miss of the install state: empty, truncated, prefix-only, too long, no or another cookie", async () => {
    server.fake.oauthCodes.set("code-gamma", {
      team: { id: "TGAMMA", name: "Gamma" },
      userId: "UG1",
      botToken: "xoxb-gamma-secret-token",
    });
    const begin = async () => {
      const start = await fetch(`${server.url}/slack/install`, { redirect: "manual" });
      const state = new URL(start.headers.get("location") ?? "").searchParams.get("state") ?? "";
      return { state, cookie: (start.headers.get("set-cookie") ?? "").split(";")[0] ?? "" };
    };
    const callback = (state: string, cookie: string) =>
      fetch(`${server.url}/slack/oauth_redirect?code=code-gamma&state=${encodeURIComponent(state)}`, {
        headers: cookie ? { cookie } : {},
        redirect: "manual",
      });
    const mine = await begin();
    const theirs = await begin();
    const [name, value = ""] = mine.cookie.split("=");
    const nearMisses: [string, string][] = [
      ["", mine.cookie],
      [mine.state.slice(0, -1), mine.cookie],
      [mine.state.slice(0, 10), mine.cookie],
      [`${mine.state}x`, mine.cookie],
      [mine.state, ""],
      [mine.state, theirs.cookie],
      [mine.state, `${name}=${value.slice(0, -1)}`],
      [mine.state, `${name}=`],
      [theirs.state, mine.cookie],
    ];
    for (const [state, cookie] of nearMisses) {
      const response = await callback(state, cookie);
      expect(response.status, `state ${state.slice(0, 12)}…, cookie ${cookie.slice(0, 20)}…`).toBe(400);
    }
    expect(await server.ctx.db.prisma.installation.count({ where: { teamId: "TGAMMA" } })).toBe(0);
    // the unaltered pair installs: the near misses failed for their state alone
    expect((await callback(mine.state, mine.cookie)).status).toBe(200);
    expect(await server.ctx.db.prisma.installation.count({ where: { teamId: "TGAMMA" } })).toBe(1);
  });
});
