// A click on a posted alert's button, the same on Slack and Teams: Acknowledge (who),
// Snooze a day or a week (until when, by whom), Open a ritual. The button is read with a
// schema and must name an alert Tandem posted in the caller's workspace and channel; each
// change is a compare-and-set in the store, so a second press, or two people at once,
// records it once; then the posted message is rebuilt from what is stored and updated in
// place for everyone.
import { z } from "zod";
import type { Messenger } from "../delivery/ports.ts";
import { AppError, ErrorCode } from "../errors.ts";
import { buildCatalog } from "../kpi/catalog.ts";
import type { Message } from "../messages/model.ts";
import type { ChatPlatform } from "../platform.ts";
import type { Clock, KpiSettingsSource, Logger } from "../ports.ts";
import type { RitualDeps } from "../rituals/ports.ts";
import { ALERT_BUTTONS, type AlertButton, type AlertState, alertMessage } from "./alert-message.ts";
import { alertWindows } from "./alert-windows.ts";
import { openAlertRitual } from "./open-alert-ritual.ts";
import { parseAlertRule } from "./parse-alert-rule.ts";
import type { AlertRuleStore, StoredAlert, StoredRule } from "./ports.ts";

const DAY_MS = 86_400_000;
export const SNOOZE_MS: Record<"snoozeDay" | "snoozeWeek", number> = { snoozeDay: DAY_MS, snoozeWeek: 7 * DAY_MS };

const BUTTON_NAMES = Object.keys(ALERT_BUTTONS) as [AlertButton, ...AlertButton[]];
const byActionName = new Map(BUTTON_NAMES.map((name) => [ALERT_BUTTONS[name], name]));

/** An action id or verb that claims to be an alert button (the adapters route these here). */
export const ALERT_ACTION_PATTERN = /^alert_[a-z_]+:/;

const AlertActionSchema = z
  .object({
    id: z
      .string()
      .max(64)
      .regex(/^alert_[a-z_]+:[1-9]\d{0,9}$/, "not an alert button"),
    value: z.union([z.string(), z.number()]).optional(),
  })
  .transform(({ id, value }, issue) => {
    const [name = "", number = ""] = id.split(":");
    const button = byActionName.get(name as (typeof ALERT_BUTTONS)[AlertButton]);
    const alertId = Number(number);
    if (!button) issue.addIssue({ code: "custom", message: `unknown alert button ${name}` });
    if (alertId > 2_147_483_647) issue.addIssue({ code: "custom", message: "alert id out of range" });
    if (value !== undefined && String(value) !== number)
      issue.addIssue({ code: "custom", message: "the button's value does not match its alert" });
    return { button: button ?? "acknowledge", alertId };
  });

export type AlertAction = { button: AlertButton; alertId: number };

/** The button as clicked (Slack's action_id and value, Teams' verb and data.value); throws a clear refusal. */
export function readAlertAction(id: unknown, value: unknown): AlertAction {
  const parsed = AlertActionSchema.safeParse({ id, value: value ?? undefined });
  if (!parsed.success) {
    throw new AppError(
      ErrorCode.InvalidInput,
      `That button is not one Tandem can act on (${parsed.error.issues[0]?.message ?? "malformed"}). ` +
        "Use the buttons under the alert as posted.",
    );
  }
  return parsed.data;
}

export type AlertActionDeps = {
  alerts: AlertRuleStore;
  rituals: RitualDeps;
  settingsSource: KpiSettingsSource;
  /** each platform's messenger (retried), to update the posted alert */
  messengers: Partial<Record<ChatPlatform, Messenger>>;
  clock: Clock;
  logger: Logger;
};

export type AlertCaller = {
  platform: ChatPlatform;
  /** the Tandem workspace the request belongs to */
  workspaceId: number;
  /** the channel the click came from (without a thread): only the alert's own is acted on */
  channelId: string;
  userId: string;
  /** the name the platform gives, else the user id */
  name: string;
};

export type AlertActionResult = {
  /** the alert as it now stands, with the buttons still useful */
  message: Message;
  /** false when the press changed nothing (done already): `note` says why */
  changed: boolean;
  note: string;
};

const notFound = (alertId: number) =>
  new AppError(
    ErrorCode.NotFound,
    `There is no alert #${alertId} posted in this channel. Use the buttons under an alert Tandem posted here.`,
  );

async function posted(deps: AlertActionDeps, action: AlertAction, caller: AlertCaller) {
  const found = await deps.alerts.getAlert(action.alertId);
  // another workspace's, platform's or channel's alert is answered as if it did not exist
  if (
    !found ||
    found.rule.workspaceId !== caller.workspaceId ||
    found.rule.platform !== caller.platform ||
    found.rule.channelId !== caller.channelId
  )
    throw notFound(action.alertId);
  const { alert, rule } = found;
  if (alert.status !== "posted" || !alert.message || !alert.messageId) throw notFound(action.alertId);
  return { alert: { ...alert, message: alert.message, messageId: alert.messageId }, rule };
}

function stateOf(alert: StoredAlert, ritualThread: string | null | undefined): AlertState {
  return {
    acknowledgedBy: alert.acknowledgedBy,
    snoozedUntil: alert.snoozedUntil,
    snoozedBy: alert.snoozedBy,
    ritual: alert.ritualId === null ? null : ritualThread === alert.messageId ? "here" : "elsewhere",
  };
}

export async function actOnAlert(
  deps: AlertActionDeps,
  action: AlertAction,
  caller: AlertCaller,
): Promise<AlertActionResult> {
  const { alert, rule } = await posted(deps, action, caller);
  const now = deps.clock.now();
  const zone = await deps.rituals.store.zone(rule.workspaceId);
  const done = await apply(deps, action, caller, { alert, rule, now });

  const current = async () => {
    const fresh = (await deps.alerts.getAlert(alert.id))?.alert ?? alert;
    const ritual = fresh.ritualId === null ? null : await deps.rituals.store.get(fresh.ritualId);
    return alertMessage(alert.message, alert.id, stateOf(fresh, ritual?.threadId), zone);
  };
  let message = await current();
  if (done.changed) {
    const target = { platform: caller.platform, workspaceId: rule.workspaceId, channelId: rule.channelId };
    const update = (m: Message) =>
      deps.messengers[caller.platform]?.update({ ...target, messageId: alert.messageId }, m);
    try {
      await update(message);
      // someone else's press may have landed while this update was on its way: show both
      const after = await current();
      if (JSON.stringify(after) !== JSON.stringify(message)) {
        message = after;
        await update(message);
      }
    } catch (error) {
      // the change is stored (`/kpi alerts` shows it); only the message on screen is behind
      deps.logger.warn("alert message could not be updated", { alertId: alert.id, error: String(error) });
    }
  }
  return { message, ...done };
}

async function apply(
  deps: AlertActionDeps,
  action: AlertAction,
  caller: AlertCaller,
  { alert, rule, now }: { alert: StoredAlert & { messageId: string }; rule: StoredRule; now: Date },
): Promise<{ changed: boolean; note: string }> {
  switch (action.button) {
    case "acknowledge": {
      if (await deps.alerts.acknowledge(alert.id, caller.name, now)) return { changed: true, note: "Acknowledged." };
      const again = (await deps.alerts.getAlert(alert.id))?.alert.acknowledgedBy;
      return { changed: false, note: `Already acknowledged by ${again ?? "someone"}.` };
    }
    case "snoozeDay":
    case "snoozeWeek": {
      const until = new Date(now.getTime() + SNOOZE_MS[action.button]);
      if (await deps.alerts.snooze(alert.id, { until, who: caller.name, now }))
        return { changed: true, note: "Snoozed." };
      const again = (await deps.alerts.getAlert(alert.id))?.alert;
      return { changed: false, note: `Already snoozed${again?.snoozedBy ? ` by ${again.snoozedBy}` : ""}.` };
    }
    case "ritual": {
      if (alert.ritualId !== null) return { changed: false, note: "A ritual is open for this alert already." };
      const settings = await deps.settingsSource.load(rule.workspaceId);
      const catalog = buildCatalog(settings);
      let parsed: ReturnType<typeof parseAlertRule>;
      try {
        parsed = parseAlertRule(rule.rule, catalog);
      } catch {
        throw new AppError(
          ErrorCode.Conflict,
          `Rule #${rule.id} watches a metric the configuration no longer has, so no ritual can be opened for it.`,
        );
      }
      const metric = catalog.get(parsed.metric);
      const zone = await deps.rituals.store.zone(rule.workspaceId);
      const { ritual, created } = await openAlertRitual(deps.rituals, {
        workspaceId: rule.workspaceId,
        platform: caller.platform,
        channelId: rule.channelId,
        threadId: alert.messageId,
        metric: { key: parsed.metric, name: metric?.name ?? parsed.metric, owners: metric?.owners ?? [] },
        period: alertWindows(parsed, alert.createdAt, zone).full,
        rule: { id: rule.id, text: rule.rule },
        actor: `${caller.platform}:${caller.userId}`,
      });
      const linked = await deps.alerts.setRitual(alert.id, ritual.id);
      if (!linked) return { changed: false, note: "A ritual is open for this alert already." };
      return {
        changed: true,
        note: created ? "Ritual opened in the alert's thread." : "A ritual on this metric was open already.",
      };
    }
  }
}
