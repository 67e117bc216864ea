// Every source kind against the shared reader contract (source-reader.contract.ts),
// each with its local fake and its own independent reckoning of the facts.

import { startFakeHubspot } from "../fakes/vendors/hubspot.ts";
import { hubspotCompany, hubspotFacts } from "../fakes/vendors/hubspot-company.ts";
import { startFakeStripe } from "../fakes/vendors/stripe.ts";
import { stripeCompany, stripeFacts } from "../fakes/vendors/stripe-company.ts";
import { type ExpectedFact, type SourceHarness, sourceReaderContract } from "./source-reader.contract.ts";

const hubspot: SourceHarness = {
  kind: "hubspot",
  currency: "USD",
  async start() {
    const fake = await startFakeHubspot();
    hubspotCompany(fake, { contacts: 250, deals: 60 });
    return {
      server: fake,
      entry: { base_url: fake.url, token_env: "TEST_HUBSPOT_TOKEN" },
      env: { TEST_HUBSPOT_TOKEN: fake.token },
      badEnv: { TEST_HUBSPOT_TOKEN: "pat-na1-wrong-token-0000" },
      expected: (source, rates) =>
        hubspotFacts(fake, { source, currency: "USD", rates: rates ?? {}, zone: "America/New_York" }),
      change() {
        fake.putContact("2", {
          hs_lifecyclestage_marketingqualifiedlead_date: null,
          hs_lifecyclestage_salesqualifiedlead_date: "2026-09-20T09:00:00.000Z",
        });
        fake.putDeal("3", { amount: "4321.5" });
      },
      remove: () => fake.archive("contacts", "5"),
      addInCurrency(source, currency) {
        fake.putDeal(
          "900",
          {
            amount: "100",
            closedate: "2026-09-18T12:00:00.000Z",
            hs_is_closed: "true",
            hs_is_closed_won: "true",
            dealtype: "newbusiness",
            deal_currency_code: currency,
          },
          ["1"],
        );
        return `${source}:deal:900`;
      },
      deletionsNeedFull: true,
      close: () => fake.close(),
    };
  },
};

const stripe: SourceHarness = {
  kind: "stripe",
  currency: "USD",
  async start() {
    const fake = await startFakeStripe();
    stripeCompany(fake, { customers: 200 });
    return {
      server: fake,
      entry: { base_url: fake.url, token_env: "TEST_STRIPE_KEY" },
      env: { TEST_STRIPE_KEY: fake.key },
      badEnv: { TEST_STRIPE_KEY: "rk_test_wrong_key_0000" },
      expected: (source, rates) => stripeFacts(fake, { source, currency: "USD", rates: rates ?? {} }),
      change() {
        const sub = fake.subscriptions.get("sub_3") as { items: { data: { quantity: number }[] } };
        const item = sub.items.data[0];
        if (item) item.quantity += 2;
      },
      remove() {
        for (const [id, sub] of fake.subscriptions) if (sub.customer === "cus_5") fake.remove(id);
      },
      addInCurrency(source, currency) {
        fake.put("sub_eur", {
          customer: "cus_eur",
          currency: currency.toLowerCase(),
          start: 1_757_000_000,
          items: [{ unitAmount: 5000 }],
        });
        return `${source}:subscription:sub_eur`;
      },
      deletionsNeedFull: false,
      close: () => fake.close(),
    };
  },
};

export type { ExpectedFact };

for (const harness of [hubspot, stripe]) sourceReaderContract(harness);
