// "Open a ritual" on an alert: the ritual the digest would open (one per channel, metric
// and period, so a digest's ritual for the same month is reused, not doubled), here as a
// reply in the alert's thread with the why-poll and the decision button.
import { describePeriod } from "../kpi/periods.ts";
import type { Period } from "../kpi/types.ts";
import type { ChatPlatform } from "../platform.ts";
import { ritualMessage } from "../rituals/messages.ts";
import type { RitualDeps } from "../rituals/ports.ts";
import { type Ritual, ritualThread } from "../rituals/types.ts";

export type AlertRitualRequest = {
  workspaceId: number;
  platform: ChatPlatform;
  channelId: string;
  /** the alert's message: the ritual is a reply in its thread */
  threadId: string;
  metric: { key: string; name: string; owners: string[] };
  period: Period;
  rule: { id: number; text: string };
  actor: string;
};

export async function openAlertRitual(
  deps: RitualDeps,
  request: AlertRitualRequest,
): Promise<{ ritual: Ritual; created: boolean }> {
  const { ritual, created } = await deps.store.open({
    workspaceId: request.workspaceId,
    platform: request.platform,
    channelId: request.channelId,
    threadId: request.threadId,
    metricKey: request.metric.key,
    periodKey: request.period.key,
  });
  if (!created) return { ritual, created };
  await deps.store.audit({
    workspaceId: request.workspaceId,
    actor: request.actor,
    action: "ritual.opened",
    detail: { ritualId: ritual.id, metric: request.metric.key, period: request.period.key, ruleId: request.rule.id },
  });
  const departments = await deps.store.departments(request.workspaceId);
  const periodLabel = describePeriod(request.period);
  const message = ritualMessage({
    ritual,
    metricName: request.metric.name,
    periodLabel,
    ownerNames: request.metric.owners.map((key) => departments.find((d) => d.key === key)?.name ?? key),
    figures: null,
    situation: `*${request.metric.name}* crossed alert rule #${request.rule.id} (\`${request.rule.text}\`) in ${periodLabel}.`,
  });
  try {
    await deps.messengers[request.platform]?.post(ritualThread(ritual), message);
  } catch (error) {
    // the ritual stands (`/kpi rituals` lists it); only its post in the thread is missing
    deps.logger.error("ritual could not be posted in the alert's thread", {
      ritualId: ritual.id,
      error: String(error),
    });
  }
  return { ritual, created };
}
