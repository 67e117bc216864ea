// The transport: only requests Slack signed recently get any work done; anything
// else gets a status code, never a crash.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { interactivityBody, postSigned, slackSignatureHeaders, slashCommandBody } from "../../helpers/slack-sign.ts";
import { SIGNING_SECRET, type SlackTestServer, startSlackTestServer } from "./slack-server.ts";

describe("POST /slack/events", () => {
  let server: SlackTestServer;
  let events: string;

  beforeAll(async () => {
    server = await startSlackTestServer("sqlite");
    events = `${server.url}/slack/events`;
  });
  afterAll(async () => server?.stop());

  const command = (text = "cac 2026-09") => slashCommandBody({ text, responseUrl: server.fake.responseUrl("t") });
  const nothingHappened = async () => {
    // give any stray work the chance to show up before asserting it did not
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.fake.responses).toEqual([]);
    expect(server.fake.calls.filter((call) => call.method !== "auth.test")).toEqual([]);
    expect(await server.ctx.db.prisma.auditLog.count()).toBe(0);
  };

  it("refuses a forged signature with 401 and does no work", async () => {
    server.fake.reset();
    const response = await postSigned(events, "not-the-secret", command("join sales"));
    expect(response.status).toBe(401);
    await nothingHappened();
  });

  it("refuses every near miss of the right signature: empty, bare v0=, truncated, prefix-only, too long, another case", async () => {
    const body = command("join sales");
    const good = slackSignatureHeaders(SIGNING_SECRET, body);
    const right = good["x-slack-signature"] as string;
    const nearMisses = [
      "",
      "v0=",
      "v0",
      right.slice(0, -1),
      right.slice(0, 10),
      right.slice(0, right.length / 2),
      `${right}0`,
      `${right}${right.slice(3)}`,
      right.toUpperCase(),
      `v1=${right.slice(3)}`,
      right.slice(3),
    ];
    for (const signature of nearMisses) {
      server.fake.reset();
      const response = await fetch(events, {
        method: "POST",
        headers: { ...good, "x-slack-signature": signature, "content-type": "application/x-www-form-urlencoded" },
        body,
      });
      expect(response.status, `signature ${JSON.stringify(signature)}`).toBe(401);
      await nothingHappened();
    }
    // an empty timestamp, or none, with the right signature for it
    for (const timestamp of ["", "0", "-1", "1e3"]) {
      const response = await fetch(events, {
        method: "POST",
        headers: {
          ...slackSignatureHeaders(SIGNING_SECRET, body, Number(timestamp) || 0),
          "x-slack-request-timestamp": timestamp,
          "content-type": "application/x-www-form-urlencoded",
        },
        body,
      });
      expect(response.status, `timestamp ${JSON.stringify(timestamp)}`).toBe(401);
    }
    // the unaltered request goes through: the near misses failed for their signature alone
    server.fake.reset();
    const accepted = await fetch(events, {
      method: "POST",
      headers: { ...good, "content-type": "application/x-www-form-urlencoded" },
      body,
    });
    expect(accepted.status).toBe(200);
    // answered in the acknowledgement, or (had it needed to compute) through response_url
    if ((await accepted.text()) === "")
      await server.fake.waitFor(() => server.fake.responses.find((r) => r.id === "t"));
    expect(await server.ctx.db.prisma.auditLog.count()).toBe(1);
    await server.ctx.db.prisma.auditLog.deleteMany({});
    await server.ctx.db.prisma.member.deleteMany({});
    server.fake.reset();
  });

  it("refuses a correctly signed request that is 10 minutes old", async () => {
    server.fake.reset();
    const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
    const response = await postSigned(events, SIGNING_SECRET, command("join sales"), { timestampSec: tenMinutesAgo });
    expect(response.status).toBe(401);
    await nothingHappened();
  });

  it("refuses a timestamp from 10 minutes in the future", async () => {
    const later = Math.floor(Date.now() / 1000) + 600;
    const response = await postSigned(events, SIGNING_SECRET, command(), { timestampSec: later });
    expect(response.status).toBe(401);
  });

  it("refuses a request without signature headers", async () => {
    const response = await fetch(events, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: command(),
    });
    expect(response.status).toBe(401);
  });

  it("refuses a body altered after signing", async () => {
    const body = command("cac");
    const headers = slackSignatureHeaders(SIGNING_SECRET, body);
    const response = await fetch(events, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: body.replace("text=cac", "text=token+evil"),
    });
    expect(response.status).toBe(401);
  });

  it.each([
    ["JSON that does not parse", "application/json", "{not json"],
    ["a JSON array", "application/json", "[1,2,3]"],
    ["a payload that is not JSON", "application/x-www-form-urlencoded", "payload=%7Bnope"],
    ["a form with neither command nor payload", "application/x-www-form-urlencoded", "hello=world"],
    ["an unknown content type", "text/plain", "command=/kpi"],
  ])("answers 400 to a signed request with %s", async (_name, contentType, body) => {
    const response = await postSigned(events, SIGNING_SECRET, body, { contentType });
    expect(response.status).toBe(400);
  });

  it("keeps serving after malformed requests", async () => {
    const response = await postSigned(events, SIGNING_SECRET, command("help"));
    expect(response.status).toBe(200);
  });

  it("answers Slack's url_verification challenge", async () => {
    const body = JSON.stringify({
      type: "url_verification",
      challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
      token: "x",
    });
    const response = await postSigned(events, SIGNING_SECRET, body, { contentType: "application/json" });
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" });
  });

  it("does not answer an unsigned url_verification", async () => {
    const response = await fetch(events, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "url_verification", challenge: "abc" }),
    });
    expect(response.status).toBe(401);
  });

  it("acknowledges an interaction it has no listener for without an error", async () => {
    const body = interactivityBody({
      type: "block_actions",
      team: { id: "T0001", domain: "x" },
      user: { id: "U0001", name: "ada", team_id: "T0001" },
      api_app_id: "A0001",
      token: "t",
      trigger_id: "1.2",
      actions: [{ type: "button", action_id: "nobody_listens", block_id: "b", action_ts: "1", value: "v" }],
    });
    const response = await postSigned(events, SIGNING_SECRET, body);
    expect(response.status).toBe(200);
  });

  it("answers Slack's unsigned ssl_check with 200 and nothing else", async () => {
    const response = await fetch(events, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "ssl_check=1&token=x&command=%2Fkpi&text=join+sales",
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
  });

  it("answers in the acknowledgement itself when the command carries no response_url", async () => {
    const body = new URLSearchParams({ command: "/kpi", text: "help", team_id: "T0001", user_id: "U0001" }).toString();
    const response = await postSigned(events, SIGNING_SECRET, body);
    expect(response.status).toBe(200);
    expect(response.text).toContain("/kpi funnel [PERIOD]");
  });

  it("refuses a body over the size limit with 413", async () => {
    const body = `command=%2Fkpi&text=${"x".repeat(1_100_000)}`;
    const response = await postSigned(events, SIGNING_SECRET, body);
    expect(response.status).toBe(413);
  });
});
