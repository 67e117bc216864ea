import { describe, expect, it } from "vitest";
import { resultsMessage } from "../../../../src/core/pulse/messages.ts";
import { summarizePulse } from "../../../../src/core/pulse/results.ts";
import { answers, DEPARTMENTS, pulse, question } from "./fixtures.ts";

describe("pulse results", () => {
  it("gives the distribution, the mean and participation", () => {
    const q = question(1);
    const results = summarizePulse(
      pulse([q]),
      answers(1, [
        ["marketing", 5],
        ["sales", 4],
        ["sales", 4],
        [null, 2],
      ]),
      DEPARTMENTS,
    );
    expect(results.respondents).toBe(4);
    expect(results.participation).toBeCloseTo(4 / 20);
    const [r] = results.questions;
    expect(r?.mean).toBeCloseTo(3.75);
    expect(r?.distribution?.map((d) => d.count)).toEqual([0, 1, 0, 2, 1]);
  });

  it("hides a question's figures below the minimum group size", () => {
    const results = summarizePulse(
      pulse([question(1)]),
      answers(1, [
        ["marketing", 5],
        ["sales", 1],
      ]),
      DEPARTMENTS,
    );
    expect(results.questions[0]).toMatchObject({ hidden: true, mean: null, distribution: null, byDepartment: null });
  });

  it("honours a larger configured minimum", () => {
    const rows = answers(1, [
      ["marketing", 5],
      ["marketing", 4],
      ["sales", 1],
      ["sales", 2],
    ]);
    expect(summarizePulse(pulse([question(1)], { minGroupSize: 5 }), rows, DEPARTMENTS).questions[0]?.hidden).toBe(
      true,
    );
  });

  it("breaks down by department only where each shown group has the minimum", () => {
    const rows = answers(1, [
      ["marketing", 5],
      ["marketing", 4],
      ["marketing", 3],
      ["sales", 2],
      ["sales", 2],
      ["sales", 2],
      ["product", 1],
      ["product", 1],
      ["product", 1],
    ]);
    const groups = summarizePulse(pulse([question(1)]), rows, DEPARTMENTS).questions[0]?.byDepartment;
    expect(groups?.map((g) => [g.name, g.mean, g.count])).toEqual([
      ["Marketing", 4, 3],
      ["Sales", 2, 3],
      ["Product", 1, 3],
    ]);
  });

  it("never lets the total minus the shown groups give away a small group", () => {
    // product has one answer: showing marketing and sales would reveal it by subtraction
    const rows = answers(1, [
      ["marketing", 5],
      ["marketing", 5],
      ["marketing", 5],
      ["sales", 2],
      ["sales", 2],
      ["sales", 2],
      ["product", 1],
    ]);
    const groups = summarizePulse(pulse([question(1)]), rows, DEPARTMENTS).questions[0]?.byDepartment ?? [];
    for (const group of groups) expect(group.count).toBeGreaterThanOrEqual(3);
    expect(groups.reduce((sum, g) => sum + g.count, 0)).toBe(7);
    expect(groups.some((g) => g.name === "Product")).toBe(false);
  });

  it("puts small groups together as everyone else when together they reach the minimum", () => {
    const rows = answers(1, [
      ["marketing", 5],
      ["marketing", 5],
      ["marketing", 5],
      ["sales", 2],
      ["sales", 2],
      ["product", 1],
      [null, 3],
    ]);
    const groups = summarizePulse(pulse([question(1)]), rows, DEPARTMENTS).questions[0]?.byDepartment;
    expect(groups?.map((g) => [g.name, g.count])).toEqual([
      ["Marketing", 3],
      ["Everyone else", 4],
    ]);
  });

  it("shows the gap between how a team rates its own work and how everyone else rates it", () => {
    const q = question(1, "agree5", { aboutDepartment: "marketing", tag: "handoff_quality" });
    const rows = answers(1, [
      ["marketing", 5],
      ["marketing", 4],
      ["marketing", 5],
      ["sales", 2],
      ["sales", 3],
      ["sales", 2],
    ]);
    const reciprocal = summarizePulse(pulse([q]), rows, DEPARTMENTS).questions[0]?.reciprocal;
    expect(reciprocal?.about.name).toBe("Marketing");
    expect(reciprocal?.self.mean).toBeCloseTo(14 / 3);
    expect(reciprocal?.others.mean).toBeCloseTo(7 / 3);
    expect(reciprocal?.gap).toBeCloseTo(-7 / 3);
  });

  it("drops a breakdown that, with the gap, would isolate a small group", () => {
    const q = question(1, "agree5", { aboutDepartment: "sales" });
    const rows = answers(1, [
      ["marketing", 5],
      ["marketing", 5],
      ["marketing", 5],
      ["sales", 2],
      ["sales", 2],
      ["sales", 2],
      ["product", 1],
    ]);
    const result = summarizePulse(pulse([q]), rows, DEPARTMENTS).questions[0];
    expect(result?.reciprocal?.self.count).toBe(3);
    expect(result?.reciprocal?.others.count).toBe(4);
    // marketing alone next to "everyone but sales" would give product's one answer away
    expect(result?.byDepartment?.some((g) => g.key === "marketing") ?? false).toBe(false);
  });

  it("shows free text only from the minimum on, alphabetically, never with anything about who wrote it", () => {
    const q = question(1, "text", { tag: "communication" });
    const few = summarizePulse(
      pulse([q]),
      answers(1, [
        ["sales", "zebra"],
        ["sales", "apple"],
      ]),
      DEPARTMENTS,
    );
    expect(few.questions[0]?.texts).toBeNull();
    const enough = summarizePulse(
      pulse([q]),
      answers(1, [
        ["sales", "zebra"],
        ["sales", "Apple"],
        ["marketing", "mango"],
      ]),
      DEPARTMENTS,
    );
    expect(enough.questions[0]?.texts).toEqual(["Apple", "mango", "zebra"]);
  });

  it("never reports participation above 100 % when more people answered than were counted as asked", () => {
    const results = summarizePulse(
      pulse([question(1)], { askedCount: 2 }),
      answers(1, [
        [null, 3],
        [null, 3],
        [null, 3],
      ]),
      DEPARTMENTS,
    );
    expect(results.asked).toBe(3);
    expect(results.participation).toBe(1);
  });
});

/** `n` answers from people of `department`, all giving `value`. */
const many = (department: string | null, n: number, value: number | string = 4): [string | null, number | string][] =>
  Array.from({ length: n }, () => [department, value]);

// Each rule alone: the fixtures keep every other rule from hiding the group in question,
// so a rule loosened by one (a group of min − 1 shown) cannot hide behind another.
describe.each([3, 4, 5])("every anonymity minimum, at exactly %i and one below", (min) => {
  const summarize = (q: ReturnType<typeof question>, rows: [string | null, number | string][]) =>
    summarizePulse(pulse([q], { minGroupSize: min }), answers(q.id, rows), DEPARTMENTS).questions[0];

  it("shows a question's figures from exactly min answers on", () => {
    expect(summarize(question(1), many("sales", min))).toMatchObject({ hidden: false, answers: min });
    expect(summarize(question(1), many("sales", min - 1))).toMatchObject({ hidden: true, mean: null });
    const hidden = summarizePulse(pulse([question(1)], { minGroupSize: min }), answers(1, many("sales", min - 1)), []);
    expect(resultsMessage(hidden, "UTC").text).not.toContain("Mean");
  });

  it("shows free text from exactly min answers on", () => {
    const q = question(1, "text", { tag: "communication" });
    expect(summarize(q, many("sales", min, "fine"))?.texts).toHaveLength(min);
    expect(summarize(q, many("sales", min - 1, "fine"))?.texts).toBeNull();
  });

  it("shows a department of exactly min answers, never one of min − 1", () => {
    const atMin = summarize(question(1), [...many("marketing", min, 5), ...many("sales", min, 2)]);
    expect(atMin?.byDepartment?.map((g) => [g.key, g.count])).toEqual([
      ["marketing", min],
      ["sales", min],
    ]);
    // product's min − 1 answers are not shown apart; product and sales together are enough
    // to form "everyone else", so the remainder rule does not hide anything here
    const below = summarize(question(1), [
      ...many("marketing", min + 1, 5),
      ...many("sales", min, 2),
      ...many("product", min - 1, 1),
    ]);
    expect(below?.byDepartment?.map((g) => g.key)).toEqual(["marketing", "other"]);
    expect(below?.byDepartment?.find((g) => g.key === "other")?.count).toBe(2 * min - 1);
    expect(below?.byDepartment?.some((g) => g.key === "product")).toBe(false);
  });

  it("leaves out a remainder of exactly min answers as everyone else, and merges one of min − 1", () => {
    const exact = summarize(question(1), [
      ...many("marketing", min + 1, 5),
      ...many("sales", min, 2),
      ...many("product", min - 1, 1),
      [null, 3],
    ]);
    expect(exact?.byDepartment?.map((g) => [g.key, g.count])).toEqual([
      ["marketing", min + 1],
      ["sales", min],
      ["other", min],
    ]);
    const short = summarize(question(1), [
      ...many("marketing", min + 1, 5),
      ...many("sales", min, 2),
      ...many("product", min - 1, 1),
    ]);
    // total minus marketing minus sales would be product's min − 1 answers: sales goes into the rest
    for (const group of short?.byDepartment ?? []) expect(group.count).toBeGreaterThanOrEqual(min);
    expect(short?.byDepartment?.some((g) => g.key === "sales")).toBe(false);
  });

  it("sets a team's rating of its own work beside everyone else's only when both sides have min", () => {
    const about = question(1, "agree5", { aboutDepartment: "marketing", tag: "handoff_quality" });
    expect(summarize(about, [...many("marketing", min, 5), ...many("sales", min, 2)])?.reciprocal).toMatchObject({
      self: { count: min },
      others: { count: min },
    });
    expect(summarize(about, [...many("marketing", min - 1, 5), ...many("sales", min + 3, 2)])?.reciprocal).toBeNull();
    // everyone else is one person short (for min 3: three marketing answers, two from sales)
    expect(summarize(about, [...many("marketing", min + 3, 5), ...many("sales", min - 1, 2)])?.reciprocal).toBeNull();
  });

  it("never publishes everyone else's rating when everyone else is one person", () => {
    const about = question(1, "agree5", { aboutDepartment: "marketing", tag: "handoff_quality" });
    const rows = answers(1, [...many("marketing", min, 5), ["sales", 1]]);
    const results = summarizePulse(pulse([about], { minGroupSize: min }), rows, DEPARTMENTS);
    expect(results.questions[0]?.reciprocal).toBeNull();
    expect(results.questions[0]?.byDepartment).toBeNull();
    const text = JSON.stringify(resultsMessage(results, "UTC"));
    expect(text).not.toContain("everyone else rates it");
    expect(text).not.toContain("Everyone else");
  });
});
