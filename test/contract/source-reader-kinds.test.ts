// The salesforce, google_ads and meta_ads kinds against the shared reader contract
// (source-reader.contract.ts), each with its local fake and its own independent
// reckoning of the facts (test/fakes/vendors/*-company.ts). sql and csv_url read no
// vendor API; their behaviour is checked in test/integration/sources/.

import {
  dayBefore,
  googleAdsCompany,
  googleAdsFacts,
  metaAdsCompany,
  metaAdsFacts,
} from "../fakes/vendors/ad-company.ts";
import { startFakeGoogleAds } from "../fakes/vendors/google-ads.ts";
import { startFakeMetaAds } from "../fakes/vendors/meta-ads.ts";
import { startFakeSalesforce } from "../fakes/vendors/salesforce.ts";
import { leadId, opportunityId, salesforceCompany, salesforceFacts } from "../fakes/vendors/salesforce-company.ts";
import { type SourceHarness, sourceReaderContract } from "./source-reader.contract.ts";

const ZONE = "America/New_York";

const salesforce: SourceHarness = {
  kind: "salesforce",
  currency: "USD",
  async start() {
    const fake = await startFakeSalesforce({ batchSize: 50 });
    salesforceCompany(fake, { leads: 120, opportunities: 30 });
    return {
      server: fake,
      entry: {
        instance_url: fake.url,
        token_env: "TEST_SF_TOKEN",
        mql_field: "MQL_Date__c",
        sql_field: "SQL_Date__c",
        multi_currency: true,
      },
      // a static token, so a wrong one meets the org's 401 (the client-credentials flow: salesforce-reader.test.ts)
      env: { TEST_SF_TOKEN: "00Dxx0000001gPL!static-token" },
      badEnv: { TEST_SF_TOKEN: "00Dxx0000001gPL!wrong-token-0000" },
      expected: (source, rates) => salesforceFacts(fake, { source, currency: "USD", rates: rates ?? {}, zone: ZONE }),
      change() {
        fake.update(leadId(2), { LeadSource: "Trade Show", MQL_Date__c: null });
        fake.update(opportunityId(3), { Amount: 4321.5 });
      },
      remove: () => fake.delete(leadId(5)),
      addInCurrency(source, currency) {
        fake.putOpportunity(opportunityId(900), {
          IsClosed: true,
          IsWon: true,
          Amount: 100,
          CurrencyIsoCode: currency,
        });
        return `${source}:opportunity:${opportunityId(900)}`;
      },
      deletionsNeedFull: false,
      close: () => fake.close(),
    };
  },
};

const googleAds: SourceHarness = {
  kind: "google_ads",
  currency: "USD",
  async start() {
    const fake = await startFakeGoogleAds();
    googleAdsCompany(fake, { days: 100, zone: ZONE });
    return {
      server: fake,
      entry: {
        base_url: fake.url,
        token_url: `${fake.url}/token`,
        customer_id: "123-456-7890",
        developer_token_env: "TEST_GADS_DEV",
        client_id_env: "TEST_GADS_CLIENT_ID",
        client_secret_env: "TEST_GADS_CLIENT_SECRET",
        refresh_token_env: "TEST_GADS_REFRESH",
        start_date: dayBefore(100, ZONE),
      },
      env: {
        TEST_GADS_DEV: fake.developerToken,
        TEST_GADS_CLIENT_ID: fake.clientId,
        TEST_GADS_CLIENT_SECRET: fake.clientSecret,
        TEST_GADS_REFRESH: fake.refreshToken,
      },
      badEnv: {
        TEST_GADS_DEV: fake.developerToken,
        TEST_GADS_CLIENT_ID: fake.clientId,
        TEST_GADS_CLIENT_SECRET: "GOCSPX-wrong-0000",
        TEST_GADS_REFRESH: fake.refreshToken,
      },
      expected: (source, rates) => googleAdsFacts(fake, { source, currency: "USD", rates: rates ?? {}, zone: ZONE }),
      change: () => fake.setCost(dayBefore(3, ZONE), "1000", "SEARCH", 9_876_543),
      remove() {
        for (const cost of [...fake.costs.values()])
          if (cost.date === dayBefore(5, ZONE)) fake.setCost(cost.date, cost.campaignId, cost.channelType, 0);
      },
      addInCurrency(source, currency) {
        const date = dayBefore(2, ZONE);
        for (const cost of [...fake.costs.values()])
          if (cost.date === date) fake.setCost(date, cost.campaignId, cost.channelType, 0);
        fake.setCost(date, "2000", "SEARCH", 5_000_000, currency);
        return `${source}:day:${date}`;
      },
      deletionsNeedFull: false,
      close: () => fake.close(),
    };
  },
};

const metaAds: SourceHarness = {
  kind: "meta_ads",
  currency: "USD",
  async start() {
    const fake = await startFakeMetaAds();
    metaAdsCompany(fake, { days: 80, zone: ZONE });
    return {
      server: fake,
      entry: {
        base_url: fake.url,
        account_id: `act_${fake.accountId}`,
        token_env: "TEST_META_TOKEN",
        start_date: dayBefore(80, ZONE),
      },
      env: { TEST_META_TOKEN: "EAAfake-system-user-token" },
      badEnv: { TEST_META_TOKEN: "EAAwrong-token-0000" },
      expected: (source, rates) => metaAdsFacts(fake, { source, currency: "USD", rates: rates ?? {}, zone: ZONE }),
      change: () => fake.setSpend(dayBefore(4, ZONE), "999.99"),
      remove: () => fake.setSpend(dayBefore(6, ZONE), "0"),
      addInCurrency(source, currency) {
        const date = dayBefore(2, ZONE);
        fake.setSpend(date, "40.00", currency);
        return `${source}:day:${date}`;
      },
      deletionsNeedFull: false,
      close: () => fake.close(),
    };
  },
};

for (const harness of [salesforce, googleAds, metaAds]) sourceReaderContract(harness);
