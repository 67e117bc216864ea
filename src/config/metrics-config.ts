// Metrics as code: the schema of tandem.config.yaml and its validation. The file is
// parsed with `yaml` (keeping positions so every error names its line), checked
// structurally by zod and then for cross-references (metrics, departments,
// formulas), and every problem is reported at once: nothing is applied unless the
// whole file is valid.
import { type Document, isMap, isScalar, isSeq, LineCounter, parseDocument, visit } from "yaml";
import { z } from "zod";
import {
  DEFAULT_CURRENCY,
  DEFAULT_KPI_SETTINGS,
  GRAINS,
  type KpiSettings,
  type MetricDef,
  type Unit,
} from "../core/kpi/types.ts";
import { MIN_GROUP_SIZE } from "../core/pulse/types.ts";
import { checkReferences, suggestion } from "./metrics-config-checks.ts";
import { fromSourceDefinition, type SourceDefinition, SourcesSchema, sourceKeys } from "./sources-config.ts";

export const DEPARTMENT_KEY = /^[a-z0-9_-]+$/;
export const METRIC_KEY = /^[a-z][a-z0-9_]*$/;
export const UNITS = ["count", "percent", "currency", "days", "score", "ratio"] as const satisfies readonly Unit[];
export const DIRECTIONS = ["up", "down"] as const;

const DepartmentKeySchema = z
  .string()
  .max(40, "department keys are at most 40 characters")
  .regex(DEPARTMENT_KEY, "department keys are lower-case letters, digits, _ and - (like customer_success)");

const textSchema = (what: string) =>
  z.string().trim().min(1, `${what} must not be empty`).max(200, `${what} is at most 200 characters`);

const OwnersSchema = z.array(z.string()).min(1, "list at least one department");

const MetricOverrideSchema = z
  .object({
    name: textSchema("name").optional(),
    description: z.string().trim().max(500, "description is at most 500 characters").optional(),
    owners: OwnersSchema.optional(),
  })
  .strict();

const CustomMetricSchema = z
  .object({
    name: textSchema("name"),
    description: z.string().trim().max(500, "description is at most 500 characters").default(""),
    formula: z.string().trim().min(1, "formula must not be empty").max(500, "formula is at most 500 characters"),
    unit: z.enum(UNITS),
    better: z.enum(DIRECTIONS),
    owners: OwnersSchema,
  })
  .strict();

const TargetSchema = z
  .object({
    metric: z.string(),
    grain: z.enum(GRAINS),
    value: z.number(),
    department: DepartmentKeySchema.nullish().transform((value) => value ?? null),
  })
  .strict();

/** ISO 4217 codes this Node knows how to write (what Intl.NumberFormat accepts). */
const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf("currency"));

const CurrencySchema = z
  .string()
  .trim()
  .toUpperCase()
  .superRefine((code, ctx) => {
    if (CURRENCIES.has(code)) return;
    const close = suggestion(code, CURRENCIES);
    ctx.addIssue({
      code: "custom",
      message: `unknown currency "${code.slice(0, 20)}"${close ? ` (did you mean ${close}?)` : ""}: expected an ISO 4217 code such as USD, EUR or GBP`,
    });
  });

const DEFAULT_DEPARTMENTS = Object.fromEntries(DEFAULT_KPI_SETTINGS.departments.map((d) => [d.key, d.name]));

export const MetricsConfigSchema = z
  .object({
    version: z.literal(1, { error: "only version 1 exists (write version: 1)" }),
    gross_margin: z
      .number()
      .gt(0, "must be more than 0 and at most 1 (a fraction: 80% is written 0.8)")
      .lte(1, "must be more than 0 and at most 1 (a fraction: 80% is written 0.8)")
      .default(1),
    currency: CurrencySchema.default(DEFAULT_CURRENCY),
    pulse_min_group_size: z
      .number()
      .int()
      .min(MIN_GROUP_SIZE, `never below ${MIN_GROUP_SIZE}: a smaller group could single a person out`)
      .max(1_000, "at most 1000")
      .default(MIN_GROUP_SIZE),
    departments: z
      .record(DepartmentKeySchema, textSchema("the display name"))
      .refine((departments) => Object.keys(departments).length > 0, "declare at least one department")
      .default(DEFAULT_DEPARTMENTS),
    metrics: z.record(z.string(), MetricOverrideSchema).default({}),
    custom_metrics: z
      .record(
        z
          .string()
          .max(60, "custom metric keys are at most 60 characters")
          .regex(
            METRIC_KEY,
            "custom metric keys are lower-case letters, digits and _, starting with a letter (like pipeline_coverage)",
          ),
        CustomMetricSchema,
      )
      .default({}),
    targets: z.array(TargetSchema).default([]),
    admins: z.array(textSchema("an admin id")).default([]),
    sources: SourcesSchema,
  })
  .strict()
  // Cross-references run even when parts of the file are malformed, so one pass lists every error.
  .superRefine(
    (config, ctx) => checkReferences(config, (path, message) => ctx.addIssue({ code: "custom", path, message })),
    {
      when: () => true,
    },
  );
export type MetricsConfig = z.infer<typeof MetricsConfigSchema>;

export type ConfigIssue = { path: string; message: string; line: number | null };
export type MetricsConfigResult =
  | { ok: true; config: MetricsConfig }
  | { ok: false; errors: string[]; issues: ConfigIssue[] };

/**
 * Bounds on the file, checked before and while YAML is read: a real config is a few
 * kilobytes; 256 KB reads in well under a second. Aliases (`*name`) may stand for at
 * most MAX_ALIASES copies of what they name, so a "billion laughs" file is refused
 * instead of expanding.
 */
export const MAX_CONFIG_BYTES = 256 * 1024;
export const MAX_ALIASES = 100;

/** Parses and validates a tandem.config.yaml; errors read `line 12: targets[1].metric: …`. */
export function validateMetricsConfig(text: string): MetricsConfigResult {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_CONFIG_BYTES) return failure([{ path: "", message: tooLarge(bytes), line: null }]);
  const lineCounter = new LineCounter();
  // yaml's own uniqueKeys check compares every key with every other (quadratic): ours is linear.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const syntax = [
    ...doc.errors.map((error) => ({ message: error.message.split("\n")[0] ?? "", offset: error.pos[0] })),
    ...repeatedKeys(doc),
  ].map(({ message, offset }) => ({
    path: "",
    message: `YAML syntax: ${message}`,
    line: lineCounter.linePos(offset).line,
  }));
  if (syntax.length > 0) return failure(syntax);
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    const message = (error as Error).message;
    // yaml words it as an attack; say what the limit is instead
    if (/alias count/i.test(message))
      return failure([
        {
          path: "",
          message: `YAML: its aliases (*name) expand to too much; each may stand for at most ${MAX_ALIASES} copies`,
          line: null,
        },
      ]);
    return failure([{ path: "", message: `YAML: ${message}`, line: null }]);
  }
  if (raw === null || raw === undefined || typeof raw !== "object" || Array.isArray(raw)) {
    return failure([
      { path: "", message: "expected a mapping of settings starting with `version: 1`", line: raw == null ? null : 1 },
    ]);
  }
  const result = MetricsConfigSchema.safeParse(raw);
  if (result.success) return { ok: true, config: result.data };
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  for (const issue of result.error.issues) {
    for (const { path, message } of describeIssue(issue, raw)) {
      const formatted = formatPath(path);
      const id = `${formatted}\u0000${message}`;
      if (seen.has(id)) continue;
      seen.add(id);
      issues.push({ path: formatted, message, line: lineOf(doc, lineCounter, path) });
    }
  }
  return failure(issues);
}

export function tooLarge(bytes: number): string {
  return `the file is ${(bytes / 1024).toFixed(0)} KB; a metrics config is at most ${MAX_CONFIG_BYTES / 1024} KB`;
}

/** Keys written twice in one mapping, where each repeat starts (one pass over the document). */
function repeatedKeys(doc: Document): { message: string; offset: number }[] {
  const found: { message: string; offset: number }[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const key = pair.key.value;
        if (seen.has(key)) found.push({ message: "Map keys must be unique", offset: pair.key.range?.[0] ?? 0 });
        seen.add(key);
      }
    },
  });
  return found;
}

function failure(issues: ConfigIssue[]): MetricsConfigResult {
  // stable sort: by line, issues without a line last
  const sorted = [...issues].sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
  return { ok: false, issues: sorted, errors: sorted.map(formatIssue) };
}

export function formatIssue(issue: ConfigIssue): string {
  const where = issue.path === "" ? "" : `${issue.path}: `;
  return `${issue.line === null ? "" : `line ${issue.line}: `}${where}${issue.message}`;
}

type Path = (string | number)[];

const KNOWN_KEYS: Record<string, string[]> = {
  "": [
    "version",
    "gross_margin",
    "currency",
    "pulse_min_group_size",
    "departments",
    "metrics",
    "custom_metrics",
    "targets",
    "admins",
    "sources",
  ],
  metrics: ["name", "description", "owners"],
  custom_metrics: ["name", "description", "formula", "unit", "better", "owners"],
  targets: ["metric", "grain", "value", "department"],
};

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): { path: Path; message: string }[] {
  const path = issue.path.filter((part): part is string | number => typeof part !== "symbol");
  const value = valueAt(raw, path);
  switch (issue.code) {
    case "unrecognized_keys": {
      const known =
        path[0] === "sources" && path.length === 2
          ? sourceKeys((valueAt(raw, path) as { kind?: unknown } | undefined)?.kind)
          : (KNOWN_KEYS[path.length === 0 ? "" : String(path[0])] ?? []);
      return issue.keys.map((key) => {
        const close = suggestion(key, known);
        return {
          path: [...path, key],
          message: `unknown key${close ? ` (did you mean ${close}?)` : ""}; expected one of ${known.join(", ")}`,
        };
      });
    }
    case "invalid_key": {
      const inner = issue.issues[0];
      return [{ path, message: inner?.message ?? "invalid key" }];
    }
    case "invalid_value": {
      if (value === undefined) return [{ path, message: required(issue.values) }];
      if (issue.message && !issue.message.startsWith("Invalid option")) return [{ path, message: issue.message }];
      const options = issue.values.map(String);
      const close = typeof value === "string" ? suggestion(value, options) : undefined;
      return [
        {
          path,
          message: `expected one of ${options.join(", ")}, got ${show(value)}${close ? ` (did you mean ${close}?)` : ""}`,
        },
      ];
    }
    case "invalid_type": {
      if (value === undefined) return [{ path, message: "required" }];
      return [
        { path, message: `expected ${kindName(issue.expected)}, got ${show(value)}${typeHint(issue.expected, value)}` },
      ];
    }
    default:
      return [{ path, message: issue.message }];
  }
}

function required(values: readonly unknown[]): string {
  return values.length > 1 ? `required (one of ${values.map(String).join(", ")})` : `required (write ${values[0]})`;
}

function kindName(expected: string): string {
  switch (expected) {
    case "number":
      return "a number";
    case "int":
      return "a whole number";
    case "string":
      return "text";
    case "array":
      return "a list";
    case "object":
    case "record":
      return "a mapping (key: value)";
    default:
      return expected;
  }
}

function typeHint(expected: string, value: unknown): string {
  if (expected === "number" && typeof value === "string" && /^\s*-?[\d.]+\s*%\s*$/.test(value)) {
    const fraction = Number(value.replace("%", "").trim()) / 100;
    return ` (write percentages as fractions: ${value.trim()} is ${Number(fraction.toPrecision(12))})`;
  }
  if (expected === "number" && typeof value === "string") return " (write the number without quotes or units)";
  if (expected === "string" && (typeof value === "number" || typeof value === "boolean")) {
    return ` (put it in quotes: "${String(value)}")`;
  }
  return "";
}

function show(value: unknown): string {
  if (value === null) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  return String(value);
}

function valueAt(root: unknown, path: Path): unknown {
  let current = root;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

/** `targets[1].metric`, `custom_metrics.pipeline_coverage.formula`, `departments["Sales Ops"]` */
export function formatPath(path: Path): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(part)) out += out === "" ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/** The line of the deepest node of the path that exists: a map entry's key, or a list item. */
function lineOf(doc: Document, lineCounter: LineCounter, path: Path): number | null {
  let node: unknown = doc.contents;
  let offset: number | undefined = (node as { range?: [number] } | null)?.range?.[0];
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => {
        const key = item.key as { value?: unknown } | null;
        return key !== null && typeof key === "object" && String(key.value) === String(part);
      });
      if (pair === undefined) break;
      offset = (pair.key as { range?: [number] }).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof part === "number") {
      const item = node.items[part] as { range?: [number] } | undefined;
      if (item === undefined) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset === undefined ? null : lineCounter.linePos(offset).line;
}

/** The KPI settings a valid config declares (what applying it stores). */
export function configToSettings(config: MetricsConfig): KpiSettings {
  const overrides: KpiSettings["overrides"] = {};
  for (const [key, override] of Object.entries(config.metrics)) {
    overrides[key] = {
      ...(override.name !== undefined ? { name: override.name } : {}),
      ...(override.description !== undefined ? { description: override.description } : {}),
      ...(override.owners !== undefined ? { owners: [...new Set(override.owners)] } : {}),
    };
  }
  const customMetrics: MetricDef[] = Object.entries(config.custom_metrics).map(([key, metric]) => ({
    key,
    name: metric.name,
    description: metric.description,
    unit: metric.unit,
    better: metric.better,
    owners: [...new Set(metric.owners)],
    aliases: [],
    formula: metric.formula,
  }));
  return {
    grossMargin: config.gross_margin,
    currency: config.currency,
    pulseMinGroupSize: config.pulse_min_group_size,
    departments: Object.entries(config.departments).map(([key, name]) => ({ key, name })),
    targets: config.targets.map((target) => ({
      metric: target.metric,
      grain: target.grain,
      department: target.department,
      value: target.value,
    })),
    overrides,
    customMetrics,
  };
}

/** The config file that declares these settings (for `tandem config export`). */
export function settingsToConfig(
  settings: KpiSettings,
  admins: string[],
  sources: SourceDefinition[] = [],
): MetricsConfig {
  return {
    version: 1,
    gross_margin: settings.grossMargin,
    currency: settings.currency,
    pulse_min_group_size: settings.pulseMinGroupSize,
    departments: Object.fromEntries(settings.departments.map((d) => [d.key, d.name])),
    metrics: Object.fromEntries(
      Object.entries(settings.overrides).map(([key, override]) => [
        key,
        {
          ...(override.name !== undefined ? { name: override.name } : {}),
          ...(override.description !== undefined ? { description: override.description } : {}),
          ...(override.owners !== undefined ? { owners: override.owners } : {}),
        },
      ]),
    ),
    custom_metrics: Object.fromEntries(
      settings.customMetrics.map((metric) => [
        metric.key,
        {
          name: metric.name,
          description: metric.description,
          formula: metric.formula ?? "",
          unit: metric.unit,
          better: metric.better,
          owners: metric.owners,
        },
      ]),
    ),
    targets: settings.targets.map((target) => ({ ...target })),
    admins: [...admins],
    sources: sources.map(fromSourceDefinition),
  };
}
