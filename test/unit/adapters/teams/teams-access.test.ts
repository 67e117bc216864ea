import { describe, expect, it } from "vitest";
import { isLoopbackHost, isLoopbackUrl, teamsAccess } from "../../../../src/adapters/teams/teams-access.ts";
import { parseEnv } from "../../../../src/config/env.ts";

describe("who Teams lets in", () => {
  it("authenticates whenever a MicrosoftAppId is set, wherever the server binds", () => {
    expect(teamsAccess(parseEnv({ MicrosoftAppId: "app" }), undefined)).toEqual({ mode: "authenticated" });
  });

  it("serves the unauthenticated local mode only on loopback", () => {
    expect(teamsAccess(parseEnv({}), "127.0.0.1").mode).toBe("local");
    expect(teamsAccess(parseEnv({}), "::1").mode).toBe("local");
    expect(teamsAccess(parseEnv({}), "localhost").mode).toBe("local");
    for (const host of [undefined, "0.0.0.0", "::", "192.0.2.2"])
      expect(teamsAccess(parseEnv({}), host).mode).toBe("off");
  });

  it.each([
    ["a Slack signing secret", { SLACK_SIGNING_SECRET: "s" }],
    ["a lone Slack bot token", { SLACK_BOT_TOKEN: "xoxb-1" }],
    ["a Socket Mode token", { SLACK_APP_TOKEN: "xapp-1" }],
    ["Slack OAuth", { SLACK_CLIENT_ID: "1.2", SLACK_CLIENT_SECRET: "c" }],
    ["a Microsoft password without an id", { MicrosoftAppPassword: "p" }],
  ])("is off with %s unless TEAMS_LOCAL_UNAUTHENTICATED asks for it, and then on loopback only", (_name, env) => {
    expect(teamsAccess(parseEnv(env), "127.0.0.1").mode).toBe("off");
    const asked = parseEnv({ ...env, TEAMS_LOCAL_UNAUTHENTICATED: "1" });
    expect(teamsAccess(asked, "127.0.0.1").mode).toBe("local");
    expect(teamsAccess(asked, "0.0.0.0").mode).toBe("off");
  });

  it("knows loopback addresses from look-alikes", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "::ffff:127.0.0.1", "LOCALHOST"])
      expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ["128.0.0.1", "0.0.0.0", "::", "localhost.example", "127.0.0.1.example", "10.0.0.1", ""])
      expect(isLoopbackHost(host), host).toBe(false);
    expect(isLoopbackUrl("http://127.0.0.1:3978/")).toBe(true);
    expect(isLoopbackUrl("http://[::1]:3978/")).toBe(true);
    expect(isLoopbackUrl("ftp://127.0.0.1/")).toBe(false);
    expect(isLoopbackUrl("not a url")).toBe(false);
  });
});
