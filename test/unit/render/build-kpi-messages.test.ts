import { describe, expect, it } from "vitest";
import {
  compareMessage,
  errorMessage,
  funnelMessage,
  helpMessage,
  metricDetailMessage,
  snapshotMessage,
} from "../../../src/core/messages/build-kpi-messages.ts";
import { type BarsBlock, checkMessage, type Message, type MetricRowsBlock } from "../../../src/core/messages/model.ts";
import { fixtureMessages, worstCaseMessages } from "./all-messages.ts";
import {
  catalog,
  compare,
  def,
  funnel,
  hugeBreakdown,
  metrics,
  september,
  series,
  snapshot,
  worstMetrics,
} from "./fixtures.ts";

const blocksOf = <T extends Message["blocks"][number]["type"]>(message: Message, type: T) =>
  message.blocks.filter((b) => b.type === type) as Extract<Message["blocks"][number], { type: T }>[];

describe("KPI message builders", () => {
  it.each(fixtureMessages())("builds the %s message as before", (_name, message) => {
    expect(message).toMatchSnapshot();
  });

  it.each([...fixtureMessages(), ...worstCaseMessages()])(
    "keeps the %s message within the model's limits",
    (_n, message) => {
      expect(checkMessage(message)).toEqual([]);
    },
  );

  it("colours a change by the metric's better direction: a falling CAC is good, a falling rate is bad", () => {
    const rows = (blocksOf(snapshotMessage(snapshot, catalog), "metricRows")[0] as MetricRowsBlock).rows;
    expect(rows.find((r) => r.label === metrics.cac.name)?.change).toEqual({ text: "▼ 11.8%", tone: "good" });
    // a rate's change is in percentage points: 35.0% → 31.4%
    expect(rows.find((r) => r.label === metrics.mqlToSql.name)?.change).toEqual({ text: "▼ 3.6 pp", tone: "bad" });
    expect(rows.find((r) => r.label === metrics.leads.name)?.change?.tone).toBe("good");
  });

  it("shows value, target and status of each metric, and n/a for an undefined value", () => {
    const message = snapshotMessage(snapshot, catalog);
    expect(message.text).toContain("Customer acquisition cost: €1,235 · ▼ 11.8% (better) · target €1,300 · on track");
    expect(message.text).toContain(
      "MQL to SQL rate: 31.4% · ▼ 3.6 pp (worse) · target 33.0%, from the quarterly target",
    );
    expect(message.text).toContain("31.4%");
    expect(message.text).toMatch(/churn rate: n\/a/);
  });

  it("states the period and the status counts in the scorecard's small print", () => {
    const text = snapshotMessage(snapshot, catalog).text;
    expect(text).toContain("September 2026, compared with the previous month · 1 on track · 1 at risk · 1 off track");
  });

  it("pages a scorecard that would not fit, saying how many metrics were left out", () => {
    const many = [...worstMetrics, ...worstMetrics, ...worstMetrics];
    const message = snapshotMessage({ period: september, metrics: many }, catalog);
    const shown = (blocksOf(message, "metricRows")[0] as MetricRowsBlock).rows.length;
    expect(shown).toBeLessThan(many.length);
    expect(message.text).toContain(`…and ${many.length - shown} more metrics not shown`);
    expect(checkMessage(message)).toEqual([]);
  });

  it("draws a breakdown largest first, the top 10 and the rest summed as others", () => {
    const result = { ...metrics.revenueByChannel, breakdown: hugeBreakdown };
    const bars = blocksOf(
      metricDetailMessage(result, def("revenue_by_channel"), september, series),
      "bars",
    )[0] as BarsBlock;
    expect(bars.rows).toHaveLength(11);
    const values = bars.rows.slice(0, 10).map((r) => r.value);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    expect(bars.rows[0]?.value).toBe(Math.max(...Object.values(hugeBreakdown)));
    const othersTotal = Object.values(hugeBreakdown)
      .sort((a, b) => b - a)
      .slice(10)
      .reduce((a, b) => a + b, 0);
    expect(bars.rows[10]).toMatchObject({ label: "others (190)", value: othersTotal });
  });

  it("never sums averages into others: a score breakdown says what it left out", () => {
    const scores = Object.fromEntries(Array.from({ length: 14 }, (_, i) => [`team ${i}`, 1 + i / 4]));
    const result = { ...metrics.nps, key: "collaboration_score", unit: "score" as const, breakdown: scores };
    const message = metricDetailMessage(result, def("collaboration_score"), september, []);
    expect((blocksOf(message, "bars")[0] as BarsBlock).rows).toHaveLength(10);
    expect(message.text).toContain("…and 4 more not shown.");
  });

  it("gives a metric's detail with previous value, owners, a sparkline and the numbers behind it", () => {
    const text = metricDetailMessage(metrics.cac, def("cac"), september, series).text;
    expect(text).toContain("Previous month: €1,400");
    expect(text).toContain("Owners: Marketing, Sales (shared metric)");
    expect(text).toMatch(/Trend, last 8 months: [▁▂▃▄▅▆▇█ ]{8}/);
    expect(text).toContain("2026-05: n/a");
  });

  it("calls out the funnel's bottleneck by stage names", () => {
    const text = funnelMessage(funnel).text;
    expect(text).toContain("Bottleneck: MQLs → SQLs. MQL to SQL rate fell");
    expect(text).toContain("SQLs: 122 · ▼ 9.6% (worse) · previous 135");
    expect(text).toContain("Won deals: n/a");
    expect(funnelMessage({ ...funnel, bottleneck: null }).text).toContain("No bottleneck");
  });

  it("compares two departments on the metrics they share, in one table", () => {
    const message = compareMessage(compare);
    const table = blocksOf(message, "table")[0];
    expect(table?.columns).toEqual(["Metric", "Value", "Change", "Target", "Status"]);
    expect(table?.rows.map((r) => r[0])).toEqual([metrics.mqlToSql.name, metrics.cac.name, metrics.newRevenue.name]);
    expect(message.text).toContain("Marketing × Sales: shared metrics");
    expect(message.text).toContain("Change: ▼ 11.8% (better)");
  });

  it("answers help in the platform's words", () => {
    expect(helpMessage("/kpi").text).toContain('/pulse "QUESTION"');
    expect(helpMessage("kpi").text).toContain("kpi cac 2026-09");
    expect(helpMessage("kpi").text).not.toContain("/kpi");
  });

  it("answers an error privately with at most five suggestions", () => {
    const message = errorMessage("Unknown metric.", ["a", "b", "c", "d", "e", "f"]);
    expect(message.visibility).toBe("private");
    expect(message.text).toBe("Unknown metric.\nDid you mean a, b, c, d, e?");
  });
});
