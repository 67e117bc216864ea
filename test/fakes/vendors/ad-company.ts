// Synthetic ad accounts in the fake Google Ads and Meta, over the days before today,
// and the spend facts they should yield, reckoned here straight from SOURCES.md (not
// through Tandem's mapping) so tests can compare a sync with an independent answer.
import { DateTime } from "luxon";
import type { FakeGoogleAds } from "./google-ads.ts";
import type { FakeMetaAds } from "./meta-ads.ts";

type ExpectedFact = [string, string, string, string | null, number | null, string | null, string | null, string | null];

const TYPES = ["SEARCH", "DISPLAY", "VIDEO", "PERFORMANCE_MAX"];
const GOOGLE_CHANNEL: Record<string, string> = { SEARCH: "paid_search", DISPLAY: "display", VIDEO: "video" };

/** The date `daysAgo` days before today in `zone`. */
export function dayBefore(daysAgo: number, zone: string): string {
  return DateTime.now().setZone(zone).startOf("day").minus({ days: daysAgo }).toISODate() as string;
}
const midnight = (date: string, zone: string) => DateTime.fromISO(date, { zone }).toUTC().toISO() as string;

/** Costs on each of the last `days` days (today included), two to four campaigns a day. */
export function googleAdsCompany(fake: FakeGoogleAds, options: { days: number; zone: string }): void {
  for (let ago = 0; ago < options.days; ago++) {
    const date = dayBefore(ago, options.zone);
    for (let c = 0; c < 2 + (ago % 3); c++)
      fake.setCost(date, String(1000 + c), TYPES[(ago + c) % TYPES.length] as string, 1_000_000 + ago * 12_345 + c * 7);
  }
}

export function googleAdsFacts(
  fake: FakeGoogleAds,
  options: { source: string; currency: string; rates: Record<string, number>; zone: string },
): ExpectedFact[] {
  const sums = new Map<string, { date: string; channel: string; micros: number; currency: string }>();
  for (const cost of fake.costs.values()) {
    const channel = GOOGLE_CHANNEL[cost.channelType] ?? cost.channelType.toLowerCase();
    const key = `${cost.date}/${channel}`;
    const sum = sums.get(key) ?? { date: cost.date, channel, micros: 0, currency: cost.currency };
    sum.micros += Number(cost.micros);
    sums.set(key, sum);
  }
  const facts: ExpectedFact[] = [];
  for (const sum of sums.values()) {
    const rate = sum.currency === options.currency ? 1 : options.rates[sum.currency];
    if (rate === undefined) continue;
    facts.push([
      `${options.source}:day:${sum.date}:spend:${sum.channel}`,
      "spend",
      midnight(sum.date, options.zone),
      null,
      (sum.micros / 1e6) * rate,
      sum.channel,
      null,
      "marketing",
    ]);
  }
  return facts;
}

/** Spend on each of the last `days` days (today included). */
export function metaAdsCompany(fake: FakeMetaAds, options: { days: number; zone: string }): void {
  for (let ago = 0; ago < options.days; ago++)
    fake.setSpend(dayBefore(ago, options.zone), (50 + ago * 3.37).toFixed(2));
}

export function metaAdsFacts(
  fake: FakeMetaAds,
  options: { source: string; currency: string; rates: Record<string, number>; zone: string },
): ExpectedFact[] {
  const facts: ExpectedFact[] = [];
  for (const [date, day] of fake.days) {
    const rate = day.currency === options.currency ? 1 : options.rates[day.currency];
    if (rate === undefined) continue;
    const key = `${options.source}:day:${date}`;
    facts.push([
      `${key}:spend`,
      "spend",
      midnight(date, options.zone),
      null,
      Number(day.spend) * rate,
      "paid_social",
      null,
      "marketing",
    ]);
  }
  return facts;
}
