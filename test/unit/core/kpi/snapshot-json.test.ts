import { describe, expect, it } from "vitest";
import { parsePeriod } from "../../../../src/core/kpi/periods.ts";
import { toContractJson } from "../../../../src/core/kpi/snapshot-json.ts";
import type { MetricResult, Snapshot } from "../../../../src/core/kpi/types.ts";

const NOW = new Date("2026-10-15T00:00:00Z");

function metric(overrides: Partial<MetricResult> = {}): MetricResult {
  return {
    key: "cac",
    name: "Customer acquisition cost",
    unit: "currency",
    value: 1234.5,
    previous: 1400,
    change: -0.118,
    target: 1300,
    status: "on_track",
    owners: ["marketing", "sales"],
    breakdown: null,
    ...overrides,
  };
}

describe("toContractJson", () => {
  it("produces exactly the public JSON object", () => {
    const snapshot: Snapshot = { period: parsePeriod("2026-09", NOW, "UTC"), metrics: [metric()] };
    expect(toContractJson(snapshot)).toEqual({
      period: { grain: "month", start: "2026-09-01T00:00:00.000Z", end: "2026-10-01T00:00:00.000Z" },
      metrics: [
        {
          key: "cac",
          name: "Customer acquisition cost",
          unit: "currency",
          value: 1234.5,
          previous: 1400,
          change: -0.118,
          target: 1300,
          status: "on_track",
          owners: ["marketing", "sales"],
          breakdown: null,
        },
      ],
    });
  });

  it("keeps only the contract's keys, in its order", () => {
    const extra = { ...metric(), decimals: 0, better: "down", description: "…" } as MetricResult;
    const snapshot: Snapshot = { period: parsePeriod("2026-W38", NOW, "America/New_York"), metrics: [extra] };
    const json = toContractJson(snapshot);
    expect(Object.keys(json)).toEqual(["period", "metrics"]);
    expect(Object.keys(json.period)).toEqual(["grain", "start", "end"]);
    expect(Object.keys(json.metrics[0] ?? {})).toEqual([
      "key",
      "name",
      "unit",
      "value",
      "previous",
      "change",
      "target",
      "status",
      "owners",
      "breakdown",
    ]);
  });

  it("writes period boundaries as UTC instants of the zone's midnights", () => {
    const snapshot: Snapshot = { period: parsePeriod("2026-W38", NOW, "America/New_York"), metrics: [] };
    expect(toContractJson(snapshot).period).toEqual({
      grain: "week",
      start: "2026-09-14T04:00:00.000Z",
      end: "2026-09-21T04:00:00.000Z",
    });
  });

  it("carries nulls and breakdowns unrounded, and never NaN or Infinity", () => {
    const snapshot: Snapshot = {
      period: parsePeriod("2026-Q3", NOW, "UTC"),
      metrics: [
        metric({ value: null, previous: Number.NaN, change: Number.POSITIVE_INFINITY, target: null, status: null }),
        metric({
          key: "revenue_by_channel",
          name: "Revenue by channel",
          breakdown: { paid_search: 80_000.125, webinar: 77_500 },
        }),
      ],
    };
    const json = toContractJson(snapshot);
    expect(json.metrics[0]).toMatchObject({ value: null, previous: null, change: null, target: null, status: null });
    expect(json.metrics[1]?.breakdown).toEqual({ paid_search: 80_000.125, webinar: 77_500 });
    // Survives a round trip through JSON unchanged.
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});
