// Cross-references of tandem.config.yaml: metric keys, departments, formulas and
// target values. Runs on the parsed YAML even where parts of it are malformed (a
// malformed part is skipped here; the schema reports it), so one pass lists every error.
import { distance } from "fastest-levenshtein";
import { BUILTIN_METRICS, normalizeMetricName } from "../core/kpi/catalog.ts";
import { compileFormula } from "../core/kpi/custom-formula.ts";
import { DEFAULT_KPI_SETTINGS, type MetricDef } from "../core/kpi/types.ts";

type Path = (string | number)[];
export type Report = (path: Path, message: string) => void;

// Percent metrics that are not a share of something: they can fall below 0 or pass 100 %.
const UNBOUNDED_PERCENT = new Set(["new_revenue_growth", "mrr_growth", "romi"]);
// A fraction above this is almost certainly a percentage written as a number (300 for 300 %).
const MAX_UNBOUNDED_FRACTION = 10;

type Plain = Record<string, unknown>;
/** Longer text gets no "did you mean": no key or name is anywhere near that long. */
const MAX_COMPARED_CHARS = 64;
const isPlain = (value: unknown): value is Plain =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * The closest candidate to a mistyped key (or the key an alias names), if one is close enough.
 * `aliases` is keyed by normalizeMetricName.
 */
export function suggestion(
  input: string,
  candidates: Iterable<string>,
  aliases?: ReadonlyMap<string, string>,
): string | undefined {
  const needle = input.trim().toLowerCase();
  const alias = aliases?.get(normalizeMetricName(input));
  if (alias !== undefined) return alias;
  const normalized = needle.replace(/[\s-]+/g, "_");
  // Edit distance costs the product of the lengths; nothing that long is a near miss anyway.
  if (normalized.length > MAX_COMPARED_CHARS) return undefined;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    if (lower === needle || lower === normalized) return candidate;
    const d = distance(normalized, lower);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = normalized.length <= 4 ? 1 : Math.max(2, Math.floor(normalized.length / 3));
  return bestDistance <= limit ? best : undefined;
}

export function checkReferences(config: unknown, report: Report): void {
  if (!isPlain(config)) return;
  const builtins = new Map(BUILTIN_METRICS.map((metric) => [metric.key, metric]));
  const aliases = new Map<string, string>();
  for (const metric of BUILTIN_METRICS)
    for (const alias of metric.aliases) aliases.set(normalizeMetricName(alias), metric.key);

  const departments = declaredDepartments(config.departments);
  const customs = isPlain(config.custom_metrics) ? config.custom_metrics : {};
  const checkOwners = (owners: unknown, path: Path) => {
    if (departments === null || !Array.isArray(owners)) return;
    const seen = new Set<string>();
    owners.forEach((owner, index) => {
      if (typeof owner !== "string") return;
      if (!departments.has(owner)) report([...path, index], unknownDepartment(owner, departments));
      else if (seen.has(owner)) report([...path, index], `"${owner}" is listed twice`);
      seen.add(owner);
    });
  };

  if (isPlain(config.metrics)) {
    for (const [key, override] of Object.entries(config.metrics)) {
      if (builtins.has(key)) {
        if (isPlain(override)) checkOwners(override.owners, ["metrics", key, "owners"]);
      } else if (key in customs) {
        report(["metrics", key], `"${key}" is a custom metric: change it under custom_metrics.${key}`);
      } else {
        const close = suggestion(key, builtins.keys(), aliases);
        report(["metrics", key], `unknown built-in metric "${key}"${close ? ` (did you mean ${close}?)` : ""}`);
      }
    }
  }

  checkCustomMetrics(customs, builtins, report, checkOwners);

  if (Array.isArray(config.targets)) {
    const seen = new Map<string, number>();
    config.targets.forEach((target, index) => {
      if (!isPlain(target)) return;
      const path: Path = ["targets", index];
      const metric = typeof target.metric === "string" ? target.metric : undefined;
      const custom = metric !== undefined && isPlain(customs[metric]) ? customs[metric] : undefined;
      const builtin = metric !== undefined ? builtins.get(metric) : undefined;
      if (metric !== undefined && builtin === undefined && custom === undefined) {
        const close = suggestion(metric, [...builtins.keys(), ...Object.keys(customs)], aliases);
        report([...path, "metric"], `unknown metric "${metric}"${close ? ` (did you mean ${close}?)` : ""}`);
      }
      const department = typeof target.department === "string" ? target.department : null;
      if (department !== null && departments !== null && !departments.has(department)) {
        report([...path, "department"], unknownDepartment(department, departments));
      }
      if (metric !== undefined && typeof target.value === "number" && Number.isFinite(target.value)) {
        const problem = builtin
          ? builtinValueProblem(builtin, target.value)
          : customValueProblem(metric, custom?.unit, target.value);
        if (problem) report([...path, "value"], problem);
      }
      if (metric !== undefined && typeof target.grain === "string") {
        const id = `${metric}\u0000${target.grain}\u0000${department ?? ""}`;
        const first = seen.get(id);
        if (first !== undefined) {
          const scope = department === null ? "the whole company" : `department ${department}`;
          report(path, `a second ${target.grain} target for ${metric} and ${scope} (the first is targets[${first}])`);
        } else {
          seen.set(id, index);
        }
      }
    });
  }
}

function declaredDepartments(value: unknown): Set<string> | null {
  if (value === undefined) return new Set(DEFAULT_KPI_SETTINGS.departments.map((d) => d.key));
  return isPlain(value) ? new Set(Object.keys(value)) : null;
}

function unknownDepartment(key: string, declared: Set<string>): string {
  const close = suggestion(key, declared);
  return close
    ? `unknown department "${key}" (did you mean ${close}?)`
    : `unknown department "${key}" (declared: ${[...declared].join(", ")})`;
}

function checkCustomMetrics(
  customs: Plain,
  builtins: Map<string, MetricDef>,
  report: Report,
  checkOwners: (owners: unknown, path: Path) => void,
): void {
  const known = [...builtins.keys(), ...Object.keys(customs).filter((key) => !builtins.has(key))];
  const uses = new Map<string, string[]>();
  for (const [key, metric] of Object.entries(customs)) {
    if (builtins.has(key)) {
      report(
        ["custom_metrics", key],
        `"${key}" is a built-in metric: choose another key (to rename it or change its owners, use metrics.${key})`,
      );
    }
    if (!isPlain(metric)) continue;
    checkOwners(metric.owners, ["custom_metrics", key, "owners"]);
    if (typeof metric.formula !== "string" || metric.formula.trim() === "") continue;
    const compiled = compileFormula(metric.formula, known);
    if (!compiled.ok) {
      report(
        ["custom_metrics", key, "formula"],
        `${compiled.error}${formulaHint(metric.formula, compiled.error, known)}`,
      );
      continue;
    }
    uses.set(
      key,
      compiled.refs.filter((ref) => ref in customs && !builtins.has(ref)),
    );
  }
  for (const cycle of findCycles(uses, Object.keys(customs))) {
    report(["custom_metrics", cycle[0] as string, "formula"], `formula cycle: ${[...cycle, cycle[0]].join(" → ")}`);
  }
}

/** `(did you mean new_revenue?)` for mistyped metric names the compiler's message quotes. */
function formulaHint(formula: string, error: string, known: string[]): string {
  if (!error.startsWith("unknown metric")) return "";
  const names = new Set(formula.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []);
  const fixes: [string, string][] = [];
  for (const name of names) {
    if (known.includes(name) || !error.includes(JSON.stringify(name))) continue;
    const close = suggestion(name, known);
    if (close !== undefined) fixes.push([name, close]);
  }
  if (fixes.length === 0) return "";
  if (fixes.length === 1) return ` (did you mean ${fixes[0]?.[1]}?)`;
  return ` (did you mean ${fixes.map(([name, close]) => `${close} for ${name}`).join(", ")}?)`;
}

/** Each cycle once, starting at its member declared first. */
function findCycles(uses: Map<string, string[]>, order: string[]): string[][] {
  const rank = new Map(order.map((key, index) => [key, index]));
  const state = new Map<string, "visiting" | "done">();
  const reported = new Set<string>();
  const cycles: string[][] = [];
  const stack: string[] = [];
  const visit = (key: string) => {
    state.set(key, "visiting");
    stack.push(key);
    for (const next of uses.get(key) ?? []) {
      if (state.get(next) === "visiting") {
        const cycle = stack.slice(stack.indexOf(next));
        const first = cycle.reduce((a, b) => ((rank.get(a) ?? 0) <= (rank.get(b) ?? 0) ? a : b));
        const at = cycle.indexOf(first);
        const rotated = [...cycle.slice(at), ...cycle.slice(0, at)];
        const id = rotated.join(" ");
        if (!reported.has(id)) {
          reported.add(id);
          cycles.push(rotated);
        }
      } else if (state.get(next) === undefined) {
        visit(next);
      }
    }
    stack.pop();
    state.set(key, "done");
  };
  for (const key of order) if (uses.has(key) && state.get(key) === undefined) visit(key);
  return cycles;
}

function builtinValueProblem(metric: MetricDef, value: number): string | undefined {
  switch (metric.unit) {
    case "percent":
      return UNBOUNDED_PERCENT.has(metric.key)
        ? unboundedPercentProblem(metric.key, value)
        : value < 0 || value > 1
          ? `${metric.key} is a percent: write it as a fraction from 0 to 1 (35% is 0.35), got ${value}`
          : undefined;
    case "score":
      if (metric.key === "nps")
        return value < -100 || value > 100 ? `nps is from -100 to 100, got ${value}` : undefined;
      return value < 1 || value > 5 ? `${metric.key} is a score from 1 to 5, got ${value}` : undefined;
    default:
      return value < 0 ? `${metric.key} cannot be negative, got ${value}` : undefined;
  }
}

// A custom metric's formula can go anywhere; only percentages written as whole numbers are caught.
function customValueProblem(key: string, unit: unknown, value: number): string | undefined {
  return unit === "percent" ? unboundedPercentProblem(key, value) : undefined;
}

function unboundedPercentProblem(key: string, value: number): string | undefined {
  return value < -1 || value > MAX_UNBOUNDED_FRACTION
    ? `${key} is a percent: write it as a fraction (35% is 0.35, 300% is 3) from -1 to ${MAX_UNBOUNDED_FRACTION}, got ${value}`
    : undefined;
}
