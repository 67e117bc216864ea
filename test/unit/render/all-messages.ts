// Every message kind the KPI builders produce, on the fixed fixture and at its worst case.
import {
  compareMessage,
  errorMessage,
  funnelMessage,
  helpMessage,
  metricDetailMessage,
  snapshotMessage,
} from "../../../src/core/messages/build-kpi-messages.ts";
import type { Message } from "../../../src/core/messages/model.ts";
import {
  catalog,
  compare,
  def,
  funnel,
  hugeBreakdown,
  LONG_NAME,
  metrics,
  september,
  series,
  snapshot,
  worstCompare,
  worstFunnel,
  worstMetrics,
  worstPulse,
  worstSeries,
} from "./fixtures.ts";

export function fixtureMessages(): [string, Message][] {
  return [
    ["snapshot", snapshotMessage(snapshot, catalog, { title: "Marketing scorecard" })],
    ["metric detail", metricDetailMessage(metrics.cac, def("cac"), september, series)],
    [
      "metric detail with breakdown",
      metricDetailMessage(metrics.revenueByChannel, def("revenue_by_channel"), september, series),
    ],
    ["funnel", funnelMessage(funnel)],
    ["compare", compareMessage(compare)],
    ["compare without shared metrics", compareMessage({ ...compare, a: "product", b: "finance", shared: [] })],
    ["help (Slack)", helpMessage("/kpi")],
    ["help (Teams)", helpMessage("kpi")],
    ["error", errorMessage("I don't know the metric “cak”.", ["cac", "cpl"])],
  ];
}

export function worstCaseMessages(): [string, Message][] {
  const longDef = { ...def("revenue_by_channel"), name: LONG_NAME, description: "<&>".repeat(400) };
  const worstResult = { ...(worstMetrics[0] as NonNullable<(typeof worstMetrics)[0]>), breakdown: hugeBreakdown };
  const scoreResult = { ...worstResult, unit: "score" as const };
  return [
    ["snapshot", snapshotMessage({ period: september, metrics: worstMetrics }, catalog, { title: "T".repeat(400) })],
    ["metric detail", metricDetailMessage(worstResult, longDef, september, worstSeries)],
    [
      "metric detail, score breakdown",
      metricDetailMessage(scoreResult, { ...longDef, unit: "score" }, september, worstSeries),
    ],
    ["funnel", funnelMessage(worstFunnel)],
    ["compare", compareMessage(worstCompare)],
    ["help", helpMessage("/kpi")],
    [
      "error",
      errorMessage(
        "&".repeat(5000),
        Array.from({ length: 40 }, () => LONG_NAME),
      ),
    ],
    ["pulse", worstPulse()],
  ];
}
