import { describe, expect, it } from "vitest";
import { parsePulseCommand } from "../../../../src/core/pulse/parse-pulse-command.ts";

describe("the /pulse grammar", () => {
  it("opens the form when nothing follows", () => {
    expect(parsePulseCommand("  ")).toEqual({ kind: "form" });
  });

  it("reads a quoted question, straight or curly quotes", () => {
    expect(parsePulseCommand('"How well did we work together?"')).toEqual({
      kind: "ask",
      question: "How well did we work together?",
    });
    expect(parsePulseCommand("“Did the hand-off work?”")).toEqual({ kind: "ask", question: "Did the hand-off work?" });
  });

  it("reads options after the question: a duration, a tag, named", () => {
    expect(parsePulseCommand('"Q?" 48h #communication named')).toEqual({
      kind: "ask",
      question: "Q?",
      durationMs: 48 * 3_600_000,
      tag: "communication",
      anonymous: false,
    });
  });

  it("unescapes what Slack escapes", () => {
    expect(parsePulseCommand('"Sales &amp; marketing &lt;3?"')).toEqual({
      kind: "ask",
      question: "Sales & marketing <3?",
    });
  });

  it("takes unquoted text as the question", () => {
    expect(parsePulseCommand("Was the offsite useful?")).toEqual({ kind: "ask", question: "Was the offsite useful?" });
  });

  it("knows the templates, close, results, stop and answer", () => {
    expect(parsePulseCommand("handoff 3d")).toEqual({ kind: "template", key: "handoff", durationMs: 3 * 86_400_000 });
    expect(parsePulseCommand("close")).toEqual({ kind: "close", pulseId: null });
    expect(parsePulseCommand("results #12")).toEqual({ kind: "results", pulseId: 12 });
    expect(parsePulseCommand("stop 4")).toEqual({ kind: "stop", pulseId: 4 });
    expect(parsePulseCommand("answer 12 2 yes")).toEqual({ kind: "answer", pulseId: 12, position: 2, value: "yes" });
  });

  it("explains what it does not understand", () => {
    expect(parsePulseCommand('"Q?" tomorrow').kind).toBe("invalid");
    expect(parsePulseCommand("close soon").kind).toBe("invalid");
  });

  it("takes any number as a pulse number, so the answer is 'no such pulse', not a usage lesson", () => {
    expect(parsePulseCommand("close 1e23")).toEqual({ kind: "close", pulseId: 1e23 });
    expect(parsePulseCommand("results -1")).toEqual({ kind: "results", pulseId: -1 });
    expect(parsePulseCommand("stop #1.5")).toEqual({ kind: "stop", pulseId: 1.5 });
    expect(parsePulseCommand("answer 100000000000000000000000 1 4")).toMatchObject({ kind: "answer", pulseId: 1e23 });
    expect(parsePulseCommand("close 12abc").kind).toBe("invalid");
  });

  it("quotes back at most 60 characters of a word it does not understand", () => {
    const word = `x${"y".repeat(100_000)}`;
    for (const command of [parsePulseCommand(`"Q?" ${word}`), parsePulseCommand(`"Q?" ${"9".repeat(5_000)}h`)]) {
      if (command.kind !== "invalid") throw new Error("expected invalid");
      expect(command.message.length).toBeLessThan(200);
      expect(command.message).toContain("…”");
    }
  });
});
