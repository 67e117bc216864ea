// Every source kind's reader, and how one is built for a configured source: the
// polite HTTP client at the vendor's rate, its secrets read from the environment
// variables the config names, the workspace's zone and currency.

import { CSV_URL_REQUESTS_PER_SECOND, createCsvUrlReader } from "../adapters/sources/csv-url.ts";
import { createGoogleAdsReader, GOOGLE_ADS_REQUESTS_PER_SECOND } from "../adapters/sources/google-ads.ts";
import { createSourceHttp, type SourceHttpOptions } from "../adapters/sources/http-client.ts";
import { createHubspotReader, HUBSPOT_REQUESTS_PER_SECOND } from "../adapters/sources/hubspot.ts";
import { createMetaAdsReader, META_ADS_REQUESTS_PER_SECOND } from "../adapters/sources/meta-ads.ts";
import type { ReaderFactory } from "../adapters/sources/reader-context.ts";
import { createSalesforceReader, SALESFORCE_REQUESTS_PER_SECOND } from "../adapters/sources/salesforce.ts";
import { createSqlReader, SQL_REQUESTS_PER_SECOND } from "../adapters/sources/sql.ts";
import { createStripeReader, STRIPE_REQUESTS_PER_SECOND } from "../adapters/sources/stripe.ts";
import { AppError, ErrorCode } from "../core/errors.ts";
import { isSourceKind, SOURCE_KINDS, type SourceKindName } from "../core/sources/kinds.ts";
import type { SourceState } from "../core/sources/ports.ts";
import type { SourceReader } from "../core/sources/reader.ts";

type KindReader = { vendor: string; requestsPerSecond: number; create: ReaderFactory };

export const SOURCE_READERS: Record<SourceKindName, KindReader> = {
  hubspot: { vendor: "HubSpot", requestsPerSecond: HUBSPOT_REQUESTS_PER_SECOND, create: createHubspotReader },
  stripe: { vendor: "Stripe", requestsPerSecond: STRIPE_REQUESTS_PER_SECOND, create: createStripeReader },
  salesforce: {
    vendor: "Salesforce",
    requestsPerSecond: SALESFORCE_REQUESTS_PER_SECOND,
    create: createSalesforceReader,
  },
  google_ads: {
    vendor: "Google Ads",
    requestsPerSecond: GOOGLE_ADS_REQUESTS_PER_SECOND,
    create: createGoogleAdsReader,
  },
  meta_ads: { vendor: "Meta", requestsPerSecond: META_ADS_REQUESTS_PER_SECOND, create: createMetaAdsReader },
  sql: { vendor: "PostgreSQL", requestsPerSecond: SQL_REQUESTS_PER_SECOND, create: createSqlReader },
  csv_url: { vendor: "the CSV's host", requestsPerSecond: CSV_URL_REQUESTS_PER_SECOND, create: createCsvUrlReader },
};

export type ReaderOptions = {
  env?: Readonly<Record<string, string | undefined>>;
  /** for tests and the bench: another fetch, retry policy or request rate */
  http?: Partial<Omit<SourceHttpOptions, "vendor">>;
};

export function createSourceReader(
  source: Pick<SourceState, "name" | "kind" | "settings">,
  workspace: { timezone: string; currency: string },
  options: ReaderOptions = {},
): SourceReader {
  if (!isSourceKind(source.kind))
    throw new AppError(ErrorCode.InvalidInput, `${source.name}: this Tandem has no source kind ${source.kind}`);
  const kind = SOURCE_READERS[source.kind];
  const env = options.env ?? process.env;
  const settings = source.settings;
  const baseUrl = String(settings.base_url ?? SOURCE_KINDS[source.kind].defaultBaseUrl).replace(/\/+$/, "");
  const rates = (settings.rates ?? {}) as Record<string, number>;
  return kind.create({
    name: source.name,
    settings,
    baseUrl,
    zone: workspace.timezone,
    currency: workspace.currency,
    rates,
    http: createSourceHttp({ vendor: kind.vendor, requestsPerSecond: kind.requestsPerSecond, ...options.http }),
    secret(key) {
      const variable = settings[key];
      if (typeof variable !== "string")
        throw new AppError(ErrorCode.InvalidInput, `${source.name}: the config names no ${key} for this source`);
      const value = env[variable];
      if (value === undefined || value.trim() === "")
        throw new AppError(
          ErrorCode.InvalidInput,
          `${source.name}: the environment variable ${variable} (named by ${key}) is not set`,
        );
      return value.trim();
    },
  });
}
