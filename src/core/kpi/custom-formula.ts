// Custom metrics as formulas over other metrics (`ltv / cac`). mathjs only parses; the
// tree is checked against a small allow-list and evaluated here, so a formula can never
// reach mathjs functions, units, matrices or assignments.
import { createRequire } from "node:module";
import type { MathNode } from "mathjs";
import type { MetricDef } from "./types.ts";

// mathjs takes about a second to load, and most commands never meet a custom formula:
// it is loaded (synchronously, through its CommonJS build) on the first formula only.
const require = createRequire(import.meta.url);
let mathParse: ((expression: string) => MathNode) | undefined;
function parse(expression: string): MathNode {
  mathParse ??= (require("mathjs") as typeof import("mathjs")).parse;
  return mathParse(expression);
}

type Values = Record<string, number | null>;
export type CompiledFormula = { ok: true; refs: string[]; evaluate(values: Values): number | null };
export type CompileResult = CompiledFormula | { ok: false; error: string };

type Evaluator = (values: Values) => number | null;

const BINARY: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  subtract: (a, b) => a - b,
  multiply: (a, b) => a * b,
  divide: (a, b) => a / b,
};

const FUNCTIONS: Record<string, { arity: [number, number]; apply: (args: number[]) => number }> = {
  min: { arity: [1, Number.POSITIVE_INFINITY], apply: (args) => Math.min(...args) },
  max: { arity: [1, Number.POSITIVE_INFINITY], apply: (args) => Math.max(...args) },
  abs: { arity: [1, 1], apply: ([x = 0]) => Math.abs(x) },
  round: { arity: [1, 2], apply: ([x = 0, digits = 0]) => roundHalfAwayFromZero(x, digits) },
};

const ALLOWED = "numbers, metric keys, + - * / (or × ÷ −), parentheses and min, max, abs, round";

function roundHalfAwayFromZero(x: number, digits: number): number {
  const scale = 10 ** Math.trunc(digits);
  return (Math.sign(x) * Math.round(Math.abs(x) * scale)) / scale;
}

class FormulaError extends Error {}

export function compileFormula(text: string, knownKeys: string[]): CompileResult {
  const source = text.replace(/×/g, "*").replace(/÷/g, "/").replace(/[−–]/g, "-").trim();
  if (source === "") return { ok: false, error: "the formula is empty" };
  let tree: MathNode;
  try {
    tree = parse(source);
  } catch (error) {
    return { ok: false, error: `cannot read the formula ${JSON.stringify(text)}: ${(error as Error).message}` };
  }

  const known = new Set(knownKeys);
  const refs: string[] = [];
  const unknown: string[] = [];
  let evaluator: Evaluator;
  try {
    evaluator = build(tree, (name) => {
      if (!known.has(name)) {
        if (!unknown.includes(name)) unknown.push(name);
      } else if (!refs.includes(name)) refs.push(name);
    });
  } catch (error) {
    if (error instanceof FormulaError) return { ok: false, error: `${error.message} in ${JSON.stringify(text)}` };
    throw error;
  }
  if (unknown.length > 0) {
    const names = unknown.map((name) => JSON.stringify(name)).join(", ");
    return { ok: false, error: `unknown metric${unknown.length > 1 ? "s" : ""} ${names} in ${JSON.stringify(text)}` };
  }
  if (refs.length === 0) return { ok: false, error: `the formula ${JSON.stringify(text)} uses no metric` };

  return {
    ok: true,
    refs,
    evaluate(values) {
      const result = evaluator(values);
      return result !== null && Number.isFinite(result) ? result : null;
    },
  };
}

function build(node: MathNode, onSymbol: (name: string) => void): Evaluator {
  switch (node.type) {
    case "ConstantNode": {
      const value = (node as MathNode & { value: unknown }).value;
      if (typeof value !== "number" || !Number.isFinite(value)) throw new FormulaError("only numbers are allowed");
      return () => value;
    }
    case "SymbolNode": {
      const name = (node as MathNode & { name: string }).name;
      onSymbol(name);
      return (values) => {
        const value = values[name];
        return value === undefined || value === null || !Number.isFinite(value) ? null : value;
      };
    }
    case "ParenthesisNode":
      return build((node as MathNode & { content: MathNode }).content, onSymbol);
    case "OperatorNode": {
      const op = node as MathNode & { fn: string; op: string; args: MathNode[]; implicit: boolean };
      if (op.implicit) throw new FormulaError(`missing operator in "${node.toString()}"`);
      const args = op.args.map((arg) => build(arg, onSymbol));
      const [left, right] = args;
      if (args.length === 1 && left && (op.fn === "unaryMinus" || op.fn === "unaryPlus")) {
        const sign = op.fn === "unaryMinus" ? -1 : 1;
        return (values) => {
          const x = left(values);
          return x === null ? null : sign * x;
        };
      }
      const apply = BINARY[op.fn];
      if (args.length === 2 && left && right && apply) {
        return (values) => {
          const a = left(values);
          const b = right(values);
          return a === null || b === null ? null : apply(a, b);
        };
      }
      throw new FormulaError(`the operator "${op.op}" is not allowed (allowed: ${ALLOWED})`);
    }
    case "FunctionNode": {
      const call = node as MathNode & { fn: MathNode; args: MathNode[] };
      const name = call.fn.type === "SymbolNode" ? (call.fn as MathNode & { name: string }).name : "";
      const fn = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
      if (!fn) throw new FormulaError(`the function "${call.fn.toString()}" is not allowed (allowed: ${ALLOWED})`);
      const [fewest, most] = fn.arity;
      if (call.args.length < fewest || call.args.length > most)
        throw new FormulaError(`${name} takes ${fewest === most ? fewest : `${fewest} to ${most}`} argument(s)`);
      const args = call.args.map((arg) => build(arg, onSymbol));
      return (values) => {
        const xs: number[] = [];
        for (const arg of args) {
          const x = arg(values);
          if (x === null) return null;
          xs.push(x);
        }
        return fn.apply(xs);
      };
    }
    default:
      throw new FormulaError(`"${node.toString()}" is not allowed (allowed: ${ALLOWED})`);
  }
}

export type CompiledMetric = { def: MetricDef; formula: CompiledFormula };

/**
 * Compiles a workspace's custom metrics and orders them so each comes after the custom
 * metrics it uses. Fails on the first bad formula or on a cycle, naming the metric.
 */
export function compileCustomMetrics(
  customs: MetricDef[],
  builtinKeys: string[],
): { ok: true; ordered: CompiledMetric[] } | { ok: false; error: string } {
  const knownKeys = [...builtinKeys, ...customs.map((def) => def.key)];
  const compiled = new Map<string, CompiledMetric>();
  for (const def of customs) {
    if (def.formula === undefined) return { ok: false, error: `custom metric ${def.key} has no formula` };
    const formula = compileFormula(def.formula, knownKeys);
    if (!formula.ok) return { ok: false, error: `custom metric ${def.key}: ${formula.error}` };
    compiled.set(def.key, { def, formula });
  }

  const ordered: CompiledMetric[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (key: string, path: string[]): string | null => {
    const metric = compiled.get(key);
    if (!metric || state.get(key) === "done") return null;
    if (state.get(key) === "visiting")
      return `custom metrics refer to each other in a loop: ${[...path, key].join(" → ")}`;
    state.set(key, "visiting");
    for (const ref of metric.formula.refs) {
      const error = visit(ref, [...path, key]);
      if (error) return error;
    }
    state.set(key, "done");
    ordered.push(metric);
    return null;
  };
  for (const def of customs) {
    const error = visit(def.key, []);
    if (error) return { ok: false, error };
  }
  return { ok: true, ordered };
}
