import { describe, expect, it } from "vitest";
import { type MetricsConfig, validateMetricsConfig } from "../../../src/config/metrics-config.ts";
import { formatMetricsConfig } from "../../../src/config/metrics-config-format.ts";
import { parseEvery, toSourceDefinition } from "../../../src/config/sources-config.ts";

const errorsOf = (text: string): string[] => {
  const result = validateMetricsConfig(text);
  if (result.ok) throw new Error("expected the config to be rejected");
  return result.errors;
};
const configOf = (text: string): MetricsConfig => {
  const result = validateMetricsConfig(text);
  if (!result.ok) throw new Error(result.errors.join("\n"));
  return result.config;
};
const file = (...lines: string[]) => ["version: 1", "currency: EUR", "sources:", ...lines].join("\n");

describe("sources in tandem.config.yaml", () => {
  it("reads each source with its defaults, and prints it back the same", () => {
    const config = configOf(
      file(
        "  - name: crm", // 4
        "    kind: hubspot",
        "    token_env: HUBSPOT_TOKEN",
        "  - name: billing-eu",
        "    kind: stripe",
        "    token_env: STRIPE_KEY",
        "    every: 30m",
        "    base_url: http://127.0.0.1:4010",
        "    rates: { USD: 0.92, GBP: 1.17 }",
      ),
    );
    expect(config.sources.map(toSourceDefinition)).toEqual([
      { name: "crm", kind: "hubspot", everyMs: 3_600_000, settings: { token_env: "HUBSPOT_TOKEN" } },
      {
        name: "billing-eu",
        kind: "stripe",
        everyMs: 1_800_000,
        settings: { token_env: "STRIPE_KEY", base_url: "http://127.0.0.1:4010", rates: { USD: 0.92, GBP: 1.17 } },
      },
    ]);
    const printed = formatMetricsConfig(config);
    expect(configOf(printed).sources).toEqual(config.sources);
    expect(printed).not.toContain("undefined");
  });

  it("names the line, the key path and the closest kind or key for a typo", () => {
    expect(
      errorsOf(
        file(
          "  - name: crm", // 4
          "    kind: hubspt", // 5
          "    token_env: HUBSPOT_TOKEN", // 6
          "  - name: billing", // 7
          "    kind: stripe", // 8
          "    tokn_env: STRIPE_KEY", // 9
        ),
      ),
    ).toEqual([
      'line 5: sources[0].kind: expected one of hubspot, salesforce, stripe, google_ads, meta_ads, sql, csv_url, got "hubspt" (did you mean hubspot?)',
      "line 7: sources[1].token_env: required",
      "line 9: sources[1].tokn_env: unknown key (did you mean token_env?); expected one of name, kind, every, base_url, rates, token_env",
    ]);
  });

  it("refuses a secret written inline, without repeating it", () => {
    const errors = errorsOf(
      file(
        "  - name: crm", // 4
        "    kind: hubspot",
        "    token: pat-na1-11111111-2222-3333-4444-555555555555", // 6
        "  - name: billing", // 7
        "    kind: stripe",
        "    token_env: sk_live_51HxxSecretValue", // 9
        "    api_key: rk_live_abc", // 10
      ),
    );
    expect(errors).toEqual([
      "line 4: sources[0].token_env: required",
      "line 6: sources[0].token: secrets are never written in the config: put it in an environment variable and name that variable here (token_env: HUBSPOT_TOKEN)",
      "line 9: sources[1].token_env: expected the NAME of an environment variable in capitals (like HUBSPOT_TOKEN), not the secret itself",
      "line 10: sources[1].api_key: secrets are never written in the config: put it in an environment variable and name that variable here (token_env: STRIPE_TOKEN)",
    ]);
    expect(errors.join("\n")).not.toMatch(/pat-na1|sk_live|rk_live/);
  });

  it("checks names, intervals, base URLs and rates", () => {
    expect(
      errorsOf(
        file(
          "  - name: CRM main", // 4
          "    kind: hubspot",
          "    token_env: A",
          "    every: 1m", // 7
          "  - name: crm2", // 8
          "    kind: hubspot",
          "    token_env: B",
          "    every: hourly", // 11
          "    base_url: https://user:pw@proxy.example.com", // 12
          "    rates: { eur: 1, USD: -2 }", // 13
          "  - name: crm2", // 14
          "    kind: stripe",
          "    token_env: C",
        ),
      ),
    ).toEqual([
      "line 4: sources[0].name: a source name is lower-case letters, digits and dashes (like crm or stripe-eu)",
      "line 7: sources[0].every: at least 5m: vendors limit how often their APIs may be read",
      'line 11: sources[1].every: expected a duration such as "15m", "1h" or "1d" (minutes, hours, days)',
      "line 12: sources[1].base_url: a base_url must not carry credentials: name the token's environment variable instead",
      "line 13: sources[1].rates.eur: currency codes are three capital letters (EUR, GBP, …)",
      "line 13: sources[1].rates.USD: a rate is a positive number: how much of the workspace currency one unit is worth",
      "line 14: sources[2].name: another source is already named crm2 (sources[1]): names are unique",
    ]);
  });

  it("parses intervals in minutes, hours and days", () => {
    expect([parseEvery("5m"), parseEvery("2h"), parseEvery(" 1d "), parseEvery("90"), parseEvery("1w")]).toEqual([
      300_000,
      7_200_000,
      86_400_000,
      undefined,
      undefined,
    ]);
  });
});
