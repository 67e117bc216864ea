import { describe, expect, it } from "vitest";
import { adWindow } from "../../../../src/core/sources/ad-window.ts";
import { googleAdsChannel, googleAdsQuery, mapGoogleAdsRows } from "../../../../src/core/sources/google-ads.ts";
import { mapMetaInsight } from "../../../../src/core/sources/meta-ads.ts";
import { googleAdsRow, metaInsight } from "../../../fakes/vendors/examples.ts";

const mapping = { source: "gads", zone: "Europe/Paris" };

describe("Google Ads rows", () => {
  it("sum cost micros per day and channel type into spend facts, department marketing", () => {
    const records = mapGoogleAdsRows(
      [
        googleAdsRow("2026-09-14", "SEARCH", "1250000", "1"),
        googleAdsRow("2026-09-14", "SEARCH", "2000001", "2"),
        googleAdsRow("2026-09-14", "DISPLAY", "990000"),
        googleAdsRow("2026-09-15", "VIDEO", "5000000"),
      ],
      mapping,
    );
    expect(records.map((r) => r.key)).toEqual(["gads:day:2026-09-14", "gads:day:2026-09-15"]);
    expect(records[0]?.facts).toEqual([
      {
        occurredMs: Date.parse("2026-09-13T22:00:00Z"),
        kind: "spend",
        entityId: null,
        value: 0.99,
        channel: "display",
        department: "marketing",
        segment: null,
        externalId: "gads:day:2026-09-14:spend:display",
      },
      expect.objectContaining({
        value: 3.250001,
        channel: "paid_search",
        externalId: "gads:day:2026-09-14:spend:paid_search",
      }),
    ]);
    expect(records[1]?.facts.map((f) => [f.channel, f.value])).toEqual([["video", 5]]);
    expect(records[0]?.currency).toBe("USD");
  });

  it("name SEARCH, DISPLAY and VIDEO as channels and any other type in lower case", () => {
    expect(["SEARCH", "DISPLAY", "VIDEO", "PERFORMANCE_MAX", "SHOPPING"].map(googleAdsChannel)).toEqual([
      "paid_search",
      "display",
      "video",
      "performance_max",
      "shopping",
    ]);
  });

  it("add micros exactly, however many rows", () => {
    const rows = Array.from({ length: 1000 }, (_, i) => googleAdsRow("2026-09-14", "SEARCH", "100000", String(i)));
    expect(mapGoogleAdsRows(rows, mapping)[0]?.facts[0]?.value).toBe(100);
  });

  it("keep a day whose costs are all zero as a record without facts, so a restated day loses its spend", () => {
    const records = mapGoogleAdsRows([googleAdsRow("2026-09-14", "SEARCH", "0")], mapping);
    expect(records).toEqual([{ key: "gads:day:2026-09-14", facts: [], skipped: [], currency: "USD" }]);
  });

  it("report rows that cannot be read", () => {
    const records = mapGoogleAdsRows(
      [googleAdsRow("2026-09-14", "SEARCH", "12.5"), { metrics: { costMicros: "1" } }],
      mapping,
    );
    expect(records[0]?.skipped).toEqual(['a SEARCH campaign cost is not a whole number of micros: "12.5"']);
    expect(records[1]).toEqual({
      key: "gads:day:unknown",
      facts: [],
      skipped: ['a row without a segments.date (got "undefined")'],
    });
  });

  it("ask for the days of a range in order", () => {
    expect(googleAdsQuery("2026-08-16", "2026-09-14")).toBe(
      "SELECT segments.date, campaign.advertising_channel_type, metrics.cost_micros, customer.currency_code " +
        "FROM campaign WHERE segments.date BETWEEN '2026-08-16' AND '2026-09-14' ORDER BY segments.date",
    );
  });
});

describe("Meta insights", () => {
  it("yield one paid_social spend a day, department marketing", () => {
    const record = mapMetaInsight(metaInsight("2026-09-14", "123.45"), { source: "meta", zone: "UTC" });
    expect(record).toEqual({
      key: "meta:day:2026-09-14",
      currency: "USD",
      skipped: [],
      facts: [
        {
          occurredMs: Date.parse("2026-09-14T00:00:00Z"),
          kind: "spend",
          entityId: null,
          value: 123.45,
          channel: "paid_social",
          department: "marketing",
          segment: null,
          externalId: "meta:day:2026-09-14:spend",
        },
      ],
    });
  });

  it("yield no fact for a day without spend, and report spend that is not a number", () => {
    expect(mapMetaInsight(metaInsight("2026-09-14", "0"), { source: "meta", zone: "UTC" }).facts).toEqual([]);
    expect(mapMetaInsight(metaInsight("2026-09-14", "12,50"), { source: "meta", zone: "UTC" }).skipped).toEqual([
      'spend is not a number: "12,50"',
    ]);
  });
});

describe("the ad platforms' window", () => {
  const nowMs = Date.parse("2026-09-14T22:30:00Z"); // already the 15th in Paris

  it("reads from the start date on a first sync, up to today in the workspace zone", () => {
    expect(adWindow({ nowMs, zone: "Europe/Paris", lookbackDays: 30, startDate: "2026-01-01" })).toEqual({
      from: "2026-01-01",
      to: "2026-09-15",
      startMs: Date.parse("2025-12-31T23:00:00Z"),
      endMs: Date.parse("2026-09-15T22:00:00Z"),
    });
    expect(adWindow({ nowMs, zone: "UTC", lookbackDays: 30 }).from).toBe("2025-09-14");
  });

  it("re-reads lookback_days before the day the last sync reached", () => {
    const window = (lastDay: string, lookbackDays = 30) =>
      adWindow({ nowMs, zone: "UTC", lookbackDays, lastDay, startDate: "2026-01-01" }).from;
    expect(window("2026-09-14")).toBe("2026-08-15");
    expect(window("2026-09-14", 7)).toBe("2026-09-07");
    expect(window("2026-07-01")).toBe("2026-06-01");
    expect(window("2026-01-10")).toBe("2026-01-01");
  });

  it("reads from the start date again with --full", () => {
    expect(
      adWindow({ nowMs, zone: "UTC", lookbackDays: 30, lastDay: "2026-09-14", startDate: "2026-01-01", full: true })
        .from,
    ).toBe("2026-01-01");
  });
});
