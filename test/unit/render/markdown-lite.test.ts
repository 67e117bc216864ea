import { describe, expect, it } from "vitest";
import { parseInline, stripInline } from "../../../src/core/messages/markdown-lite.ts";
import { checkMessage, clip, makeMessage } from "../../../src/core/messages/model.ts";

describe("markdown-lite", () => {
  it("recognises bold, italic and code at word edges", () => {
    expect(parseInline("*Owners:* _shared_ `cac` x")).toEqual([
      { text: "Owners:", style: "bold" },
      { text: " ", style: "plain" },
      { text: "shared", style: "italic" },
      { text: " ", style: "plain" },
      { text: "cac", style: "code" },
      { text: " x", style: "plain" },
    ]);
  });

  it("leaves underscores inside words and lone asterisks alone", () => {
    expect(stripInline("lead_to_mql_rate is 2 * 3 and snake_case_name")).toBe(
      "lead_to_mql_rate is 2 * 3 and snake_case_name",
    );
  });

  it("does not format inside code", () => {
    expect(parseInline("`*not bold*`")).toEqual([{ text: "*not bold*", style: "code" }]);
  });
});

describe("message model", () => {
  it("clips text with an ellipsis, counting characters rather than UTF-16 units", () => {
    expect(clip("abcdef", 4)).toBe("abc…");
    expect(clip("📈📈📈", 3)).toBe("📈📈📈");
  });

  it("derives the fallback text from the blocks", () => {
    const message = makeMessage([
      { type: "header", text: "CAC" },
      { type: "section", text: "*Owners:* marketing" },
      { type: "bars", rows: [{ label: "webinar", value: 3, display: "3" }] },
    ]);
    expect(message.text).toBe("CAC\nOwners: marketing\n• webinar: 3");
  });

  it("flags a builder that breaks the model's budgets", () => {
    const problems = checkMessage(
      makeMessage([
        { type: "header", text: "h".repeat(151) },
        { type: "table", columns: ["a", "b"], rows: [["only one"]] },
        { type: "choices", id: "c", options: [] },
        { type: "bars", rows: [{ label: "x", value: -1, display: "-1" }] },
      ]),
    );
    expect(problems).toEqual([
      "blocks[0] header: 151 > 150",
      "blocks[1] table: a row has 1 cells",
      "blocks[2] choices: no options",
      "blocks[3] bars: bar value -1",
    ]);
  });
});
