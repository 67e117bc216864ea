// An alert's buttons in Teams, through Universal Actions: the shared actOnAlert records
// the press and updates the posted card for everyone; the invoke's answer is the alert as
// it now stands, which Teams shows in place of the clicked card. A refusal (a forged or
// unknown alert, another conversation's) is answered as a message, never an internal error.
import {
  ALERT_ACTION_PATTERN,
  type AlertActionDeps,
  actOnAlert,
  readAlertAction,
} from "../../core/alerts/act-on-alert.ts";
import type { CardActionHandler } from "./teams-app.ts";

/** `workspaceId`: the one workspace Teams serves. */
export function createAlertCardActions(deps: AlertActionDeps, workspaceId: number): CardActionHandler {
  return async (action) => {
    if (!ALERT_ACTION_PATTERN.test(action.verb)) return null;
    const pressed = readAlertAction(action.verb, action.data.value);
    const { caller } = action;
    const result = await actOnAlert(deps, pressed, {
      platform: "teams",
      workspaceId,
      channelId: caller.channelId ?? "",
      userId: caller.userId,
      name: caller.displayName ?? caller.userId,
    });
    return { message: result.message };
  };
}
