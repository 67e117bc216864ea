// Evaluates the alert rules and posts each crossing once. Called when a workspace's
// facts change (an import, an ingest call, a source sync) and by the scheduler at least
// hourly. Each window's numbers are computed once for every rule that watches it; a
// crossing is claimed in the database (compare-and-set on the rule) before anything is
// built or posted, so two schedulers on one database never both post it; a rule re-arms
// only when its metric is back within bounds.

import type { Messenger } from "../delivery/ports.ts";
import { PROMPT_RETRY_POLICY, type RetryPolicy, withRetries } from "../delivery/retries.ts";
import { describeError, errorText } from "../describe-error.ts";
import { buildCatalog, type Catalog } from "../kpi/catalog.ts";
import { computeSeries, computeSnapshot } from "../kpi/engine.ts";
import { sparkline } from "../kpi/format.ts";
import { shiftPeriod } from "../kpi/periods.ts";
import type { KpiSettings, MetricResult, Period } from "../kpi/types.ts";
import { commandPrefix, type Platform } from "../platform.ts";
import type { Clock, FactStats, KpiSettingsSource, Logger } from "../ports.ts";
import { type AlertFacts, alertBody, alertMessage } from "./alert-message.ts";
import { type AlertWindows, alertWindows } from "./alert-windows.ts";
import { type AlertJudgement, evaluateAlert, nextStep } from "./evaluate-alert.ts";
import { parseAlertRule } from "./parse-alert-rule.ts";
import type { AlertRuleStore, StoredRule } from "./ports.ts";
import type { AlertRule } from "./types.ts";

export type RunAlertsDeps = {
  rules: AlertRuleStore;
  stats: FactStats;
  settingsSource: KpiSettingsSource;
  /** the workspace's IANA zone: periods are its local midnights */
  zoneOf(workspaceId: number): Promise<string>;
  /** the platforms' messenger; retried here with `retry` */
  messenger: Messenger;
  clock: Clock;
  logger: Logger;
  /** this process's name in the claims */
  worker: string;
  retry?: RetryPolicy;
};

export type AlertOutcome = "posted" | "failed" | "taken" | "rearmed";
export type AlertReport = {
  ruleId: number;
  workspaceId: number;
  platform: Platform;
  outcome: AlertOutcome;
  alertId?: number;
};

/** The trend a posted alert shows: this many periods of the rule's grain. */
const TREND_PERIODS = 8;

type Planned = { stored: StoredRule; rule: AlertRule; windows: AlertWindows };

export async function runAlerts(deps: RunAlertsDeps, options: { workspaceId?: number } = {}): Promise<AlertReport[]> {
  const now = deps.clock.now();
  const active = (await deps.rules.active(options.workspaceId)).filter(
    (rule) => !rule.snoozedUntil || rule.snoozedUntil <= now,
  );
  const byWorkspace = new Map<number, StoredRule[]>();
  for (const rule of active) byWorkspace.set(rule.workspaceId, [...(byWorkspace.get(rule.workspaceId) ?? []), rule]);
  const reports: AlertReport[] = [];
  for (const [workspaceId, rules] of byWorkspace) {
    try {
      reports.push(...(await runWorkspace(deps, workspaceId, rules, now)));
    } catch (error) {
      deps.logger.error("alert rules could not be evaluated", { workspaceId, error: describeError(error) });
    }
  }
  return reports;
}

/** One snapshot per window, with every metric the rules watching it need. */
function snapshotter(deps: RunAlertsDeps, workspaceId: number, settings: KpiSettings, catalog: Catalog) {
  const wanted = new Map<string, { period: Period; metrics: Set<string> }>();
  const keyOf = (p: Period) => `${p.startMs}:${p.endMs}:${p.grain}`;
  const results = new Map<string, Map<string, MetricResult>>();
  return {
    want(period: Period, metrics: string[]) {
      const entry = wanted.get(keyOf(period)) ?? { period, metrics: new Set<string>() };
      for (const metric of metrics) entry.metrics.add(metric);
      wanted.set(keyOf(period), entry);
    },
    async compute() {
      await Promise.all(
        [...wanted].map(async ([key, { period, metrics }]) => {
          const snapshot = await computeSnapshot(
            { stats: deps.stats, settings, catalog },
            { workspaceId, period, metricKeys: [...metrics] },
          );
          results.set(key, new Map(snapshot.metrics.map((m) => [m.key, m])));
        }),
      );
    },
    get: (period: Period, metric: string) => results.get(keyOf(period))?.get(metric) ?? null,
  };
}

async function runWorkspace(
  deps: RunAlertsDeps,
  workspaceId: number,
  rules: StoredRule[],
  now: Date,
): Promise<AlertReport[]> {
  const [settings, zone] = await Promise.all([deps.settingsSource.load(workspaceId), deps.zoneOf(workspaceId)]);
  const catalog = buildCatalog(settings);
  const numbers = snapshotter(deps, workspaceId, settings, catalog);
  const planned: Planned[] = [];
  for (const stored of rules) {
    try {
      const rule = parseAlertRule(stored.rule, catalog);
      const windows = alertWindows(rule, now, zone);
      numbers.want(windows.current, [rule.metric, ...(rule.minimum ? [rule.minimum.metric] : [])]);
      const c = rule.condition;
      if (windows.base && c.kind !== "status" && "vs" in c && c.vs === "year_ago")
        numbers.want(windows.base, [rule.metric]);
      planned.push({ stored, rule, windows });
    } catch (error) {
      // a metric removed from the config since: the rule waits, the others run
      deps.logger.warn("alert rule cannot be read", { ruleId: stored.id, error: errorText(error) });
    }
  }
  await numbers.compute();

  const reports: AlertReport[] = [];
  for (const { stored, rule, windows } of planned) {
    const current = numbers.get(windows.current, rule.metric);
    const c = rule.condition;
    const yearAgo = c.kind !== "status" && "vs" in c && c.vs === "year_ago";
    const base = windows.base && yearAgo ? numbers.get(windows.base, rule.metric)?.value : current?.previous;
    const metric = catalog.get(rule.metric);
    if (!current || !metric) continue;
    const judgement = evaluateAlert(rule, metric, windows, {
      value: current.value,
      base: base ?? null,
      target: current.target,
      volume: rule.minimum ? (numbers.get(windows.current, rule.minimum.metric)?.value ?? null) : null,
    });
    const step = nextStep(stored.state, judgement);
    if (step === "rearm" && (await deps.rules.rearm(stored, now))) {
      deps.logger.info("alert rule re-armed", { ruleId: stored.id });
      reports.push({ ruleId: stored.id, workspaceId, platform: stored.platform, outcome: "rearmed" });
    }
    if (step === "fire" && judgement.state === "crossed") {
      reports.push(await fire(deps, { stored, rule, windows, judgement, current, settings, catalog, zone, now }));
    }
  }
  return reports;
}

type Firing = Planned & {
  judgement: Exclude<AlertJudgement, { state: "quiet" }>;
  current: MetricResult;
  settings: KpiSettings;
  catalog: Catalog;
  zone: string;
  now: Date;
};

async function fire(deps: RunAlertsDeps, firing: Firing): Promise<AlertReport> {
  const { stored, judgement, now } = firing;
  const report = (outcome: AlertOutcome, alertId?: number): AlertReport => ({
    ruleId: stored.id,
    workspaceId: stored.workspaceId,
    platform: stored.platform,
    outcome,
    ...(alertId === undefined ? {} : { alertId }),
  });
  const alert = await deps.rules.claimCrossing({ rule: stored, worker: deps.worker, value: judgement.value, now });
  if (!alert) return report("taken");
  const log = { ruleId: stored.id, alertId: alert.id, channelId: stored.channelId };
  try {
    const body = alertBody(await alertFacts(deps, firing, alert.id));
    const messenger = withRetries(deps.messenger, deps.retry ?? PROMPT_RETRY_POLICY, (error, waitMs) =>
      deps.logger.warn("alert delivery failed; retrying", { ...log, status: error.status, waitMs }),
    );
    const posted = await messenger.post(
      { platform: stored.platform, workspaceId: stored.workspaceId, channelId: stored.channelId },
      alertMessage(body, alert.id, {}, firing.zone),
    );
    await deps.rules.markPosted(alert.id, posted.messageId, body);
    deps.logger.info("alert posted", { ...log, messageId: posted.messageId });
    return report("posted", alert.id);
  } catch (error) {
    // The crossing stays claimed (the rule is firing): it is not posted twice, and the
    // failure is on record for `/kpi alerts` and the log.
    await deps.rules.markFailed(alert.id, errorText(error)).catch(() => {});
    deps.logger.error("alert could not be posted", { ...log, error: describeError(error) });
    return report("failed", alert.id);
  }
}

async function alertFacts(deps: RunAlertsDeps, firing: Firing, alertId: number): Promise<AlertFacts> {
  const { stored, rule, windows, settings, catalog, current } = firing;
  const def = catalog.get(rule.metric);
  const engine = { stats: deps.stats, settings, catalog };
  const workspaceId = stored.workspaceId;
  const [series, latest, mover] = await Promise.all([
    computeSeries(engine, { workspaceId, metricKey: rule.metric, period: windows.full, count: TREND_PERIODS }),
    deps.rules.latestFactAt(workspaceId),
    biggestMover(deps, firing),
  ]);
  const names = new Map(settings.departments.map((d) => [d.key, d.name]));
  return {
    alertId,
    ruleId: stored.id,
    ruleText: stored.rule,
    rule,
    metric: {
      key: rule.metric,
      name: def?.name ?? rule.metric,
      unit: current.unit,
      decimals: def?.decimals,
      currency: current.currency,
    },
    windows,
    judgement: firing.judgement,
    trend: { line: sparkline(series.map((point) => point.value)), periods: series.length },
    mover,
    owners: current.owners.map((key) => names.get(key) ?? key),
    freshness: latest,
    now: firing.now,
    zone: firing.zone,
    prefix: commandPrefix(stored.platform),
  };
}

/** The breakdown label (channel, department) whose value moved most against the base period. */
async function biggestMover(deps: RunAlertsDeps, firing: Firing): Promise<AlertFacts["mover"]> {
  const { current, windows, rule, settings, catalog, stored } = firing;
  if (!current.breakdown || Object.keys(current.breakdown).length === 0) return null;
  const base = windows.base ?? shiftPeriod(windows.full, -1);
  const snapshot = await computeSnapshot(
    { stats: deps.stats, settings, catalog },
    { workspaceId: stored.workspaceId, period: base, metricKeys: [rule.metric] },
  );
  const before = snapshot.metrics[0]?.breakdown ?? {};
  // the base's totals scaled to the current window's length (a running month against a whole one)
  const scale = windows.base
    ? windows.baseScale
    : (windows.current.endMs - windows.current.startMs) / (base.endMs - base.startMs);
  let best: AlertFacts["mover"] = null;
  for (const label of new Set([...Object.keys(current.breakdown), ...Object.keys(before)])) {
    const change = (current.breakdown[label] ?? 0) - (before[label] ?? 0) * scale;
    if (!best || Math.abs(change) > Math.abs(best.change)) best = { label, change };
  }
  return best && best.change !== 0 ? best : null;
}
