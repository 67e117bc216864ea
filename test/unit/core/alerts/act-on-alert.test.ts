// The alert buttons' checks before anything is stored: a button is read with a schema
// (unknown names, ids out of range, a value that names another alert are refused in
// words), and a press only acts on an alert posted in the caller's workspace, platform
// and channel; anything else is answered as "no such alert", whatever exists elsewhere.
import { describe, expect, it } from "vitest";
import { type AlertCaller, actOnAlert, readAlertAction } from "../../../../src/core/alerts/act-on-alert.ts";
import type { AlertRuleStore, StoredAlert, StoredRule } from "../../../../src/core/alerts/ports.ts";
import { makeMessage } from "../../../../src/core/messages/model.ts";
import type { RitualDeps } from "../../../../src/core/rituals/ports.ts";
import { createFakeMessenger } from "../../../fakes/fake-messenger.ts";

describe("reading an alert button", () => {
  it("reads each button with its alert id", () => {
    expect(readAlertAction("alert_ack:12", "12")).toEqual({ button: "acknowledge", alertId: 12 });
    expect(readAlertAction("alert_snooze_day:3", "3")).toEqual({ button: "snoozeDay", alertId: 3 });
    expect(readAlertAction("alert_snooze_week:3", undefined)).toEqual({ button: "snoozeWeek", alertId: 3 });
    expect(readAlertAction("alert_ritual:7", 7)).toEqual({ button: "ritual", alertId: 7 });
  });

  it.each([
    ["alert_ack:12", "13", "the button's value does not match its alert"],
    ["alert_nuke:12", "12", "unknown alert button alert_nuke"],
    ["alert_ack:0", "0", "not an alert button"],
    ["alert_ack:-1", "-1", "not an alert button"],
    ["alert_ack:9999999999", "9999999999", "alert id out of range"],
    ["alert_ack:1;drop", "1", "not an alert button"],
    [42, "42", "expected string"],
    [`alert_ack:${"1".repeat(80)}`, "1", "Too big"],
  ])("refuses %s (value %s) in words", (id, value, reason) => {
    expect(() => readAlertAction(id, value)).toThrow(
      expect.objectContaining({ code: "invalid_input", message: expect.stringContaining(reason) }),
    );
  });
});

const RULE: StoredRule = {
  id: 4,
  workspaceId: 1,
  platform: "slack",
  channelId: "CALERTS",
  rule: "cac above 5000",
  source: "chat",
  createdBy: "U1",
  paused: false,
  state: "firing",
  crossings: 1,
  snoozedUntil: null,
};
const ALERT: StoredAlert = {
  id: 9,
  ruleId: 4,
  crossing: 1,
  status: "posted",
  value: 7000,
  message: makeMessage([{ type: "section", text: "CAC is $7,000." }], { visibility: "channel" }),
  messageId: "1.1",
  acknowledgedBy: null,
  snoozedUntil: null,
  snoozedBy: null,
  ritualId: null,
  createdAt: new Date("2026-10-14T09:00:00Z"),
};

function deps(found: { alert: StoredAlert; rule: StoredRule } | null) {
  const acknowledged: string[] = [];
  const alerts = {
    getAlert: async (id: number) => (found && id === found.alert.id ? found : null),
    acknowledge: async (_id: number, who: string) => {
      acknowledged.push(who);
      return true;
    },
  } as unknown as AlertRuleStore;
  const messenger = createFakeMessenger();
  const rituals = { store: { zone: async () => "UTC", get: async () => null } } as unknown as RitualDeps;
  const now = new Date("2026-10-14T10:00:00Z");
  return {
    acknowledged,
    messenger,
    deps: {
      alerts,
      rituals,
      settingsSource: { load: async () => ({}) as never },
      messengers: { slack: messenger },
      clock: { now: () => now },
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    },
  };
}

const ADA: AlertCaller = { platform: "slack", workspaceId: 1, channelId: "CALERTS", userId: "U1", name: "ada" };

describe("pressing an alert button", () => {
  it.each([
    ["no such alert", null, ADA],
    ["another workspace's alert", { alert: ALERT, rule: { ...RULE, workspaceId: 2 } }, ADA],
    ["another channel's alert", { alert: ALERT, rule: RULE }, { ...ADA, channelId: "COTHER" }],
    ["another platform's alert", { alert: ALERT, rule: { ...RULE, platform: "teams" as const } }, ADA],
    ["an alert never posted", { alert: { ...ALERT, status: "failed" as const, messageId: null }, rule: RULE }, ADA],
  ])("answers %s as not found and records nothing", async (_case, found, caller) => {
    const { deps: d, acknowledged, messenger } = deps(found);
    await expect(actOnAlert(d, { button: "acknowledge", alertId: 9 }, caller)).rejects.toMatchObject({
      code: "not_found",
      message: "There is no alert #9 posted in this channel. Use the buttons under an alert Tandem posted here.",
    });
    expect([acknowledged, messenger.updates]).toEqual([[], []]);
  });

  it("records who acknowledged and updates the posted message in place", async () => {
    const { deps: d, acknowledged, messenger } = deps({ alert: ALERT, rule: RULE });
    const result = await actOnAlert(d, { button: "acknowledge", alertId: 9 }, ADA);
    expect([acknowledged, result.changed]).toEqual([["ada"], true]);
    expect(messenger.updates.map((u) => u.target)).toEqual([
      { platform: "slack", workspaceId: 1, channelId: "CALERTS", messageId: "1.1" },
    ]);
  });
});
