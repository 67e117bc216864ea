import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BOT_SCOPES } from "../../../../src/adapters/slack/oauth.ts";

const manifest = JSON.parse(readFileSync(new URL("../../../../manifest/slack/manifest.json", import.meta.url), "utf8"));

describe("the Slack app manifest", () => {
  it("asks for exactly the scopes the OAuth install requests", () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(BOT_SCOPES);
  });

  it("sends commands, interactivity and events to the one endpoint", () => {
    const urls = [
      ...manifest.features.slash_commands.map((command: { url: string }) => command.url),
      manifest.settings.interactivity.request_url,
      manifest.settings.event_subscriptions.request_url,
    ];
    expect(new Set(urls)).toEqual(new Set(["https://YOUR-HOST/slack/events"]));
    expect(manifest.oauth_config.redirect_urls).toEqual(["https://YOUR-HOST/slack/oauth_redirect"]);
  });

  it("declares /kpi and /pulse with usage hints, the Home tab and app_home_opened", () => {
    const commands = manifest.features.slash_commands;
    expect(commands.map((command: { command: string }) => command.command)).toEqual(["/kpi", "/pulse"]);
    for (const command of commands) expect(command.usage_hint.length).toBeGreaterThan(0);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(["app_home_opened"]);
  });
});
