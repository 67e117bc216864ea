// Every message is kept inside the platforms' limits by design. Each
// builder at its worst (every metric, 80-character names, a 200-label breakdown, a
// five-question pulse) must still render for Slack and Teams without a violation.
import { describe, expect, it } from "vitest";
import { checkSlackLimits, toSlack } from "../../../src/render/slack/render.ts";
import {
  checkTeamsLimits,
  jsonBytes,
  TEAMS_LIMITS,
  toAdaptiveCard,
  toTeamsActivity,
} from "../../../src/render/teams/render.ts";
import { toPlainText } from "../../../src/render/text/render.ts";
import { adaptiveCardProblems } from "./adaptive-card-validator.ts";
import { worstCaseMessages } from "./all-messages.ts";

describe.each(worstCaseMessages())("the %s message at its worst", (_name, message) => {
  it("stays within Slack's limits", () => {
    const rendered = toSlack(message);
    expect(checkSlackLimits(rendered)).toEqual([]);
  });

  it("stays within Teams' limits, as a valid Adaptive Card 1.5", () => {
    const card = toAdaptiveCard(message);
    expect(checkTeamsLimits(card)).toEqual([]);
    expect(adaptiveCardProblems(card)).toEqual([]);
    expect(jsonBytes(toTeamsActivity(message))).toBeLessThan(TEAMS_LIMITS.maxBytes);
  });

  it("prints as plain text", () => {
    expect(toPlainText(message).length).toBeGreaterThan(0);
  });
});
