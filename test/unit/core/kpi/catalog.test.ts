import { describe, expect, it } from "vitest";
import { AppError } from "../../../../src/core/errors.ts";
import { BUILTIN_METRICS, buildCatalog, normalizeMetricName } from "../../../../src/core/kpi/catalog.ts";
import { DEFAULT_KPI_SETTINGS, type KpiSettings, type MetricDef } from "../../../../src/core/kpi/types.ts";

const catalog = buildCatalog(DEFAULT_KPI_SETTINGS);

function resolvedKey(text: string): string | null {
  const result = catalog.resolve(text);
  return result.ok ? result.metric.key : null;
}

function suggestions(text: string): string[] {
  const result = catalog.resolve(text);
  if (result.ok) throw new Error(`${text} resolved to ${result.metric.key}`);
  return result.suggestions;
}

const PAGE_METRICS: [key: string, unit: string, better: string, owners: string[]][] = [
  ["leads", "count", "up", ["marketing"]],
  ["mqls", "count", "up", ["marketing", "sales"]],
  ["sqls", "count", "up", ["sales", "marketing"]],
  ["opportunities", "count", "up", ["sales"]],
  ["deals_won", "count", "up", ["sales"]],
  ["deals_lost", "count", "down", ["sales"]],
  ["new_customers", "count", "up", ["sales", "marketing"]],
  ["lead_to_mql_rate", "percent", "up", ["marketing"]],
  ["mql_to_sql_rate", "percent", "up", ["marketing", "sales"]],
  ["sql_to_opportunity_rate", "percent", "up", ["sales"]],
  ["opportunity_to_win_rate", "percent", "up", ["sales", "marketing"]],
  ["win_rate", "percent", "up", ["sales"]],
  ["lead_to_customer_rate", "percent", "up", ["marketing", "sales"]],
  ["sql_to_customer_rate", "percent", "up", ["sales"]],
  ["new_revenue", "currency", "up", ["marketing", "sales", "product"]],
  ["new_revenue_growth", "percent", "up", ["marketing", "sales", "product"]],
  ["avg_deal_size", "currency", "up", ["sales"]],
  ["mrr", "currency", "up", ["marketing", "sales", "product"]],
  ["arr", "currency", "up", ["marketing", "sales", "product"]],
  ["mrr_growth", "percent", "up", ["marketing", "sales", "product"]],
  ["revenue_by_channel", "currency", "up", ["marketing", "sales"]],
  ["marketing_spend", "currency", "down", ["marketing"]],
  ["sales_spend", "currency", "down", ["sales"]],
  ["cac", "currency", "down", ["marketing", "sales"]],
  ["cpl", "currency", "down", ["marketing"]],
  ["romi", "percent", "up", ["marketing"]],
  ["active_customers", "count", "up", ["sales", "product"]],
  ["customer_retention_rate", "percent", "up", ["marketing", "sales", "product"]],
  ["customer_churn_rate", "percent", "down", ["sales", "product"]],
  ["arpa", "currency", "up", ["sales", "product"]],
  ["ltv", "currency", "up", ["sales", "product"]],
  ["ltv_to_cac", "ratio", "up", ["marketing", "sales", "product"]],
  ["sales_cycle_days", "days", "down", ["sales", "marketing"]],
  ["nps", "score", "up", ["product", "sales"]],
  ["csat", "score", "up", ["product"]],
  ["collaboration_score", "score", "up", ["marketing", "sales", "product"]],
  ["pulse_participation", "percent", "up", ["marketing", "sales", "product"]],
];

describe("BUILTIN_METRICS", () => {
  it("lists every metric of docs/metrics.md with its unit, direction and owners", () => {
    expect(BUILTIN_METRICS.map((m) => [m.key, m.unit, m.better, m.owners])).toEqual(PAGE_METRICS);
  });

  it("names and describes every metric on one line", () => {
    for (const m of BUILTIN_METRICS) {
      expect(m.name.length, m.key).toBeGreaterThan(0);
      expect(m.description.length, m.key).toBeGreaterThan(10);
      expect(m.description, m.key).not.toContain("\n");
    }
  });

  it("shows NPS without decimals and the 1–5 scales with one", () => {
    const decimals = Object.fromEntries(
      BUILTIN_METRICS.filter((m) => m.decimals !== undefined).map((m) => [m.key, m.decimals]),
    );
    expect(decimals).toEqual({ nps: 0, csat: 1, collaboration_score: 1 });
  });

  it("marks the metrics that carry a breakdown", () => {
    expect(BUILTIN_METRICS.filter((m) => m.hasBreakdown).map((m) => m.key)).toEqual([
      "leads",
      "revenue_by_channel",
      "marketing_spend",
      "sales_spend",
      "collaboration_score",
    ]);
  });

  it("gives every alias to one metric only", () => {
    const owner = new Map<string, string>();
    for (const m of BUILTIN_METRICS) {
      for (const name of [m.key, ...m.aliases].map(normalizeMetricName)) {
        const seen = owner.get(name);
        if (seen !== undefined && seen !== m.key) throw new Error(`${name} is both ${seen} and ${m.key}`);
        owner.set(name, m.key);
      }
    }
    for (const m of BUILTIN_METRICS) for (const alias of m.aliases) expect(resolvedKey(alias), alias).toBe(m.key);
  });
});

describe("resolve", () => {
  it.each([
    ["cac", "cac"],
    ["CAC", "cac"],
    ["Customer Acquisition Cost", "cac"],
    ["customer_acquisition-cost", "cac"],
    ["cost per lead", "cpl"],
    ["CPL", "cpl"],
    ["win rate", "win_rate"],
    ["Win-Rate", "win_rate"],
    ["ltv", "ltv"],
    ["LTV:CAC", "ltv_to_cac"],
    ["ltv/cac", "ltv_to_cac"],
    ["ltv to cac", "ltv_to_cac"],
    ["mrr", "mrr"],
    ["ARR", "arr"],
    ["nps", "nps"],
    ["ROMI", "romi"],
    ["deal size", "avg_deal_size"],
    ["sales cycle", "sales_cycle_days"],
    ["churn", "customer_churn_rate"],
    ["retention", "customer_retention_rate"],
    ["new revenue", "new_revenue"],
    ["  sqls ", "sqls"],
    ["mql", "mqls"],
    ["ＣＡＣ", "cac"],
  ])("resolves %j to %s", (text, key) => {
    expect(resolvedKey(text)).toBe(key);
  });

  it.each([
    ["获客成本", "cac"],
    ["客户获取成本", "cac"],
    ["客户终身价值", "ltv"],
    ["新的收入", "new_revenue"],
    ["新收入", "new_revenue"],
    ["转化率", "lead_to_customer_rate"],
    ["每月经常性收入", "mrr"],
    ["年度经常性收入", "arr"],
    ["收入增长", "new_revenue_growth"],
    ["销售费用", "sales_spend"],
    ["营销费用", "marketing_spend"],
    ["сас", "cac"], // Cyrillic, as the seed article writes it
  ])("resolves the seed articles' name %s to %s", (text, key) => {
    expect(resolvedKey(text)).toBe(key);
  });

  it("suggests the closest names for a typo", () => {
    expect(suggestions("custmer acquisition cost")[0]).toBe("customer acquisition cost");
    expect(suggestions("cca")[0]).toBe("cac");
    expect(suggestions("win rat")[0]).toBe("win_rate");
    expect(suggestions("retension")[0]).toBe("retention");
  });

  it("suggests names that contain what was typed", () => {
    expect(suggestions("acquisition").map(resolvedKey)).toContain("cac");
    expect(suggestions("获客")).toEqual(["获客成本"]);
    expect(suggestions("recurring").map(resolvedKey)).toEqual(expect.arrayContaining(["mrr", "arr"]));
  });

  it("suggests at most a handful, one name per metric", () => {
    const found = suggestions("rate");
    expect(found.length).toBeGreaterThan(0);
    expect(found.length).toBeLessThanOrEqual(5);
    const keys = found.map(resolvedKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("suggests nothing for text far from every name", () => {
    expect(suggestions("zzzzzzzzzzzzzzzz")).toEqual([]);
    expect(suggestions("")).toEqual([]);
  });
});

describe("buildCatalog", () => {
  const custom: MetricDef = {
    key: "revenue_multiple",
    name: "Revenue multiple",
    description: "New revenue per marketing spend",
    unit: "ratio",
    better: "up",
    owners: ["marketing", "product"],
    aliases: ["multiple", "cac"],
    formula: "new_revenue / marketing_spend",
  };
  const settings: KpiSettings = {
    ...DEFAULT_KPI_SETTINGS,
    departments: [
      { key: "marketing", name: "Marketing" },
      { key: "sales", name: "Sales" },
      { key: "product", name: "Product" },
      { key: "success", name: "Customer success" },
    ],
    overrides: { cpl: { owners: ["marketing", "sales"], name: "CPL" }, nps: { owners: ["success"] } },
    customMetrics: [custom],
  };
  const configured = buildCatalog(settings);

  it("gives the pulse metrics to every department of the workspace", () => {
    expect(configured.get("collaboration_score")?.owners).toEqual(["marketing", "sales", "product", "success"]);
    expect(configured.get("pulse_participation")?.owners).toEqual(["marketing", "sales", "product", "success"]);
  });

  it("applies owner and name overrides", () => {
    expect(configured.get("cpl")).toMatchObject({ name: "CPL", owners: ["marketing", "sales"] });
    expect(configured.get("nps")?.owners).toEqual(["success"]);
    expect(catalog.get("cpl")).toMatchObject({ name: "Cost per lead", owners: ["marketing"] });
  });

  it("adds custom metrics without letting their aliases shadow built-in names", () => {
    expect(configured.get("revenue_multiple")).toEqual(custom);
    expect(configured.resolve("Revenue Multiple")).toMatchObject({ ok: true, metric: { key: "revenue_multiple" } });
    expect(configured.resolve("multiple")).toMatchObject({ ok: true, metric: { key: "revenue_multiple" } });
    expect(configured.resolve("cac")).toMatchObject({ ok: true, metric: { key: "cac" } });
    expect(configured.all).toHaveLength(BUILTIN_METRICS.length + 1);
  });

  it("lists shared metrics and a department's metrics", () => {
    const shared = configured.shared().map((m) => m.key);
    expect(shared).toContain("cpl");
    expect(shared).toContain("revenue_multiple");
    expect(shared).not.toContain("nps");
    expect(shared).not.toContain("leads");
    expect(configured.ownedBy("success").map((m) => m.key)).toEqual([
      "nps",
      "collaboration_score",
      "pulse_participation",
    ]);
    expect(catalog.shared().every((m) => m.owners.length >= 2)).toBe(true);
  });

  it("refuses a custom metric with a built-in key", () => {
    expect(() => buildCatalog({ ...settings, customMetrics: [{ ...custom, key: "cac" }] })).toThrow(AppError);
  });

  it("does not change the built-in definitions", () => {
    buildCatalog(settings).get("cpl")?.owners.push("product");
    expect(BUILTIN_METRICS.find((m) => m.key === "cpl")?.owners).toEqual(["marketing"]);
  });
});
