import { describe, expect, it } from "vitest";
import { compileCustomMetrics, compileFormula } from "../../../../src/core/kpi/custom-formula.ts";
import type { MetricDef } from "../../../../src/core/kpi/types.ts";

const KEYS = ["ltv", "cac", "new_revenue", "marketing_spend", "leads", "mqls"];

function compiled(text: string) {
  const result = compileFormula(text, KEYS);
  if (!result.ok) throw new Error(result.error);
  return result;
}

function error(text: string): string {
  const result = compileFormula(text, KEYS);
  if (result.ok) throw new Error(`${text} compiled`);
  return result.error;
}

describe("compileFormula", () => {
  it("evaluates ratios of metrics and names what they use", () => {
    const ratio = compiled("ltv / cac");
    expect(ratio.refs).toEqual(["ltv", "cac"]);
    expect(ratio.evaluate({ ltv: 9_000, cac: 3_000 })).toBe(3);
    expect(compiled("new_revenue / marketing_spend").evaluate({ new_revenue: 21_000, marketing_spend: 6_000 })).toBe(
      3.5,
    );
  });

  it("supports + − × ÷, parentheses, unary minus and min, max, abs, round", () => {
    const v = { leads: 10, mqls: 4, cac: 2.345 };
    expect(compiled("(leads - mqls) * 2 + 1").evaluate(v)).toBe(13);
    expect(compiled("leads × mqls ÷ 8 − 1").evaluate(v)).toBe(4);
    expect(compiled("-leads + +mqls").evaluate(v)).toBe(-6);
    expect(compiled("min(leads, mqls, 7)").evaluate(v)).toBe(4);
    expect(compiled("max(leads, mqls)").evaluate(v)).toBe(10);
    expect(compiled("abs(mqls - leads)").evaluate(v)).toBe(6);
    expect(compiled("round(cac)").evaluate(v)).toBe(2);
    expect(compiled("round(cac, 2)").evaluate(v)).toBe(2.35);
    expect(compiled("round(-cac, 1)").evaluate(v)).toBe(-2.3);
    expect(compiled("leads / 1e3").evaluate(v)).toBe(0.01);
  });

  it("is null when a metric it uses is null, or the result is not finite", () => {
    const ratio = compiled("ltv / cac");
    expect(ratio.evaluate({ ltv: null, cac: 3 })).toBeNull();
    expect(ratio.evaluate({ ltv: 1, cac: null })).toBeNull();
    expect(ratio.evaluate({ ltv: 1 })).toBeNull();
    expect(ratio.evaluate({ ltv: 1, cac: 0 })).toBeNull();
    expect(ratio.evaluate({ ltv: 0, cac: 0 })).toBeNull();
    expect(compiled("min(ltv, cac)").evaluate({ ltv: 1, cac: null })).toBeNull();
  });

  it("rejects unknown symbols, naming each of them", () => {
    expect(error("ltv / cacc")).toBe('unknown metric "cacc" in "ltv / cacc"');
    expect(error("foo + bar * ltv + foo")).toBe('unknown metrics "foo", "bar" in "foo + bar * ltv + foo"');
    expect(error("pi * ltv")).toContain('"pi"');
  });

  it("rejects everything but arithmetic", () => {
    expect(error("ltv ^ 2")).toMatch(/operator "\^" is not allowed/);
    expect(error("sqrt(ltv)")).toMatch(/function "sqrt" is not allowed/);
    expect(error("ltv = 3")).toMatch(/not allowed/);
    expect(error("f(x) = x")).toMatch(/not allowed/);
    expect(error('"ltv"')).toMatch(/only numbers/);
    expect(error("[ltv, cac]")).toMatch(/not allowed/);
    expect(error("ltv > cac ? ltv : cac")).toMatch(/not allowed/);
    expect(error("ltv == cac")).toMatch(/not allowed/);
    expect(error("ltv.x")).toMatch(/not allowed/);
    expect(error("2 ltv")).toMatch(/missing operator/);
    expect(error("ltv cac")).toMatch(/missing operator/);
    expect(error("5 cm")).toMatch(/missing operator/);
    expect(error("round(ltv, 1, 2)")).toMatch(/round takes 1 to 2 argument/);
    expect(error("abs()")).toMatch(/abs takes 1 argument/);
    expect(error("ltv; cac")).toMatch(/not allowed/);
  });

  it("rejects empty, unreadable and metric-less formulas", () => {
    expect(error("  ")).toBe("the formula is empty");
    expect(error("ltv +")).toMatch(/^cannot read the formula "ltv \+"/);
    expect(error("1 + 2")).toMatch(/uses no metric/);
  });
});

function custom(key: string, formula: string): MetricDef {
  return { key, name: key, description: "", unit: "ratio", better: "up", owners: [], aliases: [], formula };
}

describe("compileCustomMetrics", () => {
  it("orders custom metrics after the custom metrics they use", () => {
    const result = compileCustomMetrics([custom("b", "a * 2"), custom("a", "ltv / cac")], KEYS);
    if (!result.ok) throw new Error(result.error);
    expect(result.ordered.map((m) => m.def.key)).toEqual(["a", "b"]);
  });

  it("rejects a loop and a bad formula, naming the metric", () => {
    const loop = compileCustomMetrics([custom("a", "b + 1"), custom("b", "a + ltv")], KEYS);
    expect(loop).toEqual({ ok: false, error: "custom metrics refer to each other in a loop: a → b → a" });
    const self = compileCustomMetrics([custom("a", "a + 1")], KEYS);
    expect(self.ok).toBe(false);
    const bad = compileCustomMetrics([custom("a", "ltv / nope")], KEYS);
    expect(bad).toEqual({ ok: false, error: 'custom metric a: unknown metric "nope" in "ltv / nope"' });
  });
});
