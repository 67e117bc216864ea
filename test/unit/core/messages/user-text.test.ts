import { describe, expect, it } from "vitest";
import { parseFact } from "../../../../src/core/facts/fact.ts";
import { makeMessage } from "../../../../src/core/messages/model.ts";
import {
  asName,
  cleanStrings,
  QUOTED_CHARS,
  quoted,
  withoutControlChars,
} from "../../../../src/core/messages/user-text.ts";

const CONTROL = /(?![\t\n])[\p{Cc}\p{Bidi_Control}]/u;

describe("text people typed, quoted back", () => {
  it("loses NULs, escape sequences, bells, DEL, C1 controls and bidi overrides, keeping lines and tabs", () => {
    expect(withoutControlChars("a\u0000b\u001b[31mc\u0007d\u007fe\u0085f\u202eg\u2066h")).toBe("ab[31mcdefgh");
    expect(withoutControlChars("line 1\r\nline 2\rline 3\n\tindented")).toBe("line 1\nline 2\nline 3\n\tindented");
    expect(withoutControlChars("日本語 · émigré · 😀")).toBe("日本語 · émigré · 😀");
  });

  it("is quoted in error messages escaped and clipped, so a huge value is not repeated", () => {
    expect(quoted("we\u0000ird")).toBe('"we\\u0000ird"');
    const huge = quoted("x".repeat(1_000_000));
    expect(huge.length).toBe(QUOTED_CHARS + 2);
    expect(huge.endsWith('…"')).toBe(true);
    expect(asName("amount")).toBe("amount");
    expect(asName("amo\u0000unt")).toBe('"amo\\u0000unt"');
  });

  it("never reaches a message: makeMessage cleans every block and the fallback text", () => {
    const message = makeMessage(
      [
        { type: "header", text: "Head\u0000er" },
        { type: "section", text: "I don't know “ca\u0000c\u001b[2J”" },
        { type: "table", columns: ["A\u0007"], rows: [["b\u0000"]] },
      ],
      { visibility: "private" },
    );
    expect(JSON.stringify(message)).not.toMatch(/\\u00[01][0-9a-f]/);
    expect(message.text).toContain("cac[2J");
    expect(makeMessage([{ type: "section", text: "x" }], { text: "fall\u0000back" }).text).toBe("fallback");
  });

  it("leaves clean values as they are (the same objects)", () => {
    const blocks = [{ type: "section", text: "clean" }];
    expect(cleanStrings(blocks)).toBe(blocks);
  });

  it("bounds what a fact's errors repeat of a value", () => {
    const result = parseFact({ occurred_at: "9".repeat(100_000), kind: "k".repeat(100_000), entity_id: "e" }, "UTC");
    if (result.ok) throw new Error("expected errors");
    for (const error of result.errors) expect(error.message.length).toBeLessThan(300);
    const weird = parseFact({ occurred_at: "2026-09-14", kind: "lead", entity_id: "e", "x\u0000\u001b": 1 }, "UTC");
    if (weird.ok) throw new Error("expected errors");
    expect(weird.errors[0]?.field).toBe('"x\\u0000\\u001b"');
    expect(weird.errors[0]?.field).not.toMatch(CONTROL);
  });
});
