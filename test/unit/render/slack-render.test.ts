import { describe, expect, it } from "vitest";
import { snapshotMessage } from "../../../src/core/messages/build-kpi-messages.ts";
import { type Block, makeMessage } from "../../../src/core/messages/model.ts";
import {
  checkSlackLimits,
  choiceActionId,
  escapeMrkdwn,
  parseChoiceActionId,
  toSlack,
} from "../../../src/render/slack/render.ts";
import { fixtureMessages } from "./all-messages.ts";
import { catalog, metrics, september, snapshot } from "./fixtures.ts";

const allText = (value: unknown) => JSON.stringify(value);

describe("Slack renderer", () => {
  it.each(fixtureMessages())("renders the %s message as before", (_name, message) => {
    expect(toSlack(message)).toMatchSnapshot();
  });

  it("escapes &, < and > of a metric name in mrkdwn and in the fallback text", () => {
    const evil = { ...metrics.cac, name: "<script>&" };
    const rendered = toSlack(snapshotMessage({ period: september, metrics: [evil] }, catalog));
    expect(allText(rendered.blocks)).toContain("*&lt;script&gt;&amp;*");
    expect(rendered.text).toContain("&lt;script&gt;&amp;: €1,235");
    expect(allText(rendered)).not.toContain("<script>");
  });

  it("escapes only Slack's three control characters, leaving formatting alone", () => {
    expect(escapeMrkdwn("*a* & _b_ <c> `d`")).toBe("*a* &amp; _b_ &lt;c&gt; `d`");
  });

  it("keeps header text plain, as Slack requires", () => {
    const rendered = toSlack(makeMessage([{ type: "header", text: "Q3 & <beyond>" }]));
    expect(rendered.blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "Q3 & <beyond>", emoji: true },
    });
  });

  it("marks a change's tone with a coloured circle next to the arrow", () => {
    const sections = allText(toSlack(snapshotMessage(snapshot, catalog)).blocks);
    expect(sections).toContain(":large_green_circle: ▼ 11.8%");
    expect(sections).toContain(":red_circle: ▼ 3.6 pp");
    expect(sections).toContain(":white_circle: → 0.0%");
  });

  it("gives each choice button an action id the adapter can route back to the choice and option", () => {
    const message = makeMessage([
      {
        type: "choices",
        id: "pulse:42:q1",
        prompt: "How aligned are we?",
        options: [
          { label: "1", value: "1" },
          { label: "2", value: "2" },
        ],
      },
    ]);
    const [prompt, actions] = toSlack(message).blocks;
    expect(prompt).toMatchObject({ type: "section", text: { type: "mrkdwn", text: "How aligned are we?" } });
    expect(actions).toMatchObject({
      type: "actions",
      block_id: "pulse:42:q1",
      elements: [
        { type: "button", action_id: "pulse:42:q1:0", value: "1" },
        { type: "button", action_id: "pulse:42:q1:1", value: "2" },
      ],
    });
    expect(parseChoiceActionId(choiceActionId("pulse:42:q1", 1))).toEqual({ choiceId: "pulse:42:q1", index: 1 });
  });

  it("maps button styles and image alt text", () => {
    const rendered = toSlack(
      makeMessage([
        { type: "actions", buttons: [{ label: "Share in channel", actionId: "share", value: "v", style: "primary" }] },
        { type: "image", url: "https://example.com/c.png", altText: "CAC over 8 months" },
      ]),
    );
    expect(rendered.blocks).toEqual([
      {
        type: "actions",
        elements: [
          {
            type: "button",
            text: { type: "plain_text", text: "Share in channel", emoji: true },
            action_id: "share",
            value: "v",
            style: "primary",
          },
        ],
      },
      { type: "image", image_url: "https://example.com/c.png", alt_text: "CAC over 8 months" },
    ]);
  });

  it("splits a long section into several sections rather than cutting it", () => {
    const lines = Array.from({ length: 60 }, (_, i) => `line ${i} ${"x".repeat(90)}`);
    const rendered = toSlack(makeMessage([{ type: "section", text: lines.join("\n") }]));
    expect(rendered.blocks.length).toBeGreaterThan(1);
    const joined = rendered.blocks.map((b) => (b as { text: { text: string } }).text.text).join("\n");
    expect(joined).toBe(lines.join("\n"));
  });

  it("refuses to render a message over Slack's limits (a programming error, not a silent cut)", () => {
    const blocks: Block[] = Array.from({ length: 51 }, () => ({ type: "divider" }));
    expect(() => toSlack(makeMessage(blocks, { text: "t" }))).toThrow(/blocks: 51 > 50/);
  });

  it("lists every limit a hand-made payload breaks", () => {
    const problems = checkSlackLimits({
      text: "",
      blocks: [
        { type: "header", text: { type: "plain_text", text: "h".repeat(151) } },
        { type: "section", text: { type: "mrkdwn", text: "s".repeat(3001) } },
        { type: "section", fields: Array.from({ length: 11 }, () => ({ type: "mrkdwn", text: "f".repeat(2001) })) },
        {
          type: "actions",
          block_id: "b",
          elements: [
            {
              type: "button",
              text: { type: "plain_text", text: "x".repeat(76) },
              action_id: "a",
              value: "v".repeat(2001),
            },
            { type: "button", text: { type: "plain_text", text: "y" }, action_id: "a" },
          ],
        },
        { type: "image", block_id: "b", image_url: "u", alt_text: "" },
        { type: "table" },
      ],
    });
    expect(problems).toEqual([
      "text: empty fallback text",
      "blocks[0] header: 151 > 150",
      "blocks[1] section: 3001 > 3000",
      "blocks[2] section fields: 11 > 10",
      ...Array.from({ length: 11 }, () => "blocks[2] section field: 2001 > 2000"),
      "blocks[3] actions button text: 76 > 75",
      "blocks[3] actions value: 2001 > 2000",
      "blocks[3] actions: duplicate action_id a",
      "blocks[4] image: duplicate block_id b",
      "blocks[4] image: no alt_text",
      "blocks[5] table: a block type this renderer does not produce",
    ]);
  });
});
