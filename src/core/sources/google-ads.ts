// Google Ads campaign costs → spend facts (SOURCES.md, "Ad spend"): one fact per day
// and advertising channel type, value Σ cost_micros ÷ 10⁶, department marketing.
// Each day is one record, so a restated day replaces all its channels' facts.
import { z } from "zod";
import { quoted } from "../messages/user-text.ts";
import { DEFAULT_LOOKBACK_DAYS } from "./ad-window.ts";
import { envName, type SourceKindSpec } from "./kind-spec.ts";
import { type MappedRecord, sourceFact, vendorInstant } from "./mapped-record.ts";

export const DEFAULT_GOOGLE_ADS_API_VERSION = "21";
export const GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token";

/** The keys both ad platforms share: how far back to re-read, and where history starts. */
export const adWindowSettings = {
  lookback_days: z
    .number()
    .int("lookback_days is a whole number of days")
    .min(1, "lookback_days is at least 1")
    .max(90, "lookback_days is at most 90")
    .default(DEFAULT_LOOKBACK_DAYS),
  start_date: z.iso.date("expected a date such as 2026-01-01").optional(),
};

const customerId = (what: string) =>
  z.coerce
    .string()
    .regex(/^\d{3}-?\d{3}-?\d{4}$/, `expected the ${what} as Google Ads shows it, like 123-456-7890`)
    .transform((id) => id.replaceAll("-", ""));

export const googleAdsSpec: SourceKindSpec = {
  defaultBaseUrl: "https://googleads.googleapis.com",
  settings: z
    .object({
      customer_id: customerId("customer id"),
      login_customer_id: customerId("manager account's customer id").optional(),
      developer_token_env: envName(),
      client_id_env: envName().optional(),
      client_secret_env: envName().optional(),
      refresh_token_env: envName().optional(),
      token_env: envName().optional(),
      token_url: z.url({ protocol: /^https?$/, error: "expected an http(s) URL" }).default(GOOGLE_TOKEN_URL),
      api_version: z
        .string()
        .regex(/^\d{2}$/, 'expected an API version such as "21"')
        .default(DEFAULT_GOOGLE_ADS_API_VERSION),
      ...adWindowSettings,
    })
    .strict()
    .superRefine((settings, ctx) => {
      const oauth = ["client_id_env", "client_secret_env", "refresh_token_env"] as const;
      const given = oauth.filter((key) => settings[key] !== undefined);
      if (settings.token_env === undefined && given.length === 0)
        ctx.addIssue({
          code: "custom",
          message:
            "name how to sign in: client_id_env, client_secret_env and refresh_token_env (the OAuth refresh-token flow), or token_env (an access token)",
        });
      else if (settings.token_env !== undefined && given.length > 0)
        ctx.addIssue({ code: "custom", message: "either token_env or the OAuth client's three *_env keys, not both" });
      else if (given.length > 0 && given.length < oauth.length)
        for (const key of oauth.filter((k) => settings[k] === undefined))
          ctx.addIssue({ code: "custom", path: [key], message: `the refresh-token flow needs ${oauth.join(", ")}` });
    }),
};

/** One row of a searchStream batch, as the REST API writes it (int64 as strings). */
export type GoogleAdsRow = {
  segments?: { date?: string };
  campaign?: { advertisingChannelType?: string };
  metrics?: { costMicros?: string | number };
  customer?: { currencyCode?: string };
};

const CHANNELS: Record<string, string> = { SEARCH: "paid_search", DISPLAY: "display", VIDEO: "video" };
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** SEARCH → paid_search, DISPLAY → display, VIDEO → video, any other type in lower case. */
export function googleAdsChannel(channelType: string): string {
  return CHANNELS[channelType] ?? channelType.toLowerCase();
}

/** The query of one date range (inclusive), days in order. */
export function googleAdsQuery(from: string, to: string): string {
  return (
    "SELECT segments.date, campaign.advertising_channel_type, metrics.cost_micros, customer.currency_code " +
    `FROM campaign WHERE segments.date BETWEEN '${from}' AND '${to}' ORDER BY segments.date`
  );
}

/**
 * Sums the rows of a whole stream into one record per day (days in order). Micros are
 * summed as integers (BigInt) before dividing, so no cent is lost to floating point.
 * A row that cannot be read is reported under its day, or under the source when it has none.
 */
export function mapGoogleAdsRows(
  rows: Iterable<GoogleAdsRow>,
  mapping: { source: string; zone: string },
): MappedRecord[] {
  const days = new Map<string, { micros: Map<string, bigint>; skipped: string[]; currency?: string }>();
  const dayOf = (date: string) => {
    let day = days.get(date);
    if (day === undefined) {
      day = { micros: new Map(), skipped: [] };
      days.set(date, day);
    }
    return day;
  };
  const unreadable: string[] = [];
  for (const row of rows) {
    const date = row.segments?.date;
    if (typeof date !== "string" || !DAY.test(date)) {
      unreadable.push(`a row without a segments.date (got ${quoted(String(date))})`);
      continue;
    }
    const day = dayOf(date);
    const currency = row.customer?.currencyCode;
    if (typeof currency === "string") day.currency = currency;
    const type = row.campaign?.advertisingChannelType;
    const micros = row.metrics?.costMicros ?? "0";
    if (typeof type !== "string" || type === "") {
      day.skipped.push("a campaign without an advertisingChannelType");
      continue;
    }
    if (!/^\d{1,19}$/.test(String(micros))) {
      day.skipped.push(`a ${type} campaign cost is not a whole number of micros: ${quoted(String(micros))}`);
      continue;
    }
    const channel = googleAdsChannel(type);
    day.micros.set(channel, (day.micros.get(channel) ?? 0n) + BigInt(micros));
  }
  const records: MappedRecord[] = [];
  for (const date of [...days.keys()].sort()) {
    const day = days.get(date) as NonNullable<ReturnType<typeof days.get>>;
    const key = `${mapping.source}:day:${date}`;
    const record: MappedRecord = { key, facts: [], skipped: day.skipped };
    if (day.currency !== undefined) record.currency = day.currency;
    const at = vendorInstant("segments.date", date, mapping.zone);
    if (typeof at === "string") record.skipped.push(at);
    else
      for (const [channel, micros] of [...day.micros].sort(([a], [b]) => a.localeCompare(b))) {
        if (micros === 0n) continue;
        const value = Number(micros / 1_000_000n) + Number(micros % 1_000_000n) / 1_000_000;
        record.facts.push(
          sourceFact(`${key}:spend:${channel}`, "spend", at, { value, channel, department: "marketing" }),
        );
      }
    records.push(record);
  }
  if (unreadable.length > 0) records.push({ key: `${mapping.source}:day:unknown`, facts: [], skipped: unreadable });
  return records;
}
