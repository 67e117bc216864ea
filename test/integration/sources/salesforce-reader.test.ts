// The salesforce kind against a fake org (test/fakes/vendors/salesforce.ts): batches
// linked by nextRecordsUrl, the client-credentials flow, changed and deleted records.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSalesforceReader } from "../../../src/adapters/sources/salesforce.ts";
import type { SourcePage, SourceReader } from "../../../src/core/sources/reader.ts";
import { type FakeSalesforce, INVALID_SESSION, startFakeSalesforce } from "../../fakes/vendors/salesforce.ts";
import { testReaderContext } from "../../helpers/source-context.ts";

const LEAD_A = "00Q5e000001AbCdEAA";
const LEAD_B = "00Q5e000001AbCdEAB";
const LEAD_C = "00Q5e000001AbCdEAC";
const OPP_A = "0065e000008XyZwAAA";
const OPP_B = "0065e000008XyZwAAB";

async function readAll(reader: SourceReader, cursor: string | null, full = false) {
  const pages: SourcePage[] = [];
  for await (const page of reader.pages(cursor, { full, nowMs: Date.now() })) pages.push(page);
  return pages;
}
const factsOf = (pages: SourcePage[]) =>
  pages.flatMap((p) =>
    p.records.flatMap((r) =>
      r.facts.map((f) => [f.externalId, f.entityId, f.value === null ? null : Math.round(f.value * 1e6) / 1e6]),
    ),
  );

describe("a salesforce source", () => {
  let org: FakeSalesforce;
  beforeEach(async () => {
    org = await startFakeSalesforce({ batchSize: 2 });
    process.env.SF_CLIENT_ID = org.clientId;
    process.env.SF_CLIENT_SECRET = org.clientSecret;
  });
  afterEach(async () => {
    delete process.env.SF_CLIENT_ID;
    delete process.env.SF_CLIENT_SECRET;
    delete process.env.SF_TOKEN;
    await org.close();
  });

  const reader = (settings: Record<string, unknown> = {}) =>
    createSalesforceReader(
      testReaderContext({
        name: "sfdc",
        zone: "America/New_York",
        settings: {
          instance_url: org.url,
          client_id_env: "SF_CLIENT_ID",
          client_secret_env: "SF_CLIENT_SECRET",
          mql_field: "MQL_Date__c",
          ...settings,
        },
      }),
    );

  it("signs in once with client credentials and follows nextRecordsUrl through every batch", async () => {
    org.putLead(LEAD_A, { ConvertedOpportunityId: OPP_A, MQL_Date__c: "2026-09-16" });
    org.putLead(LEAD_B);
    org.putLead(LEAD_C, { ConvertedOpportunityId: OPP_A });
    org.putOpportunity(OPP_A, { IsClosed: true, IsWon: true, Amount: 7500 });
    org.putOpportunity(OPP_B, { IsClosed: true, IsWon: false });
    const pages = await readAll(reader(), null);
    expect(factsOf(pages)).toEqual([
      [`sfdc:lead:${LEAD_A}:lead`, LEAD_A, null],
      [`sfdc:lead:${LEAD_A}:mql`, LEAD_A, null],
      [`sfdc:lead:${LEAD_B}:lead`, LEAD_B, null],
      [`sfdc:lead:${LEAD_C}:lead`, LEAD_C, null],
      [`sfdc:opportunity:${OPP_A}:opportunity`, LEAD_A, null],
      [`sfdc:opportunity:${OPP_A}:won`, LEAD_A, 7500],
      [`sfdc:opportunity:${OPP_B}:opportunity`, `opportunity-${OPP_B}`, null],
      [`sfdc:opportunity:${OPP_B}:lost`, `opportunity-${OPP_B}`, null],
    ]);
    expect(org.requests.filter((r) => r.path === "/services/oauth2/token")).toHaveLength(1);
    const dataRequests = org.requests.filter((r) => r.path.startsWith("/services/data/"));
    const queries = dataRequests.map((r) => r.path.replace(/\/query\/01g\w+-/, "/query/LOCATOR-"));
    expect(queries).toEqual([
      "/services/data/v64.0/queryAll",
      "/services/data/v64.0/query/LOCATOR-2",
      "/services/data/v64.0/queryAll",
      "/services/data/v64.0/query",
    ]);
    expect(dataRequests.every((r) => String(r.headers.authorization).startsWith("Bearer 00Dxx"))).toBe(true);
  });

  it("reads only what changed since its cursor: a changed record's facts follow, a deleted one's go", async () => {
    org.putLead(LEAD_A);
    org.putLead(LEAD_B);
    org.putOpportunity(OPP_A);
    const sf = reader();
    expect(sf.coverage(null, { full: false, nowMs: 0 })).toEqual({ kind: "all" });
    const first = await readAll(sf, null);
    const cursor = first.at(-1)?.cursor ?? null;
    expect(sf.coverage(cursor, { full: false, nowMs: 0 })).toEqual({ kind: "changes" });

    org.update(LEAD_B, { LeadSource: "Web", MQL_Date__c: "2026-09-25" });
    org.delete(OPP_A);
    const second = await readAll(sf, cursor);
    const records = second.flatMap((p) => p.records);
    expect(records.map((r) => [r.key, r.facts.map((f) => `${f.kind}/${f.channel}`)])).toEqual([
      [`sfdc:lead:${LEAD_B}`, ["lead/web", "mql/null"]],
      [`sfdc:opportunity:${OPP_A}`, []],
    ]);
    expect(records.some((r) => r.key === `sfdc:lead:${LEAD_A}`)).toBe(false);
  });

  it("re-reads everything with --full", async () => {
    org.putLead(LEAD_A);
    const sf = reader();
    const cursor = (await readAll(sf, null)).at(-1)?.cursor ?? null;
    expect(sf.coverage(cursor, { full: true, nowMs: 0 })).toEqual({ kind: "all" });
    expect(factsOf(await readAll(sf, cursor, true))).toHaveLength(1);
  });

  it("signs in again once when the session expires", async () => {
    org.putLead(LEAD_A);
    org.putLead(LEAD_B);
    org.putLead(LEAD_C);
    org.fail({ status: 401, path: "/services/data/", body: INVALID_SESSION });
    expect(factsOf(await readAll(reader(), null))).toHaveLength(3);
    expect(org.requests.filter((r) => r.path === "/services/oauth2/token")).toHaveLength(2);
  });

  it("with token_env, names the variable whose token was refused, never the token", async () => {
    process.env.SF_TOKEN = "00Dxx0000001gPL!not-a-valid-session";
    const sf = reader({ client_id_env: undefined, client_secret_env: undefined, token_env: "SF_TOKEN" });
    const error = await readAll(sf, null).catch((e: Error) => e);
    expect(String(error)).toContain("Salesforce refused the token in SF_TOKEN (401)");
    expect(String(error)).not.toContain("not-a-valid-session");
    expect(org.requests.filter((r) => r.path === "/services/oauth2/token")).toHaveLength(0);
  });

  it("uses a valid token from token_env as it is", async () => {
    process.env.SF_TOKEN = "00Dxx0000001gPL!static-token";
    org.putLead(LEAD_A);
    const sf = reader({ client_id_env: undefined, client_secret_env: undefined, token_env: "SF_TOKEN" });
    expect(factsOf(await readAll(sf, null))).toHaveLength(1);
  });

  it("says so when the connected app's credentials are refused", async () => {
    process.env.SF_CLIENT_SECRET = "wrong";
    const error = await readAll(reader(), null).catch((e: Error) => e);
    expect(String(error)).toMatch(/invalid_client|400/);
    expect(String(error)).not.toContain("wrong");
  });

  it("passes on Salesforce's words when a configured field does not exist", async () => {
    org.putLead(LEAD_A);
    const error = await readAll(reader({ mql_field: "Nope__c" }), null).catch((e: Error) => e);
    expect(String(error)).toContain("No such column 'Nope__c' on entity 'Lead'");
  });

  it("converts a record in another currency by the configured rate, or skips it whole and reports it", async () => {
    org.putOpportunity(OPP_A, { IsClosed: true, IsWon: true, Amount: 1000, CurrencyIsoCode: "EUR" });
    org.putOpportunity(OPP_B, { IsClosed: true, IsWon: true, Amount: 1000, CurrencyIsoCode: "GBP" });
    const sf = createSalesforceReader(
      testReaderContext({
        name: "sfdc",
        currency: "USD",
        rates: { EUR: 1.1 },
        settings: {
          instance_url: org.url,
          client_id_env: "SF_CLIENT_ID",
          client_secret_env: "SF_CLIENT_SECRET",
          multi_currency: true,
        },
      }),
    );
    const pages = await readAll(sf, null);
    expect(factsOf(pages)).toEqual([
      [`sfdc:opportunity:${OPP_A}:opportunity`, `opportunity-${OPP_A}`, null],
      [`sfdc:opportunity:${OPP_A}:won`, `opportunity-${OPP_A}`, 1100],
    ]);
    expect(pages.flatMap((p) => p.skipped)).toEqual([
      { key: `sfdc:opportunity:${OPP_B}`, reason: expect.stringContaining("GBP") },
    ]);
  });
});
