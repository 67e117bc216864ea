// `tandem digest preview --json`: the digest as data. Metrics have exactly the shape of
// `tandem kpi --json`'s (unrounded, null where undefined), so a reader can
// check the digest's numbers against `tandem kpi PERIOD --json` key by key.

import { periodJson } from "../kpi/periods.ts";
import { type ContractMetric, toContractJson } from "../kpi/snapshot-json.ts";
import type { Grain } from "../kpi/types.ts";
import type { Digest, DigestMetric } from "./digest-types.ts";

export type DigestJson = {
  period: { grain: Grain; start: string; end: string };
  /** the written form of the period (2026-W47) */
  periodKey: string;
  summary: {
    text: string;
    sharedMetrics: number;
    onTrack: number;
    atRisk: number;
    offTrack: number;
    noTarget: number;
    /** `change` is relative, as everywhere in JSON; `score` is how unusual it is for the metric (robust z-score) */
    biggestChange: { key: string; name: string; change: number | null; score: number } | null;
  };
  metrics: ContractMetric[];
  departments: {
    key: string;
    name: string;
    metrics: number;
    onTrack: number;
    atRisk: number;
    offTrack: number;
    noTarget: number;
  }[];
  pairs: { departments: [string, string]; metrics: ContractMetric[] }[];
  funnel: { stages: { key: string; label: string; count: number | null; previous: number | null }[] };
  bottleneck: { from: string; to: string; metric: string; reason: string } | null;
  pulse: {
    collaborationScore: number | null;
    previous: number | null;
    change: number | null;
    participation: number | null;
    byDepartment: Record<string, number>;
    gap: { high: string; low: string; points: number } | null;
  } | null;
  /** decisions and their outcome checks; `verdict` is null until the check is posted */
  decisions: {
    metric: string;
    periodKey: string;
    decision: string;
    checkAt: string;
    status: string;
    verdict: string | null;
    value: number | null;
    target: number | null;
    baseline: number | null;
  }[];
};

const num = (value: number | null | undefined) => (typeof value === "number" && Number.isFinite(value) ? value : null);

export function digestJson(digest: Digest): DigestJson {
  const contract = (metrics: DigestMetric[]) => toContractJson({ period: digest.period, metrics }).metrics;
  const byKey = new Map(digest.metrics.map((m) => [m.key, m]));
  const { pulse, summary } = digest;
  return {
    period: periodJson(digest.period),
    periodKey: digest.period.key,
    summary: {
      text: summary.text,
      sharedMetrics: summary.sharedMetrics,
      onTrack: summary.onTrack,
      atRisk: summary.atRisk,
      offTrack: summary.offTrack,
      noTarget: summary.noTarget,
      biggestChange: summary.biggestChange
        ? {
            key: summary.biggestChange.key,
            name: summary.biggestChange.name,
            change: summary.biggestChange.change,
            score: summary.biggestChange.score,
          }
        : null,
    },
    metrics: contract(digest.metrics),
    departments: digest.departments.map((d) => ({
      key: d.key,
      name: d.name,
      metrics: d.metrics,
      onTrack: d.onTrack,
      atRisk: d.atRisk,
      offTrack: d.offTrack,
      noTarget: d.noTarget,
    })),
    pairs: digest.pairs.map((pair) => ({
      departments: pair.departments,
      metrics: contract(pair.metricKeys.map((key) => byKey.get(key)).filter((m): m is DigestMetric => m !== undefined)),
    })),
    funnel: {
      stages: digest.funnel.stages.map((s) => ({
        key: s.key,
        label: s.label,
        count: num(s.count),
        previous: num(s.previous),
      })),
    },
    bottleneck: digest.funnel.bottleneck
      ? {
          from: digest.funnel.bottleneck.from,
          to: digest.funnel.bottleneck.to,
          metric: digest.funnel.bottleneck.metric,
          reason: digest.funnel.bottleneck.reason,
        }
      : null,
    pulse: pulse
      ? {
          collaborationScore: num(pulse.collaboration.value),
          previous: num(pulse.collaboration.previous),
          change: num(pulse.collaboration.change),
          participation: num(pulse.participation.value),
          byDepartment: Object.fromEntries(pulse.byDepartment.map((d) => [d.key, d.score])),
          gap: pulse.gap ? { high: pulse.gap.high.key, low: pulse.gap.low.key, points: pulse.gap.points } : null,
        }
      : null,
    decisions: digest.decisions.map((d) => ({
      metric: d.metricKey,
      periodKey: d.periodKey,
      decision: d.decision,
      checkAt: d.outcome.dueAt.toISOString(),
      status: d.outcome.status,
      verdict: d.outcome.verdict,
      value: num(d.outcome.value),
      target: num(d.outcome.target),
      baseline: num(d.outcome.baseline),
    })),
  };
}
