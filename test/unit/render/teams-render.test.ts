import { describe, expect, it } from "vitest";
import { snapshotMessage } from "../../../src/core/messages/build-kpi-messages.ts";
import { makeMessage } from "../../../src/core/messages/model.ts";
import {
  ADAPTIVE_CARD_CONTENT_TYPE,
  checkTeamsLimits,
  toAdaptiveCard,
  toCardMarkdown,
  toTeamsActivity,
} from "../../../src/render/teams/render.ts";
import { adaptiveCardProblems } from "./adaptive-card-validator.ts";
import { fixtureMessages } from "./all-messages.ts";
import { catalog, snapshot } from "./fixtures.ts";

const json = (value: unknown) => JSON.stringify(value);

describe("Teams renderer", () => {
  it.each(fixtureMessages())("renders the %s message as before", (_name, message) => {
    expect(toAdaptiveCard(message)).toMatchSnapshot();
  });

  it.each(fixtureMessages())("renders the %s message as a card Microsoft's library accepts", (_name, message) => {
    expect(adaptiveCardProblems(toAdaptiveCard(message))).toEqual([]);
  });

  it("declares Adaptive Card 1.5", () => {
    const card = toAdaptiveCard(snapshotMessage(snapshot, catalog));
    expect(card).toMatchObject({
      $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
      type: "AdaptiveCard",
      version: "1.5",
    });
  });

  it("colours a change by its tone and a status by how far off track it is", () => {
    const card = json(toAdaptiveCard(snapshotMessage(snapshot, catalog)));
    expect(card).toContain('"text":"▼ 11.8%","wrap":true,"color":"Good"');
    expect(card).toContain('"text":"▼ 3.6 pp","wrap":true,"color":"Attention"');
    expect(card).toContain('"text":"→ 0.0%","wrap":true,"color":"Default"');
    expect(card).toContain('"text":"at risk","wrap":true,"color":"Warning"');
    expect(card).toContain('"text":"off track","wrap":true,"color":"Attention"');
  });

  it("turns choices and actions into Action.Execute with the id as verb and the value as data", () => {
    const card = toAdaptiveCard(
      makeMessage([
        {
          type: "choices",
          id: "pulse:7:q0",
          options: Array.from({ length: 11 }, (_, i) => ({ label: String(i), value: String(i) })),
        },
        { type: "actions", buttons: [{ label: "Share", actionId: "share", value: "s1", style: "danger" }] },
      ]),
    );
    const sets = card.body.filter((e) => e.type === "ActionSet") as { actions: Record<string, unknown>[] }[];
    expect(sets.map((s) => s.actions.length)).toEqual([5, 5, 1, 1]);
    expect(sets[0]?.actions[2]).toEqual({
      type: "Action.Execute",
      title: "2",
      verb: "pulse:7:q0",
      data: { value: "2" },
    });
    expect(sets[3]?.actions[0]).toEqual({
      type: "Action.Execute",
      title: "Share",
      verb: "share",
      data: { value: "s1" },
      style: "destructive",
    });
  });

  it("converts markdown-lite to the card's markdown", () => {
    expect(toCardMarkdown("*Owners:* marketing, _shared_, `cac`, lead_to_mql_rate")).toBe(
      "**Owners:** marketing, _shared_, cac, lead_to_mql_rate",
    );
  });

  it("puts a separator where the message has a divider", () => {
    const card = toAdaptiveCard(
      makeMessage([{ type: "section", text: "above" }, { type: "divider" }, { type: "section", text: "below" }]),
    );
    expect(card.body).toEqual([
      { type: "TextBlock", text: "above", wrap: true },
      { type: "TextBlock", text: "below", wrap: true, separator: true, spacing: "Medium" },
    ]);
  });

  it("wraps the card in a Bot Framework message activity, the plain text as the card's fallback", () => {
    const message = snapshotMessage(snapshot, catalog);
    const activity = toTeamsActivity(message);
    expect(activity.type).toBe("message");
    expect(activity).not.toHaveProperty("text");
    expect(message.text.startsWith(activity.summary)).toBe(true);
    expect(activity.attachments[0]?.content.fallbackText).toBe(message.text);
    expect(activity.attachments).toEqual([
      { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: toAdaptiveCard(message) },
    ]);
  });

  it("reports a wrong version, an unknown element and an oversized card", () => {
    const problems = checkTeamsLimits({
      type: "AdaptiveCard",
      version: "1.6",
      body: [
        { type: "Carousel" },
        { type: "TextBlock", text: "x".repeat(90 * 1024), color: "Red" },
        { type: "ActionSet", actions: [{ type: "Action.Execute", title: "t" }] },
      ],
    });
    expect(problems).toEqual([
      "version: 1.6, Teams takes 1.5",
      expect.stringMatching(/^size: \d+ bytes ≥ 81920$/),
      "body[0]: unknown element Carousel",
      "body[1]: color Red",
      "body[2].actions[0]: Action.Execute without verb",
    ]);
  });
});
