// The config file's `alerts:` list: each entry a channel and a rule in the chat grammar
// (`/kpi alert RULE`). Rules are read with the metrics the same file declares, so a
// custom metric can be alerted on in the file that defines it.
import { z } from "zod";
import { parseAlertRule, ruleText } from "../core/alerts/parse-alert-rule.ts";
import { isAppError } from "../core/errors.ts";
import { buildCatalog, type Catalog } from "../core/kpi/catalog.ts";
import { DEFAULT_KPI_SETTINGS, type MetricDef } from "../core/kpi/types.ts";
import type { Report } from "./metrics-config-checks.ts";

export const MAX_CONFIG_ALERTS = 200;

export const AlertConfigSchema = z
  .object({
    platform: z.enum(["slack", "teams"]),
    channel: z.string().trim().min(1, "channel must not be empty").max(200, "channel is at most 200 characters"),
    rule: z.string().trim().min(1, "rule must not be empty").max(500, "rule is at most 500 characters"),
  })
  .strict();

export const AlertsConfigSchema = z
  .array(AlertConfigSchema)
  .max(MAX_CONFIG_ALERTS, `at most ${MAX_CONFIG_ALERTS} alert rules`)
  .default([]);

export type AlertConfig = z.infer<typeof AlertConfigSchema>;

/** The built-in metrics and the file's custom ones that are well-formed enough to name. */
function catalogOf(config: Record<string, unknown>): Catalog {
  const customs = config.custom_metrics;
  const customMetrics: MetricDef[] = [];
  if (customs !== null && typeof customs === "object" && !Array.isArray(customs)) {
    for (const [key, value] of Object.entries(customs)) {
      const metric = value as Partial<MetricDef> | null;
      if (!metric || typeof metric !== "object") continue;
      customMetrics.push({
        key,
        name: typeof metric.name === "string" ? metric.name : key,
        description: "",
        unit: metric.unit ?? "count",
        better: metric.better ?? "up",
        owners: [],
        aliases: [],
        formula: "0",
      });
    }
  }
  try {
    return buildCatalog({ ...DEFAULT_KPI_SETTINGS, customMetrics });
  } catch {
    return buildCatalog(DEFAULT_KPI_SETTINGS);
  }
}

/** Reports each rule the grammar cannot read, at its `alerts[i].rule`. */
export function checkAlertRules(config: unknown, report: Report): void {
  if (config === null || typeof config !== "object") return;
  const alerts = (config as Record<string, unknown>).alerts;
  if (!Array.isArray(alerts)) return;
  const catalog = catalogOf(config as Record<string, unknown>);
  alerts.slice(0, MAX_CONFIG_ALERTS).forEach((entry, i) => {
    const rule = (entry as { rule?: unknown } | null)?.rule;
    if (typeof rule !== "string" || rule.trim() === "") return;
    try {
      parseAlertRule(rule, catalog);
    } catch (error) {
      if (!isAppError(error)) throw error;
      report(["alerts", i, "rule"], error.message);
    }
  });
}

/** The rules as stored: in the grammar's own words, read with the applied settings' catalog. */
export function configAlertRules(alerts: AlertConfig[], catalog: Catalog) {
  return alerts.map((alert) => ({
    platform: alert.platform,
    channelId: alert.channel,
    rule: ruleText(parseAlertRule(alert.rule, catalog), (key) => catalog.get(key)?.unit),
  }));
}
