import { describe, expect, it } from "vitest";
import { parseKpiCommand, parseMention, parseNumber } from "../../../../src/core/kpi/parse-kpi-command.ts";
import { looksLikePeriod } from "../../../../src/core/kpi/period-words.ts";

const ctx = {
  departments: [
    { key: "marketing", name: "Marketing" },
    { key: "sales", name: "Sales" },
    { key: "customer_success", name: "Customer Success" },
  ],
  looksLikePeriod,
};
const parse = (text: string) => parseKpiCommand(text, ctx);

describe("the /kpi grammar", () => {
  it("reads an empty command, or a bare period, as the caller's scorecard", () => {
    expect(parse("")).toEqual({ kind: "scorecard", period: "" });
    expect(parse("  2026-Q3 ")).toEqual({ kind: "scorecard", period: "2026-Q3" });
  });

  it("leaves metric words and period to the snapshot use case", () => {
    expect(parse("cac 2026-09")).toEqual({ kind: "metric", words: "cac 2026-09" });
    expect(parse("customer acquisition cost")).toEqual({ kind: "metric", words: "customer acquisition cost" });
  });

  it("recognises departments by key or name, with or without a period", () => {
    expect(parse("Marketing")).toEqual({ kind: "department", department: "marketing", period: "" });
    expect(parse("customer success 2026-W38")).toEqual({
      kind: "department",
      department: "customer_success",
      period: "2026-W38",
    });
  });

  it("reads funnel, help, shared and compare", () => {
    expect(parse("funnel")).toEqual({ kind: "funnel", period: "" });
    expect(parse("FUNNEL 2026-09")).toEqual({ kind: "funnel", period: "2026-09" });
    expect(parse("funnel last month")).toEqual({ kind: "funnel", period: "last month" });
    expect(parse("funnel Q5")).toEqual({ kind: "funnel", period: "Q5" });
    // an alias that starts with the word
    expect(parse("funnel conversion last month")).toEqual({ kind: "metric", words: "funnel conversion last month" });
    expect(parse("help")).toEqual({ kind: "help" });
    expect(parse("shared quarter")).toEqual({ kind: "shared", period: "quarter" });
    expect(parse("compare Marketing vs sales 2026-Q3")).toEqual({
      kind: "compare",
      a: "marketing",
      b: "sales",
      period: "2026-Q3",
    });
    expect(parse("compare marketing")).toMatchObject({ kind: "invalid" });
  });

  it("reads join, member and token", () => {
    expect(parse("join customer success")).toEqual({ kind: "join", department: "customer success" });
    expect(parse("join")).toMatchObject({ kind: "invalid" });
    expect(parse("member <@U12AB|grace> sales")).toEqual({
      kind: "member",
      userId: "U12AB",
      userName: "grace",
      department: "sales",
    });
    expect(parse("member @grace sales")).toMatchObject({ kind: "invalid" });
    expect(parse("token crm-sync")).toEqual({ kind: "token", name: "crm-sync" });
    expect(parse("token two words")).toMatchObject({ kind: "invalid" });
  });

  it("reads targets: multi-word metric, value, optional grain and department", () => {
    expect(parse("target cac 1,300")).toEqual({
      kind: "target",
      metric: "cac",
      value: 1300,
      percent: false,
      grain: null,
      department: null,
    });
    expect(parse("target lead to mql rate 35% quarterly customer success")).toEqual({
      kind: "target",
      metric: "lead to mql rate",
      value: 0.35,
      percent: true,
      grain: "quarter",
      department: "customer success",
    });
    expect(parse("target 35%")).toMatchObject({ kind: "invalid" });
    expect(parse("target cac")).toMatchObject({ kind: "invalid" });
  });
});

describe("numbers and mentions", () => {
  it.each([
    ["35%", { value: 0.35, percent: true }],
    ["0.35", { value: 0.35, percent: false }],
    ["1,300", { value: 1300, percent: false }],
    ["$4500", { value: 4500, percent: false }],
    ["-2.5", { value: -2.5, percent: false }],
    [".5", { value: 0.5, percent: false }],
  ])("parses %s", (text, expected) => {
    expect(parseNumber(text)).toEqual(expected);
  });

  it.each(["abc", "1,30", "12a", "%", ""])("refuses %s", (text) => {
    expect(parseNumber(text)).toBeNull();
  });

  it("parses Slack's escaped mentions only", () => {
    expect(parseMention("<@U123>")).toEqual({ userId: "U123", userName: null });
    expect(parseMention("<@W9|ada lovelace>")).toEqual({ userId: "W9", userName: "ada lovelace" });
    expect(parseMention("<#C123|general>")).toBeNull();
    expect(parseMention("@ada")).toBeNull();
  });
});

describe("the cap on a command's length", () => {
  const tooLong =
    /^That command is (more than 2,000|[\d,]+) characters long; Tandem reads commands of up to 1,000 characters\./;

  it("answers a 1 MB command and a 20,000-word command with the length error", () => {
    for (const text of ["x".repeat(1_000_000), "cac ".repeat(20_000), "marketing ".repeat(20_000)]) {
      const command = parse(text);
      expect(command.kind).toBe("invalid");
      expect(command.kind === "invalid" && command.message).toMatch(tooLong);
    }
  });

  it("counts characters, not UTF-16 units, near the cap", () => {
    // 600 Chinese characters outside the Basic Multilingual Plane: 1,200 UTF-16 units, 600 characters
    expect(parse("𠀀".repeat(600)).kind).toBe("metric");
    expect(parse("x".repeat(1_001))).toMatchObject({ kind: "invalid" });
  });

  it("parses a command just under the cap", () => {
    const text = `customer success${" ".repeat(977)}2026-09`;
    expect(text.length).toBe(1_000);
    expect(parse(text)).toEqual({ kind: "department", department: "customer_success", period: "2026-09" });
  });

  it("reads alert rules, the admin's changes to them and the list", () => {
    expect(parse("alert cac above 5000")).toEqual({ kind: "alert", rule: "cac above 5000" });
    expect(parse("alerts")).toEqual({ kind: "alerts" });
    expect(parse("alert pause 3")).toEqual({ kind: "alertChange", action: "pause", id: 3 });
    expect(parse("alert resume #3")).toEqual({ kind: "alertChange", action: "resume", id: 3 });
    expect(parse("alert remove 3")).toEqual({ kind: "alertChange", action: "delete", id: 3 });
    expect(parse("alert delete three")).toMatchObject({
      kind: "invalid",
      message: expect.stringMatching(/by its number/),
    });
    expect(parse("alert")).toMatchObject({ kind: "invalid", message: expect.stringMatching(/Give a rule/) });
  });
});
