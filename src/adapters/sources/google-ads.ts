// Reads daily campaign costs from the Google Ads API: one searchStream request over
// the window (the last lookback_days before the day the previous sync reached, up to
// today), answered as a JSON array of batches. The bearer token comes from the OAuth
// refresh-token flow (or token_env); every request carries the developer token.
import {
  DEFAULT_GOOGLE_ADS_API_VERSION,
  GOOGLE_TOKEN_URL,
  type GoogleAdsRow,
  googleAdsQuery,
  mapGoogleAdsRows,
} from "../../core/sources/google-ads.ts";
import type { SourceReader } from "../../core/sources/reader.ts";
import { adWindowOf } from "./ad-window-of.ts";
import { SourceHttpError } from "./http-client.ts";
import { toPage } from "./mapped-page.ts";
import type { ReaderContext } from "./reader-context.ts";

type GoogleAdsSettings = {
  customer_id: string;
  login_customer_id?: string;
  developer_token_env: string;
  client_id_env?: string;
  client_secret_env?: string;
  refresh_token_env?: string;
  token_env?: string;
  token_url?: string;
  api_version?: string;
};

const PAGE_RECORDS = 500;

export function createGoogleAdsReader(ctx: ReaderContext): SourceReader {
  const settings = ctx.settings as GoogleAdsSettings;
  const customerId = settings.customer_id.replaceAll("-", "");
  const url = `${ctx.baseUrl.replace(/\/+$/, "")}/v${settings.api_version ?? DEFAULT_GOOGLE_ADS_API_VERSION}/customers/${customerId}/googleAds:searchStream`;

  async function accessToken(): Promise<string> {
    if (settings.token_env !== undefined) return ctx.secret(settings.token_env);
    const answer = await ctx.http.json<{ access_token?: string }>({
      method: "POST",
      url: settings.token_url ?? GOOGLE_TOKEN_URL,
      form: {
        grant_type: "refresh_token",
        client_id: ctx.secret(settings.client_id_env as string),
        client_secret: ctx.secret(settings.client_secret_env as string),
        refresh_token: ctx.secret(settings.refresh_token_env as string),
      },
    });
    if (typeof answer.access_token !== "string")
      throw new Error("Google's token endpoint answered without an access_token");
    return answer.access_token;
  }

  return {
    coverage: (cursor, options) => {
      const window = adWindowOf(ctx, cursor, options);
      return { kind: "window", fromMs: window.startMs, toMs: window.endMs };
    },
    async *pages(cursor, options) {
      const window = adWindowOf(ctx, cursor, options);
      const token = await accessToken();
      const headers: Record<string, string> = {
        authorization: `Bearer ${token}`,
        "developer-token": ctx.secret(settings.developer_token_env),
      };
      if (settings.login_customer_id) headers["login-customer-id"] = settings.login_customer_id.replaceAll("-", "");
      let batches: { results?: GoogleAdsRow[] }[];
      try {
        batches = await ctx.http.json({
          method: "POST",
          url,
          headers,
          body: { query: googleAdsQuery(window.from, window.to) },
        });
      } catch (error) {
        if (error instanceof SourceHttpError && error.status === 401 && settings.token_env !== undefined)
          throw new Error(`Google Ads refused the token in ${settings.token_env} (401): give it a valid access token`);
        throw error;
      }
      if (!Array.isArray(batches))
        throw new Error("Google Ads answered searchStream with something other than an array of batches");
      const rows = batches.flatMap((batch) => batch.results ?? []);
      const records = mapGoogleAdsRows(rows, { source: ctx.name, zone: ctx.zone });
      for (let at = 0; at < records.length || at === 0; at += PAGE_RECORDS) {
        const last = at + PAGE_RECORDS >= records.length;
        yield toPage(records.slice(at, at + PAGE_RECORDS), ctx, last ? window.to : null);
      }
    },
  };
}
