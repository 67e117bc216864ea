import { describe, expect, it } from "vitest";
import { parseEnv } from "../../../src/config/env.ts";

describe("environment validation", () => {
  it("gives the documented defaults for an empty environment", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBe("file:./data/tandem.db");
    expect(env.PORT).toBe(3000);
    expect(env.TANDEM_TIMEZONE).toBe("UTC");
    expect(env.LOG_LEVEL).toBe("info");
    expect(env.TANDEM_MEASURE_CACHE_ROWS).toBe(10_000);
  });

  it("treats blank values as unset", () => {
    expect(parseEnv({ PORT: "", MicrosoftAppId: "" }).MicrosoftAppId).toBeUndefined();
  });

  it.each([
    ["PORT", "eighty", /^PORT: .*"eighty"/],
    ["PORT", "70000", /^PORT: /],
    ["TANDEM_TIMEZONE", "Mars/Olympus", /^TANDEM_TIMEZONE: expected an IANA time zone/],
    ["DATABASE_URL", "mysql://x", /^DATABASE_URL: expected file:PATH/],
    ["SLACK_BOT_TOKEN", "abc", /^SLACK_BOT_TOKEN: expected a bot token/],
    ["LOG_LEVEL", "loud", /^LOG_LEVEL: /],
    ["SLACK_API_URL", "not a url", /^SLACK_API_URL: /],
    ["HOST", "0.0.0.0; rm", /^HOST: expected an address or host name/],
    ["TEAMS_LOCAL_UNAUTHENTICATED", "maybe", /^TEAMS_LOCAL_UNAUTHENTICATED: expected 1 or 0/],
    ["TANDEM_MEASURE_CACHE_ROWS", "-1", /^TANDEM_MEASURE_CACHE_ROWS: expected a whole number of rows, 0 to turn/],
    ["TANDEM_MEASURE_CACHE_ROWS", "lots", /^TANDEM_MEASURE_CACHE_ROWS: expected a whole number of rows/],
    ["ToBotFromChannelOpenIdMetadataUrl", "keys", /^ToBotFromChannelOpenIdMetadataUrl: expected an http\(s\) URL/],
  ])("stops on a malformed %s with one line naming it", (name, value, pattern) => {
    let message = "";
    try {
      parseEnv({ [name]: value });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split("\n")).toHaveLength(1);
    expect(message).toMatch(pattern);
  });

  it("reads TEAMS_LOCAL_UNAUTHENTICATED as an explicit yes only", () => {
    expect(parseEnv({}).TEAMS_LOCAL_UNAUTHENTICATED).toBe(false);
    for (const yes of ["1", "true", "yes"])
      expect(parseEnv({ TEAMS_LOCAL_UNAUTHENTICATED: yes }).TEAMS_LOCAL_UNAUTHENTICATED).toBe(true);
    for (const no of ["0", "false", "no"])
      expect(parseEnv({ TEAMS_LOCAL_UNAUTHENTICATED: no }).TEAMS_LOCAL_UNAUTHENTICATED).toBe(false);
  });

  it("accepts PostgreSQL URLs and IANA zones", () => {
    const env = parseEnv({ DATABASE_URL: "postgresql://u@h:5432/db", TANDEM_TIMEZONE: "America/New_York" });
    expect(env.DATABASE_URL).toBe("postgresql://u@h:5432/db");
    expect(env.TANDEM_TIMEZONE).toBe("America/New_York");
  });
});
