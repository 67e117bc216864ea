// Fixed KPI results for the render tests, and the worst cases every message must survive.
import { buildCatalog, type Catalog } from "../../../src/core/kpi/catalog.ts";
import { DEFAULT_KPI_SETTINGS, type MetricDef, type MetricResult, type Period } from "../../../src/core/kpi/types.ts";
import type { CompareInput, FunnelInput } from "../../../src/core/messages/build-kpi-messages.ts";
import { type Block, type Message, makeMessage } from "../../../src/core/messages/model.ts";

export const catalog: Catalog = buildCatalog(DEFAULT_KPI_SETTINGS);

export function def(key: string): MetricDef {
  const found = catalog.get(key);
  if (!found) throw new Error(`no metric ${key} in the catalog`);
  return found;
}

function month(year: number, monthIndex: number): Period {
  return {
    grain: "month",
    startMs: Date.UTC(year, monthIndex, 1),
    endMs: Date.UTC(year, monthIndex + 1, 1),
    zone: "UTC",
    key: `${year}-${String(monthIndex + 1).padStart(2, "0")}`,
  };
}

export const september = month(2026, 8);

function result(key: string, fields: Partial<MetricResult>): MetricResult {
  const d = def(key);
  return {
    key,
    name: d.name,
    unit: d.unit,
    value: null,
    previous: null,
    change: null,
    target: null,
    status: null,
    owners: d.owners,
    breakdown: null,
    ...fields,
  };
}

export const metrics = {
  leads: result("leads", { value: 1240, previous: 1100, change: 0.1273 }),
  mqlToSql: result("mql_to_sql_rate", {
    value: 0.314,
    previous: 0.35,
    change: -0.1029,
    target: 0.33,
    // the quarterly target serves the month too (a rate keeps its number)
    targetFrom: { grain: "quarter", value: 0.33, rule: "same" },
    status: "at_risk",
  }),
  cac: result("cac", {
    value: 1234.5,
    previous: 1400,
    change: -0.118,
    target: 1300,
    status: "on_track",
    currency: "EUR",
  }),
  newRevenue: result("new_revenue", {
    currency: "EUR",
    value: 157500,
    previous: 140000,
    change: 0.125,
    target: 200000,
    status: "off_track",
  }),
  revenueByChannel: result("revenue_by_channel", {
    currency: "EUR",
    value: 157500,
    breakdown: { paid_search: 60000, webinar: 45000, outbound: 30000, referral: 15000, unknown: 7500 },
  }),
  nps: result("nps", { value: 42, previous: 42, change: 0 }),
  salesCycle: result("sales_cycle_days", { value: 38.25, previous: 41, change: -0.067 }),
  ltvToCac: result("ltv_to_cac", { value: 3.2, previous: null, change: null }),
  churn: result("customer_churn_rate", { value: null, previous: 0.02, change: null }),
};

export const snapshot = { period: september, metrics: Object.values(metrics) };

export const series = Array.from({ length: 8 }, (_, i) => ({
  period: month(2026, 1 + i),
  value: i === 3 ? null : 1500 - i * 40 + (i % 2) * 25,
}));

export const funnel: FunnelInput = {
  period: september,
  stages: [
    { key: "lead", label: "Leads", count: 1240, previous: 1100 },
    { key: "mql", label: "MQLs", count: 390, previous: 385 },
    { key: "sql", label: "SQLs", count: 122, previous: 135 },
    { key: "opportunity", label: "Opportunities", count: 60, previous: 58 },
    { key: "won", label: "Won deals", count: null, previous: 20 },
  ],
  rates: [
    result("lead_to_mql_rate", { value: 0.3145, previous: 0.35, change: -0.1014 }),
    metrics.mqlToSql,
    result("sql_to_opportunity_rate", { value: 0.4918, previous: 0.4296, change: 0.1448 }),
  ],
  bottleneck: {
    from: "mql",
    to: "sql",
    reason: "MQL to SQL rate fell 3.6 pp, from 35.0% to 31.4%.",
  },
};

export const compare: CompareInput = {
  period: september,
  a: "marketing",
  b: "sales",
  shared: [metrics.mqlToSql, metrics.cac, metrics.newRevenue],
  catalog,
};

// ---- worst cases ---------------------------------------------------------------

export const LONG_NAME = `${"Pipeline velocity of enterprise inbound leads from partner ".padEnd(79, "x")}!`;

/** 200 channels, the labels themselves long and full of characters Slack escapes. */
export const hugeBreakdown = Object.fromEntries(
  Array.from({ length: 200 }, (_, i) => [`<channel & partner #${i}> ${"x".repeat(60)}`, 1000 + i * 37]),
);

/** Every built-in metric plus custom ones up to 45, each with an 80-character name and all fields set. */
export const worstMetrics: MetricResult[] = Array.from({ length: 45 }, (_, i) => {
  const base = catalog.all[i % catalog.all.length] as MetricDef;
  return {
    key: i < catalog.all.length ? base.key : `custom_${i}`,
    name: i % 3 === 0 ? "&".repeat(80) : LONG_NAME,
    unit: base.unit,
    value: 123_456_789.123,
    previous: -98_765_432.1,
    change: -12.3456,
    target: 999_999_999,
    status: "off_track",
    owners: ["marketing", "sales", "product", "customer_success", "finance"],
    breakdown: i % 2 === 0 ? hugeBreakdown : null,
  };
});

export const worstSeries = Array.from({ length: 52 }, (_, i) => ({
  period: { ...september, key: `2026-W${String(i + 1).padStart(2, "0")}` },
  value: i % 5 === 0 ? null : 1e9 + i * 12345.678,
}));

export const worstFunnel: FunnelInput = {
  period: september,
  stages: Array.from({ length: 8 }, (_, i) => ({ key: `s${i}`, label: LONG_NAME, count: 1e12 + i, previous: 1 })),
  rates: worstMetrics.slice(0, 10),
  bottleneck: { from: "s1", to: "s2", reason: "&<>".repeat(700) },
  catalog,
};

export const worstCompare: CompareInput = {
  period: september,
  a: "x".repeat(120),
  b: "y".repeat(120),
  shared: worstMetrics,
  catalog,
};

const LONG_QUESTION = `How well did the other team's hand-off <work> & help you this week? ${"Be honest. ".repeat(25)}`;

/** A five-question 0–10 pulse with its results: the biggest interactive message the pulse module may build. */
export function worstPulse(): Message {
  const blocks: Block[] = [{ type: "header", text: "P".repeat(150) }];
  for (let q = 0; q < 5; q++) {
    blocks.push({
      type: "choices",
      id: `pulse_vote:${"9".repeat(80)}:${q}`,
      prompt: `*Question ${q + 1}.* ${LONG_QUESTION}`,
      style: "scale",
      options: Array.from({ length: 11 }, (_, i) => ({
        label: `${i} ${"&".repeat(20)}`,
        value: `${"v".repeat(60)}${i}`,
      })),
    });
  }
  blocks.push({ type: "divider" });
  blocks.push({
    type: "bars",
    rows: Array.from({ length: 11 }, (_, i) => ({ label: LONG_NAME, value: i, display: `${i * 1000} answers (9%)` })),
  });
  blocks.push({
    type: "table",
    columns: ["Department", "Mean", "Answers", "Participation", "Gap", "Note"],
    rows: Array.from({ length: 12 }, () => Array.from({ length: 6 }, () => "&<>".repeat(10))),
  });
  blocks.push({ type: "image", url: `https://example.com/${"a".repeat(1900)}.png`, altText: "A".repeat(1000) });
  blocks.push({ type: "context", text: "<".repeat(900) });
  blocks.push({
    type: "actions",
    buttons: Array.from({ length: 5 }, (_, i) => ({
      label: "B".repeat(75),
      actionId: `action_${i}_${"z".repeat(90)}`,
      value: "w".repeat(200),
      ...(i === 0 ? { style: "primary" as const } : i === 1 ? { style: "danger" as const } : {}),
    })),
  });
  return makeMessage(blocks, { visibility: "channel" });
}
