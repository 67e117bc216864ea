// The metric catalog: every built-in metric of docs/metrics.md with the names people
// type for it, plus a workspace's overrides and custom metrics.
import { distance } from "fastest-levenshtein";
import { AppError, ErrorCode } from "../errors.ts";
import type { KpiSettings, MetricDef } from "./types.ts";

const M = "marketing";
const S = "sales";
const P = "product";
/** "every department": replaced by the workspace's departments in buildCatalog. */
const EVERY_DEPARTMENT = [M, S, P];
const PULSE_METRICS = new Set(["collaboration_score", "pulse_participation"]);

export const BUILTIN_METRICS: MetricDef[] = [
  // Funnel volume
  {
    key: "leads",
    name: "Leads",
    description: "Distinct entities that entered the funnel in the period",
    unit: "count",
    better: "up",
    owners: [M],
    aliases: ["lead", "lead count", "new leads", "number of leads", "潜在客户", "线索"],
    hasBreakdown: true,
  },
  {
    key: "mqls",
    name: "Marketing-qualified leads",
    description: "Distinct entities that became marketing-qualified in the period",
    unit: "count",
    better: "up",
    owners: [M, S],
    aliases: ["mql", "marketing qualified leads", "marketing qualified lead", "marketing-qualified leads"],
  },
  {
    key: "sqls",
    name: "Sales-qualified leads",
    description: "Distinct entities that became sales-qualified in the period",
    unit: "count",
    better: "up",
    owners: [S, M],
    aliases: ["sql", "sales qualified leads", "sales qualified lead", "sales-qualified leads"],
  },
  {
    key: "opportunities",
    name: "Opportunities",
    description: "Distinct entities that became opportunities in the period",
    unit: "count",
    better: "up",
    owners: [S],
    aliases: ["opportunity", "opps", "opp", "pipeline"],
  },
  {
    key: "deals_won",
    name: "Deals won",
    description: "Deals closed won in the period (each won deal counts, upsells included)",
    unit: "count",
    better: "up",
    owners: [S],
    aliases: ["won", "wins", "won deals", "closed won", "deals closed"],
  },
  {
    key: "deals_lost",
    name: "Deals lost",
    description: "Deals closed lost in the period",
    unit: "count",
    better: "down",
    owners: [S],
    aliases: ["lost", "losses", "lost deals", "closed lost"],
  },
  {
    key: "new_customers",
    name: "New customers",
    description: "Distinct entities that closed a new-business deal in the period",
    unit: "count",
    better: "up",
    owners: [S, M],
    aliases: ["customers acquired", "new customer", "customers won", "获得的新客户", "新客户"],
  },
  // Conversion through the funnel
  {
    key: "lead_to_mql_rate",
    name: "Lead to MQL rate",
    description: "MQLs in the period per lead in the period",
    unit: "percent",
    better: "up",
    owners: [M],
    aliases: ["lead to mql", "lead-to-mql", "mql rate", "lead to mql conversion"],
  },
  {
    key: "mql_to_sql_rate",
    name: "MQL to SQL rate",
    description: "SQLs in the period per MQL in the period",
    unit: "percent",
    better: "up",
    owners: [M, S],
    aliases: ["mql to sql", "mql-to-sql", "sql rate", "mql to sql conversion"],
  },
  {
    key: "sql_to_opportunity_rate",
    name: "SQL to opportunity rate",
    description: "Opportunities in the period per SQL in the period",
    unit: "percent",
    better: "up",
    owners: [S],
    aliases: ["sql to opportunity", "sql to opp", "sql-to-opportunity", "opportunity rate"],
  },
  {
    key: "opportunity_to_win_rate",
    name: "Opportunity to win rate",
    description: "Deals won in the period per opportunity in the period",
    unit: "percent",
    better: "up",
    owners: [S, M],
    aliases: [
      "opportunity to win",
      "opportunity-to-win ratio",
      "opportunity to win ratio",
      "opp to win",
      "opportunity win rate",
      "交易完成率",
    ],
  },
  {
    key: "win_rate",
    name: "Win rate",
    description: "Deals won per deal closed (won or lost) in the period",
    unit: "percent",
    better: "up",
    owners: [S],
    aliases: ["win ratio", "close rate", "closing rate", "赢单率"],
  },
  {
    key: "lead_to_customer_rate",
    name: "Lead to customer rate",
    description: "New customers in the period per lead in the period",
    unit: "percent",
    better: "up",
    owners: [M, S],
    aliases: [
      "lead to customer",
      "lead-to-customer ratio",
      "lead to customer ratio",
      "lead conversion rate",
      "lead conversion",
      "conversion rate",
      "conversion",
      "funnel conversion",
      "funnel conversion rate",
      "cr",
      "转化率",
      "整个渠道转化率",
      "整个渠道的转化率",
    ],
  },
  {
    key: "sql_to_customer_rate",
    name: "SQL to customer rate",
    description: "New customers in the period per SQL in the period",
    unit: "percent",
    better: "up",
    owners: [S],
    aliases: ["sql to customer", "sql-to-customer", "sql to customer cr", "sql到客户的cr", "sql到客户的转化率"],
  },
  // Revenue
  {
    key: "new_revenue",
    name: "New revenue",
    description: "Value of all deals won in the period: new business, upsells and cross-sells",
    unit: "currency",
    better: "up",
    owners: [M, S, P],
    aliases: ["revenue", "new sales", "bookings", "sales revenue", "新的收入", "新收入", "收入"],
  },
  {
    key: "new_revenue_growth",
    name: "New revenue growth",
    description: "Change of new revenue against the previous period",
    unit: "percent",
    better: "up",
    owners: [M, S, P],
    aliases: ["revenue growth", "growth", "new revenue change", "收入增长"],
  },
  {
    key: "avg_deal_size",
    name: "Average deal size",
    description: "New revenue per deal won in the period",
    unit: "currency",
    better: "up",
    owners: [S],
    aliases: [
      "deal size",
      "average deal size",
      "average deal value",
      "avg deal",
      "acv",
      "average order value",
      "aov",
      "平均订单价值",
      "平均交易规模",
    ],
  },
  {
    key: "mrr",
    name: "Monthly recurring revenue",
    description: "Sum of every customer's latest monthly recurring revenue at the period end",
    unit: "currency",
    better: "up",
    owners: [M, S, P],
    aliases: ["monthly recurring revenue", "recurring revenue", "每月经常性收入", "月度经常性收入"],
  },
  {
    key: "arr",
    name: "Annual recurring revenue",
    description: "Twelve times the monthly recurring revenue at the period end",
    unit: "currency",
    better: "up",
    owners: [M, S, P],
    aliases: ["annual recurring revenue", "annualized recurring revenue", "年度经常性收入"],
  },
  {
    key: "mrr_growth",
    name: "MRR growth",
    description: "Change of MRR against the previous period end",
    unit: "percent",
    better: "up",
    owners: [M, S, P],
    aliases: ["mrr change", "monthly recurring revenue growth", "mrr growth rate"],
  },
  {
    key: "revenue_by_channel",
    name: "Revenue by channel",
    description: "Deals won in the period by the first-touch channel of the customer",
    unit: "currency",
    better: "up",
    owners: [M, S],
    aliases: [
      "attribution",
      "revenue attribution",
      "marketing revenue attribution",
      "marketing-revenue attribution",
      "channel revenue",
      "revenue per channel",
    ],
    hasBreakdown: true,
  },
  // Cost
  {
    key: "marketing_spend",
    name: "Marketing spend",
    description: "Money the marketing department spent in the period",
    unit: "currency",
    better: "down",
    owners: [M],
    aliases: ["marketing cost", "marketing costs", "marketing expenses", "marketing budget", "营销费用"],
    hasBreakdown: true,
  },
  {
    key: "sales_spend",
    name: "Sales spend",
    description: "Money the sales department spent in the period",
    unit: "currency",
    better: "down",
    owners: [S],
    aliases: ["sales cost", "sales costs", "sales expenses", "销售费用"],
    hasBreakdown: true,
  },
  {
    key: "cac",
    name: "Customer acquisition cost",
    description: "Marketing and sales spend per new customer in the period",
    unit: "currency",
    better: "down",
    owners: [M, S],
    // "сас" is Cyrillic: the seed article writes CAC that way, and people paste it.
    aliases: ["customer acquisition cost", "acquisition cost", "cost per customer", "获客成本", "客户获取成本", "сас"],
  },
  {
    key: "cpl",
    name: "Cost per lead",
    description: "Marketing spend per lead in the period",
    unit: "currency",
    better: "down",
    owners: [M],
    aliases: ["cost per lead", "lead cost", "每条线索成本", "单个线索成本"],
  },
  {
    key: "romi",
    name: "Return on marketing investment",
    description: "New revenue above marketing spend, per unit of marketing spend",
    unit: "percent",
    better: "up",
    owners: [M],
    aliases: ["return on marketing investment", "marketing roi", "roi", "营销投资回报率"],
  },
  // Retention and value
  {
    key: "active_customers",
    name: "Active customers",
    description: "Customers paying recurring revenue at the period end",
    unit: "count",
    better: "up",
    owners: [S, P],
    aliases: ["customers", "active accounts", "paying customers", "customer count", "活跃客户"],
  },
  {
    key: "customer_retention_rate",
    name: "Customer retention rate",
    description: "Share of the customers active at the period start still active at its end",
    unit: "percent",
    better: "up",
    owners: [M, S, P],
    aliases: ["retention", "retention rate", "customer retention", "客户留存率", "留存率"],
  },
  {
    key: "customer_churn_rate",
    name: "Customer churn rate",
    description: "Share of the customers active at the period start no longer active at its end",
    unit: "percent",
    better: "down",
    owners: [S, P],
    aliases: ["churn", "churn rate", "customer churn", "logo churn", "客户流失率", "流失率"],
  },
  {
    key: "arpa",
    name: "Average revenue per account",
    description: "MRR per active customer at the period end",
    unit: "currency",
    better: "up",
    owners: [S, P],
    aliases: ["average revenue per account", "arpu", "average revenue per user", "revenue per customer"],
  },
  {
    key: "ltv",
    name: "Customer lifetime value",
    description: "Average revenue per account times gross margin, over the monthly churn rate",
    unit: "currency",
    better: "up",
    owners: [S, P],
    aliases: ["lifetime value", "customer lifetime value", "clv", "cltv", "客户终身价值", "终身价值"],
  },
  {
    key: "ltv_to_cac",
    name: "LTV to CAC",
    description: "Customer lifetime value per unit of customer acquisition cost",
    unit: "ratio",
    better: "up",
    owners: [M, S, P],
    aliases: ["ltv:cac", "ltv/cac", "ltv cac", "ltv to cac ratio", "ltv cac ratio"],
  },
  // Speed and customer voice
  {
    key: "sales_cycle_days",
    name: "Sales cycle",
    description: "Average days from a new customer's first lead to the won deal",
    unit: "days",
    better: "down",
    owners: [S, M],
    aliases: ["sales cycle", "sales cycle length", "cycle time", "days to close", "time to close", "销售周期"],
  },
  {
    key: "nps",
    name: "Net Promoter Score",
    description: "Promoters minus detractors, per 100 answers in the period",
    unit: "score",
    better: "up",
    owners: [P, S],
    aliases: ["net promoter score", "promoter score", "净推荐值"],
    decimals: 0,
  },
  {
    key: "csat",
    name: "Customer satisfaction",
    description: "Mean customer satisfaction answer (1–5) in the period",
    unit: "score",
    better: "up",
    owners: [P],
    aliases: ["customer satisfaction", "customer satisfaction score", "satisfaction", "客户满意度"],
    decimals: 1,
  },
  // Internal collaboration (pulse surveys)
  {
    key: "collaboration_score",
    name: "Collaboration score",
    description: "Mean 1–5 answer to collaboration pulse questions closed in the period",
    unit: "score",
    better: "up",
    owners: EVERY_DEPARTMENT,
    aliases: ["collaboration", "alignment", "alignment score", "teamwork", "协作"],
    decimals: 1,
    hasBreakdown: true,
  },
  {
    key: "pulse_participation",
    name: "Pulse participation",
    description: "Respondents per person asked, for pulses closed in the period",
    unit: "percent",
    better: "up",
    owners: EVERY_DEPARTMENT,
    aliases: ["participation", "pulse response rate", "response rate", "survey participation"],
  },
];

export type ResolveResult = { ok: true; metric: MetricDef } | { ok: false; suggestions: string[] };

export type Catalog = {
  all: MetricDef[];
  get(key: string): MetricDef | undefined;
  /** a key or alias as typed, ignoring case, spaces, underscores and hyphens */
  resolve(text: string): ResolveResult;
  /** the metric a key or alias names, or undefined; no suggestions, so cheap to ask often */
  find(text: string): MetricDef | undefined;
  /** metrics owned by two or more departments */
  shared(): MetricDef[];
  ownedBy(department: string): MetricDef[];
};

/** Case-, width-, space-, underscore- and hyphen-insensitive form of a metric name. */
export function normalizeMetricName(text: string): string {
  let name = normalized.get(text);
  if (name === undefined) {
    name = text
      .normalize("NFKC")
      .toLowerCase()
      .replace(/[\s_\-–—]+/g, "");
    if (normalized.size >= MAX_NORMALIZED) normalized.clear();
    normalized.set(text, name);
  }
  return name;
}

/** Every catalog is built from the same few hundred names: each normalized once. */
const MAX_NORMALIZED = 2_000;
const normalized = new Map<string, string>();

const MAX_CLOSEST = 3;
const MAX_SUGGESTIONS = 5;
/**
 * Text longer than this is compared by substring only: no name is that long, and edit
 * distance costs the product of the two lengths for every name in the catalog.
 */
const MAX_COMPARED_CHARS = 64;

export function buildCatalog(settings: KpiSettings): Catalog {
  const everyDepartment = settings.departments.map((d) => d.key);
  const all: MetricDef[] = [];
  const byKey = new Map<string, MetricDef>();
  const add = (def: MetricDef) => {
    if (byKey.has(def.key))
      throw new AppError(ErrorCode.InvalidInput, `custom metric ${def.key} has the key of another metric`);
    byKey.set(def.key, def);
    all.push(def);
  };

  for (const builtin of BUILTIN_METRICS) {
    const owners = PULSE_METRICS.has(builtin.key) ? everyDepartment : builtin.owners;
    add(withOverride({ ...builtin, owners: [...owners], aliases: [...builtin.aliases] }, settings));
  }
  for (const custom of settings.customMetrics) add(withOverride({ ...custom, aliases: [...custom.aliases] }, settings));

  // Keys first, then aliases in catalog order: a custom alias never shadows a built-in name.
  const byName = new Map<string, { metric: MetricDef; label: string }>();
  for (const def of all) byName.set(normalizeMetricName(def.key), { metric: def, label: def.key });
  for (const def of all) {
    for (const alias of def.aliases) {
      const name = normalizeMetricName(alias);
      if (name !== "" && !byName.has(name)) byName.set(name, { metric: def, label: alias });
    }
  }

  return {
    all,
    get: (key) => byKey.get(key),
    find: (text) => byName.get(normalizeMetricName(text))?.metric,
    resolve(text) {
      const name = normalizeMetricName(text);
      const hit = byName.get(name);
      if (hit) return { ok: true, metric: hit.metric };
      return { ok: false, suggestions: suggest(name, byName) };
    },
    shared: () => all.filter((def) => def.owners.length >= 2),
    ownedBy: (department) => all.filter((def) => def.owners.includes(department)),
  };
}

function withOverride(def: MetricDef, settings: KpiSettings): MetricDef {
  const override = settings.overrides[def.key];
  if (!override) return def;
  return {
    ...def,
    ...(override.owners ? { owners: [...override.owners] } : {}),
    ...(override.name ? { name: override.name } : {}),
    ...(override.description ? { description: override.description } : {}),
  };
}

/** The closest names by edit distance plus names containing (or contained in) the text, one per metric. */
function suggest(name: string, byName: Map<string, { metric: MetricDef; label: string }>): string[] {
  if (name === "") return [];
  const compared = name.length <= MAX_COMPARED_CHARS;
  const scored = [...byName.entries()].map(([candidate, hit]) => ({
    hit,
    dist: compared ? distance(name, candidate) : Number.POSITIVE_INFINITY,
    substring: candidate.includes(name) || (candidate.length >= 2 && name.includes(candidate)),
  }));
  // Short names are close to everything short: allow fewer edits the shorter the text.
  const limit = name.length <= 2 ? 1 : name.length <= 5 ? 2 : Math.ceil(name.length / 3);
  const byDistance = (a: { dist: number }, b: { dist: number }) => a.dist - b.dist;
  const closest = scored.filter((s) => s.dist <= limit).sort(byDistance);
  const substrings = scored.filter((s) => s.substring).sort(byDistance);

  const seen = new Set<string>();
  const out: string[] = [];
  const take = (list: typeof scored, max: number) => {
    let taken = 0;
    for (const s of list) {
      if (out.length >= MAX_SUGGESTIONS || taken >= max) return;
      if (seen.has(s.hit.metric.key)) continue;
      seen.add(s.hit.metric.key);
      out.push(s.hit.label);
      taken++;
    }
  };
  take(closest, MAX_CLOSEST);
  take(substrings, MAX_SUGGESTIONS);
  return out;
}
