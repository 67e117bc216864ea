// The google_ads and meta_ads kinds against fakes of their APIs: the refresh-token
// flow and searchStream batches; paging.next; and the lookback window every sync
// re-reads, so a restated day's spend follows.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGoogleAdsReader } from "../../../src/adapters/sources/google-ads.ts";
import { createMetaAdsReader } from "../../../src/adapters/sources/meta-ads.ts";
import type { SourcePage, SourceReader } from "../../../src/core/sources/reader.ts";
import { type FakeGoogleAds, startFakeGoogleAds } from "../../fakes/vendors/google-ads.ts";
import { type FakeMetaAds, startFakeMetaAds } from "../../fakes/vendors/meta-ads.ts";
import type { VendorRequest } from "../../fakes/vendors/vendor-server.ts";
import { testReaderContext } from "../../helpers/source-context.ts";

const NOW = Date.parse("2026-09-30T12:00:00Z");

async function readAll(reader: SourceReader, cursor: string | null, options = { full: false, nowMs: NOW }) {
  const pages: SourcePage[] = [];
  for await (const page of reader.pages(cursor, options)) pages.push(page);
  return pages;
}
const searches = (google: FakeGoogleAds) => google.requests.filter((r) => r.path.endsWith(":searchStream"));
const queryOf = (request: VendorRequest | undefined) => String((request?.body as { query?: string } | null)?.query);
const spend = (pages: SourcePage[]) =>
  pages.flatMap((p) => p.records.flatMap((r) => r.facts.map((f) => [f.externalId, f.channel, f.value])));

describe("a google_ads source", () => {
  let google: FakeGoogleAds;
  beforeEach(async () => {
    google = await startFakeGoogleAds({ batchSize: 2 });
    Object.assign(process.env, {
      GADS_DEV: google.developerToken,
      GADS_CLIENT_ID: google.clientId,
      GADS_CLIENT_SECRET: google.clientSecret,
      GADS_REFRESH: google.refreshToken,
    });
  });
  afterEach(async () => {
    for (const name of ["GADS_DEV", "GADS_CLIENT_ID", "GADS_CLIENT_SECRET", "GADS_REFRESH"]) delete process.env[name];
    await google.close();
  });

  const reader = (settings: Record<string, unknown> = {}) =>
    createGoogleAdsReader(
      testReaderContext({
        name: "gads",
        baseUrl: google.url,
        settings: {
          customer_id: "123-456-7890",
          developer_token_env: "GADS_DEV",
          client_id_env: "GADS_CLIENT_ID",
          client_secret_env: "GADS_CLIENT_SECRET",
          refresh_token_env: "GADS_REFRESH",
          token_url: `${google.url}/token`,
          start_date: "2026-09-01",
          ...settings,
        },
      }),
    );

  it("exchanges the refresh token, then sums each day's costs per channel across stream batches", async () => {
    google.setCost("2026-09-14", "1", "SEARCH", "1250000");
    google.setCost("2026-09-14", "2", "SEARCH", "750000");
    google.setCost("2026-09-14", "3", "DISPLAY", "990000");
    google.setCost("2026-09-15", "1", "PERFORMANCE_MAX", "5000000");
    const pages = await readAll(reader(), null);
    expect(spend(pages)).toEqual([
      ["gads:day:2026-09-14:spend:display", "display", 0.99],
      ["gads:day:2026-09-14:spend:paid_search", "paid_search", 2],
      ["gads:day:2026-09-15:spend:performance_max", "performance_max", 5],
    ]);
    expect(pages.at(-1)?.cursor).toBe("2026-09-30");
    const [token] = google.requests.filter((r) => r.path === "/token");
    expect((token?.body as Record<string, string> | undefined)?.grant_type).toBe("refresh_token");
    const [search] = searches(google);
    expect(search?.path).toBe("/v21/customers/1234567890/googleAds:searchStream");
    expect(search?.headers["developer-token"]).toBe(google.developerToken);
    expect(queryOf(search)).toContain("BETWEEN '2026-09-01' AND '2026-09-30'");
  });

  it("re-reads the last lookback_days and mirrors them: a restated day follows, a refunded day goes", async () => {
    google.setCost("2026-09-10", "1", "SEARCH", "3000000");
    google.setCost("2026-09-18", "1", "VIDEO", "1000000");
    google.setCost("2026-09-20", "1", "SEARCH", "4000000");
    const gads = reader({ lookback_days: 15 });
    const first = await readAll(gads, null);
    const cursor = first.at(-1)?.cursor ?? null;

    google.setCost("2026-09-20", "1", "SEARCH", "4500000");
    google.setCost("2026-09-18", "1", "VIDEO", "0");
    const second = await readAll(gads, cursor);
    expect(queryOf(searches(google)[1])).toContain("BETWEEN '2026-09-15' AND '2026-09-30'");
    // 2026-09-18 is in the window and no longer read: the engine removes its spend.
    expect(spend(second)).toEqual([["gads:day:2026-09-20:spend:paid_search", "paid_search", 4.5]]);
    expect(gads.coverage(cursor, { full: false, nowMs: NOW })).toEqual({
      kind: "window",
      fromMs: Date.parse("2026-09-15T00:00:00Z"),
      toMs: Date.parse("2026-10-01T00:00:00Z"),
    });
  });

  it("says the refresh token was refused without repeating it", async () => {
    process.env.GADS_REFRESH = "1//revoked";
    const error = await readAll(reader(), null).catch((e: Error) => e);
    expect(String(error)).toMatch(/400|invalid_grant/);
    expect(String(error)).not.toContain("1//revoked");
  });

  it("with token_env, names the variable whose access token was refused", async () => {
    process.env.GADS_TOKEN = "ya29.expired";
    const gads = reader({
      client_id_env: undefined,
      client_secret_env: undefined,
      refresh_token_env: undefined,
      token_env: "GADS_TOKEN",
    });
    const error = await readAll(gads, null).catch((e: Error) => e);
    delete process.env.GADS_TOKEN;
    expect(String(error)).toContain("Google Ads refused the token in GADS_TOKEN (401)");
    expect(String(error)).not.toContain("ya29.expired");
  });

  it("sends the manager account as login-customer-id", async () => {
    await readAll(reader({ login_customer_id: "111-222-3333" }), null);
    expect(searches(google)[0]?.headers["login-customer-id"]).toBe("1112223333");
  });
});

describe("a meta_ads source", () => {
  let meta: FakeMetaAds;
  beforeEach(async () => {
    meta = await startFakeMetaAds();
    process.env.META_TOKEN = "EAAfake-system-user-token";
  });
  afterEach(async () => {
    delete process.env.META_TOKEN;
    await meta.close();
  });

  const reader = (settings: Record<string, unknown> = {}) =>
    createMetaAdsReader(
      testReaderContext({
        name: "meta",
        baseUrl: meta.url,
        settings: {
          account_id: `act_${meta.accountId}`,
          token_env: "META_TOKEN",
          start_date: "2026-08-01",
          ...settings,
        },
      }),
    );

  it("follows paging.next and yields one paid_social spend a day", async () => {
    for (let day = 1; day <= 30; day++) meta.setSpend(`2026-09-${String(day).padStart(2, "0")}`, `${day}.50`);
    meta.pageSize = 25;
    const pages = await readAll(reader(), null);
    const calls = meta.requests;
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls[0]?.path).toBe(`/v23.0/act_${meta.accountId}/insights`);
    expect(JSON.parse(calls[0]?.query.get("time_range") ?? "")).toEqual({
      since: "2026-08-01",
      until: "2026-09-30",
    });
    expect(calls[0]?.headers.authorization).toBe("Bearer EAAfake-system-user-token");
    const facts = spend(pages);
    expect(facts).toHaveLength(30);
    expect(facts[0]).toEqual(["meta:day:2026-09-01:spend", "paid_social", 1.5]);
    expect(facts[29]).toEqual(["meta:day:2026-09-30:spend", "paid_social", 30.5]);
    expect(pages.slice(0, -1).every((p) => p.cursor === null)).toBe(true);
    expect(pages.at(-1)?.cursor).toBe("2026-09-30");
  });

  it("re-reads the lookback window: a restated day's spend follows", async () => {
    meta.setSpend("2026-09-20", "100.00");
    const meter = reader({ lookback_days: 30 });
    const cursor = (await readAll(meter, null)).at(-1)?.cursor ?? null;
    meta.setSpend("2026-09-20", "80.25");
    const second = await readAll(meter, cursor);
    expect(JSON.parse(meta.requests[1]?.query.get("time_range") ?? "")).toEqual({
      since: "2026-08-31",
      until: "2026-09-30",
    });
    expect(spend(second)).toEqual([["meta:day:2026-09-20:spend", "paid_social", 80.25]]);
  });

  it("names the variable whose token Meta refused (code 190), never the token", async () => {
    process.env.META_TOKEN = "EAAbad";
    const error = await readAll(reader(), null).catch((e: Error) => e);
    expect(String(error)).toContain("Meta refused the token in META_TOKEN");
    expect(String(error)).not.toContain("EAAbad");
  });
});
