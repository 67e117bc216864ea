// The `/kpi` verbs that only read numbers: the scorecards, one metric in detail, the
// funnel and a comparison of two departments. Each answer carries the command that shares it.

import { AppError, ErrorCode } from "../../core/errors.ts";
import { compareDepartments } from "../../core/kpi/compare-departments.ts";
import { computeSeries } from "../../core/kpi/engine.ts";
import { getFunnel } from "../../core/kpi/get-funnel.ts";
import { getKpiSnapshot, type KpiSnapshotResult } from "../../core/kpi/get-kpi-snapshot.ts";
import { describePeriod } from "../../core/kpi/periods.ts";
import {
  compareMessage,
  funnelMessage,
  helpMessage,
  metricDetailMessage,
  snapshotMessage,
} from "../../core/messages/build-kpi-messages.ts";
import { makeMessage } from "../../core/messages/model.ts";
import { departmentName, type KpiHandler } from "./kpi-handler.ts";
import type { KpiAnswer } from "./types.ts";

export const SERIES_LENGTH = 8;

function snapshotAnswer(result: KpiSnapshotResult, title: string, share: string): KpiAnswer {
  const when = describePeriod(result.snapshot.period);
  return {
    message: snapshotMessage(result.snapshot, result.catalog, { title: `${title} · ${when}` }),
    share: `${share} ${result.snapshot.period.key}`,
  };
}

export const answerHelp: KpiHandler<"help">["run"] = async (_command, { prefix }) => ({
  message: helpMessage(prefix),
  share: null,
});

/** Your department's scorecard; the shared metrics, and how to join one, until you have joined. */
export const answerScorecard: KpiHandler<"scorecard">["run"] = async (command, context) => {
  const { workspace, caller, kpi, admin, prefix } = context;
  const mine = await admin.memberDepartment(workspace.id, caller.platform, caller.userId);
  const result = await getKpiSnapshot(kpi, {
    workspaceId: workspace.id,
    zone: workspace.timezone,
    period: command.period,
    department: mine?.key ?? null,
  });
  if (mine) return snapshotAnswer(result, mine.name, mine.key);
  const shared = snapshotAnswer(result, "Shared metrics", "shared");
  const blocks = [
    ...shared.message.blocks,
    {
      type: "context" as const,
      text: `These are the metrics two or more departments share. \`${prefix} join DEPARTMENT\` shows your own department's scorecard here.`,
    },
  ];
  return { message: makeMessage(blocks), share: shared.share };
};

export const answerShared: KpiHandler<"shared">["run"] = async (command, { workspace, kpi }) =>
  snapshotAnswer(
    await getKpiSnapshot(kpi, { workspaceId: workspace.id, zone: workspace.timezone, period: command.period }),
    "Shared metrics",
    "shared",
  );

export const answerDepartment: KpiHandler<"department">["run"] = async (command, { workspace, kpi, settings }) =>
  snapshotAnswer(
    await getKpiSnapshot(kpi, {
      workspaceId: workspace.id,
      zone: workspace.timezone,
      period: command.period,
      department: command.department,
    }),
    departmentName(settings, command.department),
    command.department,
  );

export const answerMetric: KpiHandler<"metric">["run"] = async (command, { workspace, kpi, settings }) => {
  const result = await getKpiSnapshot(kpi, {
    workspaceId: workspace.id,
    zone: workspace.timezone,
    words: command.words,
  });
  const metricResult = result.snapshot.metrics[0];
  const def = metricResult ? result.catalog.get(metricResult.key) : undefined;
  if (!metricResult || !def) throw new AppError(ErrorCode.NotFound, `I couldn't compute “${command.words}”.`);
  const series = await computeSeries(
    { stats: kpi.stats, settings, catalog: result.catalog },
    { workspaceId: workspace.id, metricKey: def.key, period: result.snapshot.period, count: SERIES_LENGTH },
  );
  return {
    message: metricDetailMessage(metricResult, def, result.snapshot.period, series),
    share: `${def.key} ${result.snapshot.period.key}`,
  };
};

export const answerFunnel: KpiHandler<"funnel">["run"] = async (command, { workspace, kpi }) => {
  const funnel = await getFunnel(kpi, { workspaceId: workspace.id, zone: workspace.timezone, period: command.period });
  return { message: funnelMessage(funnel), share: `funnel ${funnel.period.key}` };
};

export const answerCompare: KpiHandler<"compare">["run"] = async (command, { workspace, kpi, settings }) => {
  const comparison = await compareDepartments(kpi, {
    workspaceId: workspace.id,
    zone: workspace.timezone,
    a: command.a,
    b: command.b,
    period: command.period,
  });
  return {
    message: compareMessage({
      ...comparison,
      a: departmentName(settings, comparison.a),
      b: departmentName(settings, comparison.b),
    }),
    share: `compare ${comparison.a} ${comparison.b} ${comparison.period.key}`,
  };
};
