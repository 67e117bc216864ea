// A fake Google Ads API: googleAds:searchStream for the campaign cost query (the
// answer a JSON array of batches {results, fieldMask, requestId}) behind a developer
// token and a bearer token, and Google's OAuth 2.0 token endpoint for the
// refresh-token flow. Errors are shaped as Google's: {error: {code, message, status}}.
// Costs are kept per day and campaign, so a test can restate a past day.
import { randomBytes } from "node:crypto";
import { googleAdsRow } from "./examples.ts";
import { bearer, startVendorServer, type VendorServer } from "./vendor-server.ts";

export type GoogleAdsCost = { date: string; campaignId: string; channelType: string; micros: string; currency: string };

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
  costs: Map<string, GoogleAdsCost>;
  /** sets one campaign's cost on a day (micros; 0 removes it), in the account's currency unless given */
  setCost(date: string, campaignId: string, channelType: string, costMicros: number | string, currency?: string): void;
};

const STATUS: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
};
export const googleError = (code: number, message = "The request failed.") => ({
  error: { code, message, status: STATUS[code] ?? "UNKNOWN" },
});

const QUERY = /FROM campaign WHERE segments\.date BETWEEN '(\d{4}-\d{2}-\d{2})' AND '(\d{4}-\d{2}-\d{2})'/;

export async function startFakeGoogleAds(options: { batchSize?: number } = {}): Promise<FakeGoogleAds> {
  const costs = new Map<string, GoogleAdsCost>();
  const tokens = new Set<string>();
  const fake = (await startVendorServer((request) => {
    if (request.method === "POST" && request.path === "/token") {
      const form = (request.body ?? {}) as Record<string, string>;
      if (form.grant_type !== "refresh_token")
        return { status: 400, body: { error: "unsupported_grant_type", error_description: "Invalid grant_type" } };
      if (form.client_id !== fake.clientId || form.client_secret !== fake.clientSecret)
        return { status: 401, body: { error: "invalid_client", error_description: "The OAuth client was not found." } };
      if (form.refresh_token !== fake.refreshToken)
        return {
          status: 400,
          body: { error: "invalid_grant", error_description: "Token has been expired or revoked." },
        };
      const token = `ya29.${randomBytes(12).toString("hex")}`;
      tokens.add(token);
      return {
        status: 200,
        body: {
          access_token: token,
          expires_in: 3599,
          scope: "https://www.googleapis.com/auth/adwords",
          token_type: "Bearer",
        },
      };
    }
    if (request.method !== "POST" || !/^\/v\d+\/customers\/\d+\/googleAds:searchStream$/.test(request.path))
      return { status: 404, body: googleError(404, "Not found") };
    const token = bearer(request);
    if (token === null || !tokens.has(token))
      return {
        status: 401,
        body: googleError(401, "Request is missing required authentication credential. Expected OAuth 2 access token."),
      };
    if (request.headers["developer-token"] !== fake.developerToken)
      return { status: 403, body: googleError(403, "The developer token is not valid.") };
    if (!request.path.includes(`/customers/${fake.customerId}/`))
      return { status: 403, body: googleError(403, "The caller does not have permission") };
    const query = ((request.body ?? {}) as { query?: string }).query ?? "";
    const range = QUERY.exec(query);
    if (!range) return { status: 400, body: googleError(400, `Error in query: ${query.slice(0, 80)}`) };
    const [, from, to] = range as unknown as [string, string, string];
    const rows = [...costs.values()]
      .filter((c) => c.date >= from && c.date <= to)
      .sort((a, b) => a.date.localeCompare(b.date) || a.campaignId.localeCompare(b.campaignId))
      .map((c) => {
        const row = googleAdsRow(c.date, c.channelType, c.micros, c.campaignId);
        return { ...row, customer: { ...row.customer, currencyCode: c.currency } };
      });
    const batches = [];
    for (let at = 0; at < rows.length || at === 0; at += fake.batchSize)
      batches.push({
        results: rows.slice(at, at + fake.batchSize),
        fieldMask: "segments.date,campaign.advertisingChannelType,metrics.costMicros,customer.currencyCode",
        requestId: randomBytes(8).toString("hex"),
      });
    return { status: 200, body: batches };
  })) as FakeGoogleAds;
  return Object.assign(fake, {
    developerToken: "fake-developer-token",
    clientId: "123-fake.apps.googleusercontent.com",
    clientSecret: "GOCSPX-fake-secret",
    refreshToken: "1//fake-refresh-token",
    customerId: "1234567890",
    tokens,
    costs,
    batchSize: options.batchSize ?? 10_000,
    setCost(date: string, campaignId: string, channelType: string, costMicros: number | string, currency = "USD") {
      const key = `${date}/${campaignId}`;
      if (String(costMicros) === "0") costs.delete(key);
      else costs.set(key, { date, campaignId, channelType, micros: String(costMicros), currency });
    },
  });
}
