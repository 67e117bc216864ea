// Rules and their state in words, for `/kpi alerts`, confirmations and the alerts themselves.
import { DateTime } from "luxon";
import type { StoredAlert, StoredRule } from "./ports.ts";
import type { AlertWindow } from "./types.ts";

/** `the running month to date` / `the last complete week`. */
export function windowWords(window: AlertWindow): string {
  return window.toDate ? `the running ${window.grain} to date` : `the last complete ${window.grain}`;
}

/** `armed`, `fired (waits to be back within bounds)`, `paused`, `snoozed until Tue 8 Dec 09:00`. */
export function stateWords(rule: StoredRule, now: Date, zone: string, latest?: StoredAlert): string {
  if (rule.paused) return "paused";
  if (rule.snoozedUntil && rule.snoozedUntil > now) {
    const until = DateTime.fromJSDate(rule.snoozedUntil, { zone }).setLocale("en-US").toFormat("ccc d LLL HH:mm");
    const by = latest?.snoozedBy && latest.snoozedUntil?.getTime() === rule.snoozedUntil.getTime();
    return `snoozed until ${until}${by ? ` by ${latest?.snoozedBy}` : ""}`;
  }
  if (rule.state !== "firing") return "armed";
  const acknowledged = latest?.acknowledgedBy ? `, acknowledged by ${latest.acknowledgedBy}` : "";
  return `fired: waits to be back within bounds${acknowledged}`;
}
