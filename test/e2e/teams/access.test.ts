// Who may talk to /api/messages, with real Bot Framework activities. Without a
// MicrosoftAppId the unauthenticated local mode answers only loopback service URLs and
// grants nobody admin rights; with Slack configured it is not served at all unless asked
// for; with an app id only a valid Bot Framework token gets in, and only for the serviceUrl
// it vouches for. The probe of issue 10: a configured admin's aadObjectId asking for an
// ingest token, to be posted wherever the caller says.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateMetricsConfig } from "../../../src/config/metrics-config.ts";
import { saveConversationReference } from "../../../src/store/conversation-refs.ts";
import { applyMetricsConfig } from "../../../src/store/kpi-settings.ts";
import { APP_ID, type FakeBotFrameworkAuth, startFakeBotFrameworkAuth } from "../../fakes/bot-framework-auth.ts";
import { ANA, cardText, PERSONAL, startTeamsTestServer, type TeamsTestServer } from "./teams-server.ts";

const SLACK = { SLACK_SIGNING_SECRET: "slack-signing-secret", SLACK_BOT_TOKEN: "xoxb-1-2-3" };

/** Makes Ana (aad-ana) an admin by the metrics config, as the probe's admin was. */
async function makeAnaAdmin(server: TeamsTestServer): Promise<void> {
  const result = validateMetricsConfig(`version: 1\nadmins: [${ANA.aadObjectId}]\n`);
  if (!result.ok) throw new Error(result.errors.join("\n"));
  await applyMetricsConfig(server.ctx.db.prisma, server.ctx.workspace.id, result.config, "test", "test");
}

/** What an attack could have left behind: tokens, targets, audit rows, reply addresses. */
async function traces(server: TeamsTestServer) {
  const prisma = server.ctx.db.prisma;
  return {
    tokens: await prisma.ingestToken.count(),
    targets: await prisma.target.count(),
    audit: await prisma.auditLog.count({ where: { action: { not: "config.apply" } } }),
    references: await prisma.conversationRef.count(),
  };
}

const NOTHING = { tokens: 0, targets: 0, audit: 0, references: 0 };

describe("Teams with Slack configured and no MicrosoftAppId", () => {
  let server: TeamsTestServer;
  beforeAll(async () => {
    server = await startTeamsTestServer("sqlite", { env: SLACK });
    await makeAnaAdmin(server);
  });
  afterAll(async () => server?.stop());

  it("refuses the exfil probe with 401: no token minted, nothing posted, no reply address stored", async () => {
    for (const text of ["kpi token exfil", "kpi target cac 1 month", "kpi cac"]) {
      const response = await server.post(server.message(text, { conversation: PERSONAL, mention: false }));
      expect(response.status).toBe(401);
      expect(JSON.parse(response.text)).toEqual({
        error: "unauthorized: this server accepts only Bot Framework-authenticated activities",
      });
    }
    expect(server.connector.calls).toEqual([]);
    expect(await traces(server)).toMatchObject({ tokens: 0, targets: 0, audit: 0, references: 0 });
  });
});

describe("Teams with Slack configured and TEAMS_LOCAL_UNAUTHENTICATED=1", () => {
  let server: TeamsTestServer;
  beforeAll(async () => {
    server = await startTeamsTestServer("sqlite", { env: { ...SLACK, TEAMS_LOCAL_UNAUTHENTICATED: "1" } });
    await makeAnaAdmin(server);
  });
  afterAll(async () => server?.stop());

  it("answers on loopback, but a configured admin's id grants no admin rights there", async () => {
    const token = cardText(await server.ask("kpi token exfil", { conversation: PERSONAL, mention: false }));
    expect(token).toContain("Only workspace admins");
    const target = cardText(await server.ask("kpi target cac 1 month", { conversation: PERSONAL, mention: false }));
    expect(target).toContain("Only workspace admins");
    expect(await traces(server)).toMatchObject({ tokens: 0, targets: 0, audit: 0 });
  });
});

describe("Teams in local mode (no chat credentials)", () => {
  let server: TeamsTestServer;
  beforeAll(async () => {
    server = await startTeamsTestServer("sqlite");
    await makeAnaAdmin(server);
  });
  afterAll(async () => server?.stop());

  it("refuses every serviceUrl that is not on this machine with 403, and stores none of them", async () => {
    for (const serviceUrl of [
      "https://smba.trafficmanager.net/emea/",
      "http://10.0.0.5:8080/",
      "http://169.254.169.254/latest/",
      "http://127.0.0.1.attacker.example/",
      "http://localhost.attacker.example/",
      "http://[::ffff:a00:5]/",
      "file:///etc/passwd",
    ]) {
      const response = await server.post({ ...server.message("kpi cac"), serviceUrl });
      expect(response.status, serviceUrl).toBe(403);
      expect(response.text).toContain("answers only a serviceUrl on this machine");
    }
    expect(server.connector.calls).toEqual([]);
    expect(await traces(server)).toEqual(NOTHING);
  });

  it("answers a loopback serviceUrl (localhost too), and never as an admin", async () => {
    const localhost = server.connector.url.replace("127.0.0.1", "localhost");
    const before = server.connector.activities().length;
    const response = await server.post({ ...server.message("kpi token exfil"), serviceUrl: localhost });
    expect(response.status).toBe(200);
    const replies = server.connector.activities().slice(before);
    expect(JSON.stringify(replies)).toContain("Only workspace admins");
    expect(await server.ctx.db.prisma.ingestToken.count()).toBe(0);
  });

  it("posts nothing proactively to a reply address off this machine stored by an older version", async () => {
    const conversation = "a:1stored-elsewhere";
    const stored = {
      serviceUrl: "https://attacker.example/",
      conversation: { id: conversation, conversationType: "personal" },
      bot: { id: "28:tandem-bot", name: "Tandem" },
      channelId: "msteams",
    };
    await saveConversationReference(server.ctx.db.prisma, server.ctx.workspace.id, "teams", stored);
    const target = { platform: "teams" as const, workspaceId: server.ctx.workspace.id, channelId: conversation };
    await expect(server.messenger.post(target, { blocks: [], text: "digest" })).rejects.toMatchObject({
      code: "service_url_not_loopback",
      retryable: false,
    });
  });
});

describe("Teams with a MicrosoftAppId", () => {
  let auth: FakeBotFrameworkAuth;
  let server: TeamsTestServer;
  beforeAll(async () => {
    auth = await startFakeBotFrameworkAuth();
    server = await startTeamsTestServer("sqlite", { auth, env: SLACK });
    await makeAnaAdmin(server);
  });
  afterAll(async () => {
    await server?.stop();
    await auth?.close();
  });

  it("answers an activity whose Bot Framework token vouches for its serviceUrl, admins included", async () => {
    const card = await server.ask("kpi token ci", { conversation: PERSONAL, mention: false });
    expect(cardText(card)).toMatch(/tdm_[A-Za-z0-9_-]{20,}/);
    expect(await server.ctx.db.prisma.ingestToken.count()).toBe(1);
  });

  it("refuses a token for another serviceUrl: nothing posted there or here, no reply address stored", async () => {
    await server.ctx.db.prisma.conversationRef.deleteMany();
    const calls = server.connector.calls.length;
    const activity = server.message("kpi cac", { conversation: PERSONAL, mention: false });
    const elsewhere = `Bearer ${auth.token("https://smba.trafficmanager.net/emea/")}`;
    const response = await server.post(activity, false, { authorization: elsewhere });
    expect(response.status).toBe(401);
    expect(JSON.parse(response.text)).toEqual({ error: "unauthorized" });
    expect(server.connector.calls.length).toBe(calls);
    expect(await server.ctx.db.prisma.conversationRef.count()).toBe(0);
  });

  it("refuses empty, truncated, prefix-only, forged, expired and foreign credentials with a bare 401", async () => {
    const url = server.connector.url;
    const token = auth.token(url);
    const [head = "", body = ""] = token.split(".");
    const now = Math.floor(Date.now() / 1000);
    const headers: Record<string, Record<string, string>> = {
      none: {},
      empty: { authorization: "" },
      "scheme only": { authorization: "Bearer" },
      "scheme and space": { authorization: "Bearer " },
      "wrong scheme": { authorization: `Basic ${token}` },
      "prefix only": { authorization: `Bearer ${head}` },
      "no signature": { authorization: `Bearer ${head}.${body}.` },
      truncated: { authorization: `Bearer ${token.slice(0, -10)}` },
      "one character short": { authorization: `Bearer ${token.slice(0, -1)}` },
      forged: { authorization: `Bearer ${auth.forged(url)}` },
      expired: { authorization: `Bearer ${auth.token(url, { exp: now - 3600, nbf: now - 7200 })}` },
      "another bot's": { authorization: `Bearer ${auth.token(url, { aud: "another-app-id" })}` },
      "another issuer": { authorization: `Bearer ${auth.token(url, { iss: "https://attacker.example" })}` },
      "no serviceurl claim": { authorization: `Bearer ${auth.token(url, { serviceurl: undefined })}` },
    };
    const calls = server.connector.calls.length;
    for (const [name, header] of Object.entries(headers)) {
      const response = await server.post(server.message("kpi token exfil", { conversation: PERSONAL }), false, header);
      expect(response.status, name).toBe(401);
      expect(response.text, name).toBe('{"error":"unauthorized"}');
    }
    expect(server.connector.calls.length).toBe(calls);
    expect(await server.ctx.db.prisma.ingestToken.count()).toBe(1);
    expect(APP_ID).not.toBe("another-app-id");
  });
});

describe("Teams with a MicrosoftAppId when the token keys cannot be fetched", () => {
  let auth: FakeBotFrameworkAuth;
  let server: TeamsTestServer;
  beforeAll(async () => {
    auth = await startFakeBotFrameworkAuth();
    auth.failKeys();
    server = await startTeamsTestServer("sqlite", { auth });
  });
  afterAll(async () => {
    await server?.stop();
    await auth?.close();
  });

  it("answers 503 with a generic message and no internals, and posts nothing", async () => {
    const response = await server.post(server.message("kpi cac"));
    expect(response.status).toBe(503);
    expect(JSON.parse(response.text)).toEqual({
      error: "could not verify the request's credentials right now; try again later",
    });
    expect(auth.keyFetches()).toBeGreaterThan(0);
    expect(server.connector.calls).toEqual([]);
  });
});
