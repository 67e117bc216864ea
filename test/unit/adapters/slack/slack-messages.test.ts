// What the Slack adapter adds to the builders' messages (the share button, the App
// Home layout) keeps every worst case inside Slack's limits.
import { describe, expect, it } from "vitest";
import {
  digestBlocks,
  HOME_BLOCK_LIMIT,
  homeView,
  nextDigestAt,
  pulseBlocks,
} from "../../../../src/adapters/slack/home-view.ts";
import { withShareButton } from "../../../../src/adapters/slack/listeners/kpi-command.ts";
import { checkSlackLimits, toSlack } from "../../../../src/render/slack/render.ts";
import { worstCaseMessages } from "../../render/all-messages.ts";

describe("Slack answers at their worst case", () => {
  it.each(worstCaseMessages())("%s with a Share in channel button stays inside Slack's limits", (_name, message) => {
    const rendered = toSlack(
      withShareButton({ message, share: `compare marketing sales 2026-W38 ${"x".repeat(150)}` }),
    );
    expect(checkSlackLimits(rendered)).toEqual([]);
  });

  it("lays the biggest App Home out within Slack's 100 blocks", () => {
    const messages = worstCaseMessages().map(([, message]) => message);
    const schedules = Array.from({ length: 20 }, (_, i) => ({
      channelId: `C${i}`,
      cadence: "weekly",
      dayOfWeek: 1 + (i % 7),
      time: "09:00",
      timezone: "Europe/Berlin",
    }));
    const pulses = Array.from({ length: 20 }, (_, i) => ({
      id: i,
      title: "A very long pulse question ".repeat(20),
      channelId: `C${i}`,
      closesAt: new Date("2026-10-16T17:00:00Z"),
    }));
    const view = homeView([
      ...messages,
      digestBlocks(schedules, new Date("2026-10-14T09:00:00Z")),
      pulseBlocks(pulses, "UTC"),
    ]);
    expect(view.blocks.length).toBeLessThanOrEqual(HOME_BLOCK_LIMIT);
    expect(view.blocks.length).toBeGreaterThan(0);
    const sections = view.blocks.filter((block) => block.type === "section") as { text: { text: string } }[];
    for (const section of sections) expect(section.text.text.length).toBeLessThanOrEqual(3_000);
  });
});

describe("the next digest", () => {
  const monday9 = { channelId: "C1", cadence: "weekly", dayOfWeek: 1, time: "09:00", timezone: "Europe/Berlin" };

  it("is the coming weekday at the local time", () => {
    expect(nextDigestAt(monday9, new Date("2026-10-14T09:00:00Z")).toISO()).toBe("2026-10-19T09:00:00.000+02:00");
  });

  it("is next week once this week's has passed, across a DST change", () => {
    // Monday 26 Oct 2026 10:00 Berlin (CET after the change on the 25th)
    expect(nextDigestAt(monday9, new Date("2026-10-26T09:00:00Z")).toISO()).toBe("2026-11-02T09:00:00.000+01:00");
  });
});
