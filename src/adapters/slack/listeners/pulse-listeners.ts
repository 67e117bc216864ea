// Everything pulses and rituals add to the Slack app; slack-app.ts registers it with
// the services the composition root built (createChat in src/main/chat.ts).
import type { App } from "@slack/bolt";
import type { PulseServices } from "../../../app/pulse.ts";
import type { SlackEnv } from "../slack-env.ts";
import { registerPulseActions } from "./pulse-actions.ts";
import { registerPulseCommand } from "./pulse-command.ts";
import { registerPulseDraftActions } from "./pulse-draft-actions.ts";
import { registerRitualActions } from "./ritual-actions.ts";

export function registerPulseListeners(app: App, env: SlackEnv, services: PulseServices): void {
  registerPulseCommand(app, env, services);
  registerPulseActions(app, env, services);
  registerPulseDraftActions(app, env, services);
  registerRitualActions(app, env, services);
}

/** For SlackDeps.register: `register: [pulseRegistration(services)]`. */
export function pulseRegistration(services: PulseServices): (app: App, env: SlackEnv) => void {
  return (app, env) => registerPulseListeners(app, env, services);
}
