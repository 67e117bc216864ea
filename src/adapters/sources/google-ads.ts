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
import { adWindowOf, dayRanges } from "./ad-window-of.ts";
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

// Google Ads limits operations per developer token and day; a sync sends a handful.
export const GOOGLE_ADS_REQUESTS_PER_SECOND = 2;

// One request per month of days: a long first sync is several committed pages, and
// each answer stays small.
const DAYS_PER_REQUEST = 31;

export function createGoogleAdsReader(ctx: ReaderContext): SourceReader {
  const settings = ctx.settings as GoogleAdsSettings;
  const customerId = String(settings.customer_id).replaceAll("-", "");
  const url = `${ctx.baseUrl.replace(/\/+$/, "")}/v${settings.api_version ?? DEFAULT_GOOGLE_ADS_API_VERSION}/customers/${customerId}/googleAds:searchStream`;

  async function accessToken(): Promise<string> {
    if (settings.token_env !== undefined) return ctx.secret("token_env");
    const answer = await ctx.http.json<{ access_token?: string }>({
      method: "POST",
      url: settings.token_url ?? GOOGLE_TOKEN_URL,
      form: {
        grant_type: "refresh_token",
        client_id: ctx.secret("client_id_env"),
        client_secret: ctx.secret("client_secret_env"),
        refresh_token: ctx.secret("refresh_token_env"),
      },
    });
    if (typeof answer.access_token !== "string")
      throw new Error("Google's token endpoint answered without an access_token");
    return answer.access_token;
  }

  async function search(headers: Record<string, string>, from: string, to: string) {
    let batches: { results?: GoogleAdsRow[] }[];
    try {
      batches = await ctx.http.json({ method: "POST", url, headers, json: { query: googleAdsQuery(from, to) } });
    } catch (error) {
      if (error instanceof SourceHttpError && error.status === 401 && settings.token_env !== undefined)
        throw new Error(`Google Ads refused the token in ${settings.token_env} (401): give it a valid access token`);
      throw error;
    }
    if (!Array.isArray(batches))
      throw new Error("Google Ads answered searchStream with something other than an array of batches");
    return batches;
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
        "developer-token": ctx.secret("developer_token_env"),
      };
      if (settings.login_customer_id)
        headers["login-customer-id"] = String(settings.login_customer_id).replaceAll("-", "");
      const ranges = dayRanges(window.from, window.to, DAYS_PER_REQUEST);
      for (const [index, [from, to]] of ranges.entries()) {
        const batches = await search(headers, from, to);
        const rows = batches.flatMap((batch) => batch.results ?? []);
        const records = mapGoogleAdsRows(rows, { source: ctx.name, zone: ctx.zone });
        // The cursor is the last day read; it moves only once the whole window is in.
        yield toPage(records, ctx, index === ranges.length - 1 ? window.to : null);
      }
    },
  };
}
