import { describe, expect, it } from "vitest";
import { lowestId, mapHubspotContact, mapHubspotDeal } from "../../../../src/core/sources/hubspot.ts";
import { toWorkspaceAmount } from "../../../../src/core/sources/money.ts";
import { mapStripeCustomer, monthlyAmount, type StripeSubscription } from "../../../../src/core/sources/stripe.ts";

const money = { currency: "USD", rates: { EUR: 1.1 } };
const sub = (fields: Partial<StripeSubscription> & { items?: StripeSubscription["items"] }): StripeSubscription => ({
  id: "sub_1",
  customer: "cus_1",
  currency: "usd",
  start_date: 1_000,
  trial_end: null,
  ended_at: null,
  items: { data: [{ quantity: 1, price: { unit_amount: 1200, recurring: { interval: "month", interval_count: 1 } } }] },
  ...fields,
});
const item = (unit: number | null, interval: "day" | "week" | "month" | "year", count = 1, quantity = 1) => ({
  quantity,
  price: { unit_amount: unit, recurring: { interval, interval_count: count } },
});

describe("Stripe subscriptions → mrr", () => {
  it("scales each item to a month: years ÷ 12, weeks × 52 ÷ 12, days × 365 ÷ 12, interval counts, quantities", () => {
    expect(monthlyAmount(sub({ items: { data: [item(12_000, "year")] } }))).toBeCloseTo(10, 9);
    expect(monthlyAmount(sub({ items: { data: [item(1200, "week")] } }))).toBeCloseTo(52, 9);
    expect(monthlyAmount(sub({ items: { data: [item(100, "day")] } }))).toBeCloseTo(365 / 12, 9);
    expect(monthlyAmount(sub({ items: { data: [item(3000, "month", 3, 2)] } }))).toBeCloseTo(20, 9);
    expect(monthlyAmount(sub({ items: { data: [item(1000, "month"), item(500, "month", 1, 4)] } }))).toBe(30);
    // yen have no minor unit
    expect(monthlyAmount(sub({ currency: "jpy", items: { data: [item(5000, "month")] } }))).toBe(5000);
    expect(monthlyAmount(sub({ items: { data: [item(null, "month")] } }))).toMatch(/without a unit amount/);
  });

  it("writes the customer's total just after every start and stop, from the trial's end, 0 when nothing counts", () => {
    const { record, skipped } = mapStripeCustomer(
      "cus_1",
      [
        sub({ id: "a", start_date: 100, trial_end: 200, ended_at: 500 }),
        sub({ id: "b", start_date: 300, items: { data: [item(2400, "month")] } }),
        sub({ id: "c", start_date: 50, ended_at: 40 }),
        sub({ id: "d", start_date: 60, status: "incomplete_expired" }),
        sub({ id: "e", start_date: 70, currency: "gbp" }),
        sub({ id: "f", start_date: 400, ended_at: 600, currency: "eur" }),
      ],
      { source: "billing", money },
    );
    expect(record.facts.map((f) => [f.occurredMs, f.value, f.kind, f.entityId])).toEqual([
      [200_000, 12, "mrr", "cus_1"],
      [300_000, 36, "mrr", "cus_1"],
      [400_000, 36 + 12 * 1.1, "mrr", "cus_1"],
      [500_000, 24 + 12 * 1.1, "mrr", "cus_1"],
      [600_000, 24, "mrr", "cus_1"],
    ]);
    expect(record.facts[0]?.externalId).toBe("billing:customer:cus_1:mrr:1970-01-01T00:03:20.000Z");
    expect(skipped).toEqual([{ key: "billing:subscription:e", reason: expect.stringContaining("in GBP, not USD") }]);
  });

  it("converts at the configured rate, or says which rate is missing", () => {
    expect(toWorkspaceAmount(10, "usd", money)).toBe(10);
    expect(toWorkspaceAmount(10, "EUR", money)).toBeCloseTo(11, 9);
    expect(toWorkspaceAmount(10, null, money)).toBe(10);
    expect(toWorkspaceAmount(10, "CHF", money)).toBe(
      "in CHF, not USD, and the config gives no rate for CHF (rates: { CHF: … })",
    );
  });
});

describe("HubSpot contacts and deals → facts", () => {
  const mapping = { source: "crm", zone: "UTC", money };
  it("reads each lifecycle date, the lead's from createdate when it has none, and its channel", () => {
    const record = mapHubspotContact(
      {
        id: "7",
        properties: {
          createdate: "2026-09-01T10:00:00.000Z",
          hs_lifecyclestage_lead_date: "",
          hs_lifecyclestage_marketingqualifiedlead_date: "1788868800000",
          hs_lifecyclestage_salesqualifiedlead_date: "not a date",
          hs_analytics_source: "PAID_SEARCH",
        },
      },
      mapping,
    );
    expect(record.facts.map((f) => [f.externalId, f.kind, f.occurredMs, f.channel, f.entityId])).toEqual([
      ["crm:contact:7:lead", "lead", Date.parse("2026-09-01T10:00:00Z"), "paid_search", "7"],
      ["crm:contact:7:mql", "mql", 1_788_868_800_000, null, "7"],
    ]);
    expect(record.skipped).toEqual([
      expect.stringMatching(/^sql not counted: hs_lifecyclestage_salesqualifiedlead_date/),
    ]);
    expect(
      mapHubspotContact({ id: "8", properties: { createdate: "2026-09-01T10:00:00Z" }, archived: true }, mapping).facts,
    ).toEqual([]);
  });

  it("gives a won deal its amount and segment, a lost one its close, both to the lowest contact id", () => {
    const closed = { closedate: "2026-09-30T15:00:00Z", hs_is_closed: "true" };
    const won = (props: Record<string, string | null>, contacts: string[] = ["12", "9", "100"]) =>
      mapHubspotDeal(
        { id: "5", properties: { ...closed, hs_is_closed_won: "true", amount: "1500.5", ...props } },
        contacts,
        mapping,
      );
    expect(won({ dealtype: "newbusiness" }).facts[0]).toMatchObject({
      kind: "won",
      value: 1500.5,
      segment: "new",
      entityId: "9",
    });
    expect(won({ dealtype: null }, []).facts[0]).toMatchObject({ segment: "new", entityId: "deal-5" });
    expect(won({ dealtype: "existingbusiness" }).facts[0]).toMatchObject({ segment: "upsell" });
    expect(won({ deal_currency_code: "EUR" }).facts[0]?.value).toBeCloseTo(1650.55, 9);
    expect(won({ amount: null }).skipped).toEqual(["won deal not counted: amount is empty"]);
    expect(won({ deal_currency_code: "JPY" }).skipped[0]).toContain("in JPY, not USD");
    const lost = mapHubspotDeal({ id: "6", properties: { ...closed, hs_is_closed_won: "false" } }, ["3"], mapping);
    expect(lost.facts.map((f) => [f.externalId, f.kind, f.entityId, f.value])).toEqual([
      ["crm:deal:6:lost", "lost", "3", null],
    ]);
    const open = mapHubspotDeal(
      { id: "7", properties: { hs_is_closed: "false", hs_is_closed_won: "false" } },
      [],
      mapping,
    );
    expect(open).toEqual({ key: "crm:deal:7", facts: [], skipped: [] });
    expect(lowestId(["100", "99", "1000"])).toBe("99");
  });
});
