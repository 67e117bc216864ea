// What an alert's buttons need, for every surface: the rule store, the rituals (to open
// one in the alert's thread), the workspace's metrics and the platforms' messengers, the
// same retried ones pulses and rituals post through.
import type { AlertActionDeps } from "../core/alerts/act-on-alert.ts";
import { createAlertRuleStore } from "../store/alert-rules.ts";
import type { Database } from "../store/database.ts";
import { createKpiSettingsSource } from "../store/kpi-settings.ts";
import type { PulseServices } from "./pulse.ts";

export function alertActionDeps(db: Database, pulses: PulseServices): AlertActionDeps {
  const { rituals } = pulses;
  return {
    alerts: createAlertRuleStore(db),
    rituals,
    settingsSource: createKpiSettingsSource(db.prisma),
    messengers: rituals.messengers,
    clock: rituals.clock,
    logger: rituals.logger,
  };
}
