// The config file's `alerts:` list: rules in the chat grammar, errors by line and field.
import { describe, expect, it } from "vitest";
import { validateMetricsConfig } from "../../../src/config/metrics-config.ts";
import { formatMetricsConfig } from "../../../src/config/metrics-config-format.ts";

const file = (...lines: string[]) => ["version: 1", "alerts:", ...lines].join("\n");
function errorsOf(text: string): string[] {
  const result = validateMetricsConfig(text);
  if (result.ok) throw new Error("expected the config to be rejected");
  return result.errors;
}

describe("alerts in tandem.config.yaml", () => {
  it("accepts rules in the chat grammar, on Slack and Teams channels, and prints them back", () => {
    const result = validateMetricsConfig(
      file(
        "  - { platform: slack, channel: C0123, rule: cac above 5000 }",
        '  - { platform: teams, channel: "19:abc@thread.tacv2", rule: "mql_to_sql_rate drops 15% vs last year when leads ≥ 50" }',
      ),
    );
    if (!result.ok) throw new Error(result.errors.join("\n"));
    expect(result.config.alerts).toEqual([
      { platform: "slack", channel: "C0123", rule: "cac above 5000" },
      {
        platform: "teams",
        channel: "19:abc@thread.tacv2",
        rule: "mql_to_sql_rate drops 15% vs last year when leads ≥ 50",
      },
    ]);
    const again = validateMetricsConfig(formatMetricsConfig(result.config));
    expect(again.ok && again.config.alerts).toEqual(result.config.alerts);
  });

  it("accepts a rule on a custom metric the same file declares", () => {
    const text = [
      "version: 1",
      "custom_metrics:",
      "  pipeline_coverage: { name: Pipeline coverage, formula: opportunities / deals_won, unit: ratio, better: up, owners: [sales] }",
      "alerts:",
      "  - { platform: slack, channel: C1, rule: pipeline_coverage below 3 last month }",
    ].join("\n");
    expect(validateMetricsConfig(text).ok).toBe(true);
  });

  it("names the line and field of every rule it cannot read, and what was expected", () => {
    expect(
      errorsOf(
        file(
          "  - { platform: slack, channel: C1, rule: cacc above 5000 }",
          "  - { platform: slack, channel: C1, rule: cac is high }",
          "  - { platform: discord, channel: C1, rule: cac above 5000 }",
          "  - { platform: slack, rule: cac above 5000, when: now }",
        ),
      ),
    ).toEqual([
      "line 3: alerts[0].rule: I don't know the metric “cacc” in this rule. Did you mean: cac, acv?",
      expect.stringMatching(
        /^line 4: alerts\[1\]\.rule: “cac is high” has no condition: .*Rules read like `cac above 5000`/,
      ),
      'line 5: alerts[2].platform: expected one of slack, teams, got "discord"',
      "line 6: alerts[3].channel: required",
      "line 6: alerts[3].when: unknown key; expected one of platform, channel, rule",
    ]);
  });
});
