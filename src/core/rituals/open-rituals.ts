// After a digest is posted: each shared metric off track opens a ritual, a reply in the
// digest's thread that names the owning departments, asks why (one tap) and offers to
// record the decision. One ritual per (channel, metric, period): the unique key makes a
// second call (a retried digest, another replica) open nothing new.
import { formatMetricValue, formatTarget } from "../kpi/format.ts";
import { describePeriod } from "../kpi/periods.ts";
import type { Period, TargetSource, Unit } from "../kpi/types.ts";
import type { ChatPlatform } from "../platform.ts";
import { ritualMessage } from "./messages.ts";
import type { RitualDeps } from "./ports.ts";
import { type Ritual, ritualThread } from "./types.ts";

export type OffTrackMetric = {
  key: string;
  name: string;
  /** owning department keys */
  owners: string[];
  value?: number | null;
  target?: number | null;
  unit?: Unit;
  decimals?: number;
  /** ISO 4217 code, for a currency metric */
  currency?: string;
  /** set when the target was derived from another grain's */
  targetFrom?: TargetSource | null;
};

export type OpenRitualsRequest = {
  workspaceId: number;
  platform: ChatPlatform;
  channelId: string;
  /** the digest message: rituals are replies in its thread */
  threadId: string | null;
  period: Period;
  offTrackSharedMetrics: OffTrackMetric[];
};

/** At most this many rituals per digest: a thread of ten polls helps nobody. */
export const MAX_RITUALS_PER_DIGEST = 5;

function figures(metric: OffTrackMetric): string | null {
  if (metric.value === null || metric.value === undefined || !metric.unit) return null;
  const format = { unit: metric.unit, decimals: metric.decimals, currency: metric.currency };
  const value = formatMetricValue(format, metric.value);
  if (metric.target === null || metric.target === undefined) return value;
  return `${value} against a target of ${formatTarget({ ...format, target: metric.target, targetFrom: metric.targetFrom ?? null })}`;
}

export async function openRitualsForDigest(
  deps: RitualDeps,
  request: OpenRitualsRequest,
): Promise<{ opened: Ritual[]; existing: number; failed: number }> {
  const shared = request.offTrackSharedMetrics.filter((m) => m.owners.length >= 2).slice(0, MAX_RITUALS_PER_DIGEST);
  const departments = await deps.store.departments(request.workspaceId);
  const nameOf = (key: string) => departments.find((d) => d.key === key)?.name ?? key;
  const messenger = deps.messengers[request.platform];
  const result = { opened: [] as Ritual[], existing: 0, failed: 0 };
  for (const metric of shared) {
    const { ritual, created } = await deps.store.open({
      workspaceId: request.workspaceId,
      platform: request.platform,
      channelId: request.channelId,
      threadId: request.threadId,
      metricKey: metric.key,
      periodKey: request.period.key,
    });
    if (!created) {
      result.existing += 1;
      continue;
    }
    await deps.store.audit({
      workspaceId: request.workspaceId,
      actor: "tandem:digest",
      action: "ritual.opened",
      detail: { ritualId: ritual.id, metric: metric.key, period: request.period.key, channelId: request.channelId },
    });
    result.opened.push(ritual);
    if (!messenger) continue;
    const message = ritualMessage({
      ritual,
      metricName: metric.name,
      periodLabel: describePeriod(request.period),
      ownerNames: metric.owners.map(nameOf),
      figures: figures(metric),
    });
    try {
      await messenger.post(ritualThread(ritual), message);
    } catch (error) {
      result.failed += 1;
      deps.logger.error("ritual could not be posted in the digest thread", {
        ritualId: ritual.id,
        error: String(error),
      });
    }
  }
  return result;
}
