// The source kinds Tandem knows: one line per kind. Its HTTP reader is registered
// beside it in src/main/sources.ts.
import { csvUrlSpec } from "./csv-url.ts";
import { googleAdsSpec } from "./google-ads.ts";
import { hubspotSpec } from "./hubspot.ts";
import type { SourceKindSpec } from "./kind-spec.ts";
import { metaAdsSpec } from "./meta-ads.ts";
import { salesforceSpec } from "./salesforce.ts";
import { sqlSpec } from "./sql.ts";
import { stripeSpec } from "./stripe.ts";

export const SOURCE_KINDS = {
  hubspot: hubspotSpec,
  salesforce: salesforceSpec,
  stripe: stripeSpec,
  google_ads: googleAdsSpec,
  meta_ads: metaAdsSpec,
  sql: sqlSpec,
  csv_url: csvUrlSpec,
} as const satisfies Record<string, SourceKindSpec>;

export type SourceKindName = keyof typeof SOURCE_KINDS;
export const SOURCE_KIND_NAMES = Object.keys(SOURCE_KINDS) as SourceKindName[];

export function isSourceKind(kind: unknown): kind is SourceKindName {
  return typeof kind === "string" && Object.hasOwn(SOURCE_KINDS, kind);
}
