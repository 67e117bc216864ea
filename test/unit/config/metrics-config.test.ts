import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  configToSettings,
  type MetricsConfig,
  MetricsConfigSchema,
  settingsToConfig,
  validateMetricsConfig,
} from "../../../src/config/metrics-config.ts";
import { formatMetricsConfig } from "../../../src/config/metrics-config-format.ts";

const EXAMPLE = readFileSync(new URL("../../../src/config/tandem.config.example.yaml", import.meta.url), "utf8");

function errorsOf(text: string): string[] {
  const result = validateMetricsConfig(text);
  if (result.ok) throw new Error("expected the config to be rejected");
  return result.errors;
}

function configOf(text: string): MetricsConfig {
  const result = validateMetricsConfig(text);
  if (!result.ok) throw new Error(result.errors.join("\n"));
  return result.config;
}

/** A valid file with one line changed or added, so error lines are predictable. */
const BASE = [
  "version: 1", // 1
  "gross_margin: 0.8", // 2
  "departments:", // 3
  "  marketing: Marketing", // 4
  "  sales: Sales", // 5
  "  product: Product", // 6
];
const withLines = (...lines: string[]) => [...BASE, ...lines].join("\n");

describe("tandem.config.yaml validation", () => {
  it("accepts the documented example and reads every section from it", () => {
    const config = configOf(EXAMPLE);
    const settings = configToSettings(config);
    expect(settings.grossMargin).toBe(0.8);
    expect(settings.currency).toBe("EUR");
    expect(config.pulse_min_group_size).toBe(5);
    expect(settings.departments.map((d) => d.key)).toEqual(["marketing", "sales", "product", "customer_success"]);
    expect(settings.overrides.csat).toEqual({ owners: ["customer_success", "product"] });
    expect(settings.overrides.nps?.name).toBe("Net Promoter Score");
    expect(settings.customMetrics.map((m) => m.key)).toEqual([
      "pipeline_coverage",
      "sales_efficiency",
      "cac_payback_months",
    ]);
    expect(settings.customMetrics[0]).toMatchObject({
      formula: "new_revenue / marketing_spend",
      unit: "ratio",
      better: "up",
      owners: ["marketing", "sales"],
    });
    expect(settings.targets).toContainEqual({
      metric: "mql_to_sql_rate",
      grain: "quarter",
      department: "sales",
      value: 0.4,
    });
    expect(settings.targets).toContainEqual({ metric: "cac", grain: "month", department: null, value: 1300 });
    expect(config.admins).toEqual(["U024BE7LH", "U03B2MQ9K1X"]);
  });

  it("fills in the defaults for a file that only says version: 1", () => {
    const settings = configToSettings(configOf("version: 1\n"));
    expect(settings).toEqual({
      grossMargin: 1,
      currency: "USD",
      pulseMinGroupSize: 3,
      departments: [
        { key: "marketing", name: "Marketing" },
        { key: "sales", name: "Sales" },
        { key: "product", name: "Product" },
      ],
      targets: [],
      overrides: {},
      customMetrics: [],
    });
  });

  it("prints back to YAML that validates to the same config", () => {
    const config = configOf(EXAMPLE);
    const printed = formatMetricsConfig(config, ["exported"]);
    expect(printed.startsWith("# exported\n")).toBe(true);
    expect(printed).toContain("  - { metric: cac, grain: month, value: 1300 }");
    expect(printed).toContain("  csat: { owners: [ customer_success, product ] }");
    expect(configOf(printed)).toEqual(config);
    expect(settingsToConfig(configToSettings(config), config.admins)).toEqual(config);
  });

  it("takes the currency as an ISO 4217 code in any case, and the pulse minimum from 3", () => {
    expect(configOf(withLines("currency: eur")).currency).toBe("EUR");
    expect(configOf(withLines("currency: JPY")).currency).toBe("JPY");
    expect(configOf(withLines()).currency).toBe("USD");
    expect(errorsOf(withLines("currency: EURO"))).toEqual([
      'line 7: currency: unknown currency "EURO" (did you mean EUR?): expected an ISO 4217 code such as USD, EUR or GBP',
    ]);
    expect(errorsOf(withLines("currency: dollars"))).toEqual([
      'line 7: currency: unknown currency "DOLLARS": expected an ISO 4217 code such as USD, EUR or GBP',
    ]);
    expect(configOf(withLines("pulse_min_group_size: 3")).pulse_min_group_size).toBe(3);
    expect(errorsOf(withLines("pulse_min_group_size: 2"))).toEqual([
      "line 7: pulse_min_group_size: never below 3: a smaller group could single a person out",
    ]);
    expect(errorsOf(withLines("pulse_min_group_size: 3.5"))).toEqual([
      "line 7: pulse_min_group_size: expected a whole number, got 3.5",
    ]);
  });

  it("lists every error of a file at once, in line order, structural and cross-reference alike", () => {
    const errors = errorsOf(
      withLines(
        "targets:", // 7
        "  - { metric: cacc, grain: month, value: 1300 }", // 8
        "  - { metric: mql_to_sql_rate, grain: monthly, value: 35 }", // 9
        "  - { metric: cac, grain: month, value: 1300, department: sale }", // 10
      ).replace("gross_margin: 0.8", "gross_margin: 80"),
    );
    expect(errors).toEqual([
      "line 2: gross_margin: must be more than 0 and at most 1 (a fraction: 80% is written 0.8)",
      'line 8: targets[0].metric: unknown metric "cacc" (did you mean cac?)',
      'line 9: targets[1].grain: expected one of day, week, month, quarter, year, got "monthly" (did you mean month?)',
      "line 9: targets[1].value: mql_to_sql_rate is a percent: write it as a fraction from 0 to 1 (35% is 0.35), got 35",
      'line 10: targets[2].department: unknown department "sale" (did you mean sales?)',
    ]);
  });

  describe("the file as a whole", () => {
    it("reports YAML syntax errors with their line", () => {
      const errors = errorsOf("version: 1\ntargets: [\n  - x\n");
      expect(errors[0]).toBe("line 3: YAML syntax: Block collections are not allowed within flow collections");
      for (const error of errors) expect(error).toMatch(/^line \d+: YAML syntax: /);
    });

    it("reports a key written twice", () => {
      expect(errorsOf("version: 1\nadmins: []\nadmins: [U1]\n")).toEqual([
        "line 3: YAML syntax: Map keys must be unique",
      ]);
    });

    it("rejects an empty file", () => {
      expect(errorsOf("# nothing yet\n")).toEqual(["expected a mapping of settings starting with `version: 1`"]);
    });

    it("rejects a file that is a list", () => {
      expect(errorsOf("- version: 1\n")).toEqual(["line 1: expected a mapping of settings starting with `version: 1`"]);
    });

    it("requires version 1", () => {
      expect(errorsOf("gross_margin: 0.5\n")).toEqual(["line 1: version: required (write 1)"]);
      expect(errorsOf("version: 2\n")).toEqual(["line 1: version: only version 1 exists (write version: 1)"]);
    });

    it("names an unknown top-level key and the closest known one", () => {
      expect(errorsOf("version: 1\ntarget: []\n")).toEqual([
        "line 2: target: unknown key (did you mean targets?); expected one of version, gross_margin, currency, pulse_min_group_size, departments, metrics, custom_metrics, targets, admins, sources",
      ]);
    });
  });

  describe("gross_margin", () => {
    it.each([
      ["0", "line 2: gross_margin: must be more than 0 and at most 1 (a fraction: 80% is written 0.8)"],
      ["1.2", "line 2: gross_margin: must be more than 0 and at most 1 (a fraction: 80% is written 0.8)"],
      ['"80%"', 'line 2: gross_margin: expected a number, got "80%" (write percentages as fractions: 80% is 0.8)'],
      ["high", 'line 2: gross_margin: expected a number, got "high" (write the number without quotes or units)'],
    ])("rejects %s", (value, message) => {
      expect(errorsOf(`version: 1\ngross_margin: ${value}\n`)).toEqual([message]);
    });

    it("accepts exactly 1", () => {
      expect(configOf("version: 1\ngross_margin: 1\n").gross_margin).toBe(1);
    });
  });

  describe("departments", () => {
    it("rejects keys that are not lower-case letters, digits, _ and -", () => {
      expect(errorsOf("version: 1\ndepartments:\n  Sales Ops: Sales Ops\n")).toEqual([
        'line 3: departments["Sales Ops"]: department keys are lower-case letters, digits, _ and - (like customer_success)',
      ]);
    });

    it("rejects an empty display name", () => {
      expect(errorsOf('version: 1\ndepartments:\n  sales: ""\n')).toEqual([
        "line 3: departments.sales: the display name must not be empty",
      ]);
    });

    it("rejects an empty list of departments", () => {
      expect(errorsOf("version: 1\ndepartments: {}\n")).toEqual([
        "line 2: departments: declare at least one department",
      ]);
    });

    it("rejects a list where a mapping is expected", () => {
      expect(errorsOf("version: 1\ndepartments: [marketing, sales]\n")).toEqual([
        "line 2: departments: expected a mapping (key: value), got a list",
      ]);
    });
  });

  describe("metrics (changes to built-in metrics)", () => {
    it("rejects a key that is not a built-in metric, suggesting the closest", () => {
      expect(errorsOf(withLines("metrics:", "  cacc: { owners: [sales] }"))).toEqual([
        'line 8: metrics.cacc: unknown built-in metric "cacc" (did you mean cac?)',
      ]);
    });

    it("sends custom metrics to custom_metrics", () => {
      const text = withLines(
        "metrics:",
        "  velocity: { owners: [sales] }", // 8
        "custom_metrics:",
        "  velocity: { name: Velocity, formula: new_revenue / opportunities, unit: currency, better: up, owners: [sales] }",
      );
      expect(errorsOf(text)).toEqual([
        'line 8: metrics.velocity: "velocity" is a custom metric: change it under custom_metrics.velocity',
      ]);
    });

    it("rejects owners that are not declared departments", () => {
      expect(errorsOf(withLines("metrics:", "  cac: { owners: [marketing, sale, finance] }"))).toEqual([
        'line 8: metrics.cac.owners[1]: unknown department "sale" (did you mean sales?)',
        'line 8: metrics.cac.owners[2]: unknown department "finance" (declared: marketing, sales, product)',
      ]);
    });

    it("rejects an owner listed twice and an empty owner list", () => {
      expect(errorsOf(withLines("metrics:", "  cac: { owners: [sales, sales] }", "  cpl: { owners: [] }"))).toEqual([
        'line 8: metrics.cac.owners[1]: "sales" is listed twice',
        "line 9: metrics.cpl.owners: list at least one department",
      ]);
    });

    it("rejects unknown fields, suggesting the closest", () => {
      expect(errorsOf(withLines("metrics:", "  cac: { owner: [sales] }"))).toEqual([
        "line 8: metrics.cac.owner: unknown key (did you mean owners?); expected one of name, description, owners",
      ]);
    });

    it("accepts a new name and description alone", () => {
      const config = configOf(
        withLines("metrics:", "  nps: { name: Net Promoter Score, description: Quarterly survey. }"),
      );
      expect(configToSettings(config).overrides).toEqual({
        nps: { name: "Net Promoter Score", description: "Quarterly survey." },
      });
    });
  });

  describe("custom_metrics", () => {
    const custom = (key: string, fields: string) => withLines("custom_metrics:", `  ${key}: { ${fields} }`);
    const FIELDS = "name: X, unit: ratio, better: up, owners: [sales]";

    it("rejects a key that is a built-in metric", () => {
      expect(errorsOf(custom("cac", `formula: leads / sqls, ${FIELDS}`))).toEqual([
        'line 8: custom_metrics.cac: "cac" is a built-in metric: choose another key (to rename it or change its owners, use metrics.cac)',
      ]);
      // and still checks the rest of it
      expect(errorsOf(custom("cac", "name: X, formula: leads / foo, unit: ratio, better: up, owners: [ops]"))).toEqual([
        'line 8: custom_metrics.cac: "cac" is a built-in metric: choose another key (to rename it or change its owners, use metrics.cac)',
        'line 8: custom_metrics.cac.owners[0]: unknown department "ops" (declared: marketing, sales, product)',
        'line 8: custom_metrics.cac.formula: unknown metric "foo" in "leads / foo"',
      ]);
    });

    it("rejects keys a formula could not name", () => {
      expect(errorsOf(custom("Pipeline-Coverage", `formula: leads / sqls, ${FIELDS}`))).toEqual([
        "line 8: custom_metrics.Pipeline-Coverage: custom metric keys are lower-case letters, digits and _, starting with a letter (like pipeline_coverage)",
      ]);
    });

    it.each([
      ["new_revenue / foo", 'unknown metric "foo" in "new_revenue / foo"'],
      ["new_revenu / leads", 'unknown metric "new_revenu" in "new_revenu / leads" (did you mean new_revenue?)'],
      [
        "new_revenu / leds",
        'unknown metrics "new_revenu", "leds" in "new_revenu / leds" (did you mean new_revenue for new_revenu, leads for leds?)',
      ],
      ['"new_revenue / (leads"', 'cannot read the formula "new_revenue / (leads": Parenthesis ) expected (char 21)'],
      ['"42"', 'the formula "42" uses no metric'],
      [
        '"leads ^ 2"',
        'the operator "^" is not allowed (allowed: numbers, metric keys, + - * / (or × ÷ −), parentheses and min, max, abs, round) in "leads ^ 2"',
      ],
      [
        '"sqrt(leads)"',
        'the function "sqrt" is not allowed (allowed: numbers, metric keys, + - * / (or × ÷ −), parentheses and min, max, abs, round) in "sqrt(leads)"',
      ],
    ])("rejects the formula %s", (formula, message) => {
      expect(errorsOf(custom("x", `formula: ${formula}, ${FIELDS}`))).toEqual([
        `line 8: custom_metrics.x.formula: ${message}`,
      ]);
    });

    it("reports an empty formula once", () => {
      expect(errorsOf(custom("x", `formula: "  ", ${FIELDS}`))).toEqual([
        "line 8: custom_metrics.x.formula: formula must not be empty",
      ]);
    });

    it("rejects formulas that use each other in a circle, once per circle", () => {
      const text = withLines(
        "custom_metrics:", // 7
        `  a: { formula: b * 2, ${FIELDS} }`, // 8
        `  b: { formula: c + leads, ${FIELDS} }`, // 9
        `  c: { formula: a / 2, ${FIELDS} }`, // 10
        `  d: { formula: d + 1, ${FIELDS} }`, // 11
        `  e: { formula: a + b, ${FIELDS} }`, // 12
      );
      expect(errorsOf(text)).toEqual([
        "line 8: custom_metrics.a.formula: formula cycle: a → b → c → a",
        "line 11: custom_metrics.d.formula: formula cycle: d → d",
      ]);
    });

    it("accepts a custom metric built on another custom metric", () => {
      const config = configOf(
        withLines(
          "custom_metrics:",
          `  a: { formula: new_revenue / leads, ${FIELDS} }`,
          `  b: { formula: a * 2, ${FIELDS} }`,
        ),
      );
      expect(Object.keys(config.custom_metrics)).toEqual(["a", "b"]);
    });

    it("names each missing field and a wrong unit or direction", () => {
      expect(errorsOf(custom("x", "formula: leads / sqls, unit: percentage, better: higher"))).toEqual([
        "line 8: custom_metrics.x.name: required",
        'line 8: custom_metrics.x.unit: expected one of count, percent, currency, days, score, ratio, got "percentage" (did you mean percent?)',
        'line 8: custom_metrics.x.better: expected one of up, down, got "higher"',
        "line 8: custom_metrics.x.owners: required",
      ]);
      expect(errorsOf(custom("x", "name: X, formula: leads / sqls, better: up, owners: [sales]"))).toEqual([
        "line 8: custom_metrics.x.unit: required (one of count, percent, currency, days, score, ratio)",
      ]);
    });

    it("checks owners like a built-in's", () => {
      expect(errorsOf(custom("x", "name: X, formula: leads / sqls, unit: ratio, better: up, owners: [ops]"))).toEqual([
        'line 8: custom_metrics.x.owners[0]: unknown department "ops" (declared: marketing, sales, product)',
      ]);
    });
  });

  describe("targets", () => {
    const target = (fields: string) => withLines("targets:", `  - { ${fields} }`);

    it("accepts a company-wide and a department target for the same metric", () => {
      const config = configOf(
        withLines(
          "targets:",
          "  - { metric: mql_to_sql_rate, grain: quarter, value: 0.35 }",
          "  - { metric: mql_to_sql_rate, grain: quarter, value: 0.4, department: sales }",
        ),
      );
      expect(config.targets).toEqual([
        { metric: "mql_to_sql_rate", grain: "quarter", value: 0.35, department: null },
        { metric: "mql_to_sql_rate", grain: "quarter", value: 0.4, department: "sales" },
      ]);
    });

    it("accepts a target for a custom metric", () => {
      const text = withLines(
        "custom_metrics:",
        "  coverage: { name: C, formula: new_revenue / marketing_spend, unit: ratio, better: up, owners: [sales] }",
        "targets:",
        "  - { metric: coverage, grain: month, value: 5 }",
      );
      expect(configOf(text).targets).toHaveLength(1);
    });

    it("names each missing field", () => {
      expect(errorsOf(target("metric: cac"))).toEqual([
        "line 8: targets[0].grain: required (one of day, week, month, quarter, year)",
        "line 8: targets[0].value: required",
      ]);
    });

    it.each([
      ["metric: cacc, grain: month, value: 1", 'targets[0].metric: unknown metric "cacc" (did you mean cac?)'],
      [
        "metric: revenue_growth, grain: month, value: 0.1",
        'targets[0].metric: unknown metric "revenue_growth" (did you mean new_revenue_growth?)',
      ],
      [
        "metric: customer acquisition cost, grain: month, value: 1",
        'targets[0].metric: unknown metric "customer acquisition cost" (did you mean cac?)',
      ],
      [
        "metric: Win Rate, grain: month, value: 0.3",
        'targets[0].metric: unknown metric "Win Rate" (did you mean win_rate?)',
      ],
      ["metric: opportunity_count, grain: month, value: 1", 'targets[0].metric: unknown metric "opportunity_count"'],
      [
        "metric: cac, grain: month, value: 1, department: ops",
        'targets[0].department: unknown department "ops" (declared: marketing, sales, product)',
      ],
      ["metric: cac, grain: month, value: -5", "targets[0].value: cac cannot be negative, got -5"],
      [
        "metric: win_rate, grain: month, value: 30",
        "targets[0].value: win_rate is a percent: write it as a fraction from 0 to 1 (35% is 0.35), got 30",
      ],
      [
        'metric: win_rate, grain: month, value: "30%"',
        'targets[0].value: expected a number, got "30%" (write percentages as fractions: 30% is 0.3)',
      ],
      [
        "metric: romi, grain: quarter, value: 250",
        "targets[0].value: romi is a percent: write it as a fraction (35% is 0.35, 300% is 3) from -1 to 10, got 250",
      ],
      ["metric: nps, grain: quarter, value: 120", "targets[0].value: nps is from -100 to 100, got 120"],
      ["metric: csat, grain: month, value: 6", "targets[0].value: csat is a score from 1 to 5, got 6"],
      ["metric: cac, grain: month, value: .inf", "targets[0].value: expected a number, got Infinity"],
      [
        "metric: cac, grain: month, value: 1, owner: sales",
        "targets[0].owner: unknown key; expected one of metric, grain, value, department",
      ],
    ])("rejects { %s }", (fields, message) => {
      expect(errorsOf(target(fields))).toEqual([`line 8: ${message}`]);
    });

    it("accepts growth and ROMI targets above 100% written as fractions", () => {
      expect(configOf(target("metric: romi, grain: quarter, value: 2.5")).targets[0]?.value).toBe(2.5);
      expect(configOf(target("metric: mrr_growth, grain: month, value: -0.02")).targets[0]?.value).toBe(-0.02);
    });

    it("rejects a second target for the same metric, grain and department", () => {
      const text = withLines(
        "targets:",
        "  - { metric: cac, grain: month, value: 1300 }",
        "  - { metric: cac, grain: quarter, value: 1300 }",
        "  - { metric: cac, grain: month, value: 1200 }",
      );
      expect(errorsOf(text)).toEqual([
        "line 10: targets[2]: a second month target for cac and the whole company (the first is targets[0])",
      ]);
    });
  });

  describe("admins", () => {
    it("asks for quotes around ids that read as numbers", () => {
      expect(errorsOf("version: 1\nadmins: [U123ABC, 12345]\n")).toEqual([
        'line 2: admins[1]: expected text, got 12345 (put it in quotes: "12345")',
      ]);
    });
  });

  it("exposes the same checks through the zod schema", () => {
    const result = MetricsConfigSchema.safeParse({
      version: 1,
      targets: [{ metric: "cacc", grain: "month", value: 1 }],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.path, issue.message])).toEqual([
      [["targets", 0, "metric"], 'unknown metric "cacc" (did you mean cac?)'],
    ]);
  });
});
