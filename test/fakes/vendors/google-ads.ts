// A fake Google Ads API: googleAds:searchStream for the campaign cost query (the
// answer a JSON array of batches {results, fieldMask, requestId}) behind a
// developer token and a bearer token, and Google's OAuth 2.0 token endpoint for the
// refresh-token flow. Errors are shaped as Google's: {error: {code, message, status}}.
// Costs are kept per day and campaign, so a test can restate a past day.
import { randomBytes } from "node:crypto";
import { googleAdsRow } from "./examples.ts";
import { bearer, startVendorServer, type VendorServer } from "./vendor-server.ts";

export type FakeGoogleAds = VendorServer & {
  developerToken: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  customerId: string;
  /** access tokens accepted; the token endpoint adds what it issues */
  tokens: Set<string>;
  /** rows per batch (Google: up to 10,000) */
  batchSize: number;
  /** sets one campaign's cost on a day (micros); 0 removes it */
  setCost(date: string, campaignId: string, channelType: string, costMicros: number | string): void;
};

const STATUS: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
};
const googleError = (code: number, message = "The request failed.") => ({
  error: { code, message, status: STATUS[code] ?? "UNKNOWN" },
});

const QUERY = /FROM campaign WHERE segments\.date BETWEEN '(\d{4}-\d{2}-\d{2})' AND '(\d{4}-\d{2}-\d{2})'/;

export async function startFakeGoogleAds(options: { batchSize?: number } = {}): Promise<FakeGoogleAds> {
  const costs = new Map<string, { date: string; campaignId: string; channelType: string; micros: string }>();
  const tokens = new Set<string>();
  const fake = (await startVendorServer(
    (method, url) => {
      if (method === "POST" && url.pathname === "/token") return "token";
      if (method === "POST" && /^\/v\d+\/customers\/\d+\/googleAds:searchStream$/.test(url.pathname)) return "search";
      return undefined;
    },
    (call, reply) => {
      if (call.route === "token") {
        const form = new URLSearchParams(call.body);
        if (form.get("grant_type") !== "refresh_token")
          return reply(400, { error: "unsupported_grant_type", error_description: "Invalid grant_type" });
        if (form.get("client_id") !== fake.clientId || form.get("client_secret") !== fake.clientSecret)
          return reply(401, { error: "invalid_client", error_description: "The OAuth client was not found." });
        if (form.get("refresh_token") !== fake.refreshToken)
          return reply(400, { error: "invalid_grant", error_description: "Token has been expired or revoked." });
        const token = `ya29.${randomBytes(12).toString("hex")}`;
        tokens.add(token);
        return reply(200, {
          access_token: token,
          expires_in: 3599,
          scope: "https://www.googleapis.com/auth/adwords",
          token_type: "Bearer",
        });
      }
      const token = bearer(call);
      if (token === undefined || !tokens.has(token))
        return reply(
          401,
          googleError(401, "Request is missing required authentication credential. Expected OAuth 2 access token."),
        );
      if (call.headers["developer-token"] !== fake.developerToken)
        return reply(403, googleError(403, "The developer token is not valid."));
      if (!call.url.pathname.includes(`/customers/${fake.customerId}/`))
        return reply(403, googleError(403, "The caller does not have permission"));
      const query = (JSON.parse(call.body || "{}") as { query?: string }).query ?? "";
      const range = QUERY.exec(query);
      if (!range) return reply(400, googleError(400, `Error in query: ${query.slice(0, 80)}`));
      const [, from, to] = range as unknown as [string, string, string];
      const rows = [...costs.values()]
        .filter((c) => c.date >= from && c.date <= to)
        .sort((a, b) => a.date.localeCompare(b.date) || a.campaignId.localeCompare(b.campaignId))
        .map((c) => googleAdsRow(c.date, c.channelType, c.micros, c.campaignId));
      const batches = [];
      for (let at = 0; at < rows.length || at === 0; at += fake.batchSize)
        batches.push({
          results: rows.slice(at, at + fake.batchSize),
          fieldMask: "segments.date,campaign.advertisingChannelType,metrics.costMicros,customer.currencyCode",
          requestId: randomBytes(8).toString("hex"),
        });
      return reply(200, batches);
    },
    (status) => googleError(status),
  )) as FakeGoogleAds;
  return Object.assign(fake, {
    developerToken: "fake-developer-token",
    clientId: "123-fake.apps.googleusercontent.com",
    clientSecret: "GOCSPX-fake-secret",
    refreshToken: "1//fake-refresh-token",
    customerId: "1234567890",
    tokens,
    batchSize: options.batchSize ?? 10_000,
    setCost(date: string, campaignId: string, channelType: string, costMicros: number | string) {
      const key = `${date}/${campaignId}`;
      if (String(costMicros) === "0") costs.delete(key);
      else costs.set(key, { date, campaignId, channelType, micros: String(costMicros) });
    },
  });
}
