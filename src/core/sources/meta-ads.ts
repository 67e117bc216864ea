// Meta account insights → spend facts (SOURCES.md, "Ad spend"): one spend per day,
// channel paid_social, department marketing. Each day is one record.
import { z } from "zod";
import { quoted } from "../messages/user-text.ts";
import { adWindowSettings } from "./google-ads.ts";
import { envName, type SourceKindSpec } from "./kind-spec.ts";
import { type MappedRecord, sourceFact, vendorAmount, vendorInstant } from "./mapped-record.ts";

export const DEFAULT_META_API_VERSION = "23.0";

export const metaAdsSpec: SourceKindSpec = {
  defaultBaseUrl: "https://graph.facebook.com",
  settings: z
    .object({
      account_id: z.coerce
        .string()
        .regex(/^(act_)?\d{1,20}$/, "expected the ad account id, digits (act_ in front is fine)")
        .transform((id) => id.replace(/^act_/, "")),
      token_env: envName(),
      api_version: z
        .string()
        .regex(/^\d{2}\.0$/, 'expected a Graph API version such as "23.0"')
        .default(DEFAULT_META_API_VERSION),
      ...adWindowSettings,
    })
    .strict(),
};

/** One entry of `data` in an insights answer with time_increment=1. */
export type MetaInsight = {
  date_start?: string;
  date_stop?: string;
  spend?: string | number;
  account_currency?: string;
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function mapMetaInsight(insight: MetaInsight, mapping: { source: string; zone: string }): MappedRecord {
  const date = insight.date_start;
  if (typeof date !== "string" || !DAY.test(date))
    return {
      key: `${mapping.source}:day:unknown`,
      facts: [],
      skipped: [`an insight without a date_start (got ${quoted(String(date))})`],
    };
  const key = `${mapping.source}:day:${date}`;
  const record: MappedRecord = { key, facts: [], skipped: [] };
  if (typeof insight.account_currency === "string") record.currency = insight.account_currency;
  const at = vendorInstant("date_start", date, mapping.zone);
  const spend = vendorAmount("spend", insight.spend ?? "0");
  if (typeof at === "string") record.skipped.push(at);
  else if (typeof spend === "string") record.skipped.push(spend);
  else if (spend > 0)
    record.facts.push(
      sourceFact(`${key}:spend`, "spend", at, { value: spend, channel: "paid_social", department: "marketing" }),
    );
  return record;
}

/** The insights query of one date range (inclusive), as the URL's query string parameters. */
export function metaInsightsParams(since: string, until: string): Record<string, string> {
  return {
    fields: "spend,account_currency",
    level: "account",
    time_increment: "1",
    time_range: JSON.stringify({ since, until }),
    limit: "100",
  };
}
