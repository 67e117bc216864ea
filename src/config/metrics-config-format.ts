// Prints a metrics config as tandem.config.yaml, in the layout of the documented
// example: one line per target and per built-in override, so exports diff well.
import { Document, isMap, isScalar, isSeq, type Node } from "yaml";
import type { MetricsConfig } from "./metrics-config.ts";

const SECTION_COMMENTS: Record<string, string> = {
  gross_margin: " Fraction of revenue kept after the cost of serving it (0 < x ≤ 1); used by ltv.",
  currency: " ISO 4217 code of the currency money is shown in (USD, EUR, GBP, …).",
  pulse_min_group_size: " Fewest answers a pulse result or department breakdown is shown for (at least 3).",
  departments: " Department key → display name.",
  metrics: " Changes to built-in metrics: display name, description, owning departments.",
  custom_metrics: " Metrics computed by a formula over other metrics.",
  targets: " Percent targets are fractions: 35% is written 0.35. No department = the whole company.",
  admins: " Chat user ids allowed to run admin commands, besides workspace admins.",
  sources: " Systems Tandem keeps facts in step with (docs/sources.md); secrets only as environment variable names.",
};

export function formatMetricsConfig(config: MetricsConfig, header: string[] = []): string {
  const plain = {
    version: config.version,
    gross_margin: config.gross_margin,
    currency: config.currency,
    pulse_min_group_size: config.pulse_min_group_size,
    departments: config.departments,
    metrics: config.metrics,
    custom_metrics: Object.fromEntries(
      Object.entries(config.custom_metrics).map(([key, metric]) => [
        key,
        {
          name: metric.name,
          formula: metric.formula,
          unit: metric.unit,
          better: metric.better,
          owners: metric.owners,
          ...(metric.description !== "" ? { description: metric.description } : {}),
        },
      ]),
    ),
    targets: config.targets.map((target) => ({
      metric: target.metric,
      grain: target.grain,
      value: target.value,
      ...(target.department !== null ? { department: target.department } : {}),
    })),
    admins: config.admins,
    ...(config.sources.length > 0 ? { sources: config.sources } : {}),
  };
  const doc = new Document(plain);
  if (header.length > 0) doc.commentBefore = header.map((line) => ` ${line}`).join("\n");
  // one line per override, unless a description would make the line long
  const overrides = doc.get("metrics", true);
  if (isMap(overrides)) {
    for (const pair of overrides.items) {
      if (!isMap(pair.value)) continue;
      if (pair.value.has("description")) flow(pair.value.get("owners", true));
      else flow(pair.value);
    }
  }
  flowEach(doc.get("targets", true));
  flow(doc.get("admins", true));
  const customs = doc.get("custom_metrics", true);
  if (isMap(customs)) for (const pair of customs.items) if (isMap(pair.value)) flow(pair.value.get("owners", true));
  const root = doc.contents;
  if (isMap(root)) {
    for (const pair of root.items) {
      if (isScalar(pair.key) && typeof pair.key.value === "string") {
        const comment = SECTION_COMMENTS[pair.key.value];
        if (comment !== undefined) {
          pair.key.commentBefore = comment;
          pair.key.spaceBefore = true;
        }
      }
    }
  }
  return doc.toString({ lineWidth: 0 });
}

function flow(node: unknown): void {
  if (isMap(node) || isSeq(node)) node.flow = true;
}

function flowEach(node: unknown): void {
  if (isMap(node)) for (const pair of node.items) flow(pair.value as Node);
  else if (isSeq(node)) for (const item of node.items) flow(item);
}
