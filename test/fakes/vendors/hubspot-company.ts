// A synthetic company in the fake HubSpot, and the facts its records should yield,
// reckoned here straight from SOURCES.md's tables (not through Tandem's mapping), so
// tests can compare what a sync stored with an independent answer.
import type { FakeHubspot } from "./hubspot.ts";

type ExpectedFact = [string, string, string, string | null, number | null, string | null, string | null, string | null];

const SOURCES = ["PAID_SEARCH", "ORGANIC_SEARCH", "EMAIL_MARKETING", "SOCIAL_MEDIA", "DIRECT_TRAFFIC", ""];
const DAY = 86_400_000;
const BASE = Date.UTC(2026, 6, 1, 9);
const iso = (ms: number) => new Date(ms).toISOString();

/** `contacts` contacts with lifecycle dates and `deals` deals (won, lost, open), deterministic. */
export function hubspotCompany(fake: FakeHubspot, size: { contacts: number; deals: number }): void {
  for (let i = 1; i <= size.contacts; i++) {
    const created = BASE + (i % 90) * DAY + i * 1000;
    fake.putContact(String(i), {
      createdate: iso(created),
      // every 7th contact has no lead date: its lead falls back to createdate
      hs_lifecyclestage_lead_date: i % 7 === 0 ? null : iso(created + 3_600_000),
      hs_lifecyclestage_marketingqualifiedlead_date: i % 2 === 0 ? iso(created + 2 * DAY) : null,
      hs_lifecyclestage_salesqualifiedlead_date: i % 4 === 0 ? iso(created + 5 * DAY) : null,
      hs_lifecyclestage_opportunity_date: i % 8 === 0 ? iso(created + 9 * DAY) : null,
      hs_analytics_source: SOURCES[i % SOURCES.length] ?? "",
    });
  }
  for (let d = 1; d <= size.deals; d++) {
    const won = d % 3 === 0;
    const lost = !won && d % 4 === 0;
    const contacts = d % 5 === 0 ? [] : [String(((d * 7) % size.contacts) + 1), String(((d * 13) % size.contacts) + 1)];
    fake.putDeal(
      String(d),
      {
        createdate: iso(BASE + d * DAY),
        closedate: won || lost ? iso(BASE + (d + 20) * DAY + 5_400_000) : null,
        amount: won && d % 11 === 0 ? null : String(1000 + d * 250.5),
        dealtype: ["newbusiness", "existingbusiness", ""][d % 3] ?? "",
        hs_is_closed: won || lost ? "true" : "false",
        hs_is_closed_won: won ? "true" : "false",
      },
      contacts,
    );
  }
}

/** The facts SOURCES.md says the fake's records yield now. */
export function hubspotFacts(
  fake: FakeHubspot,
  options: { source: string; currency: string; rates: Record<string, number>; zone: string },
): ExpectedFact[] {
  const facts: ExpectedFact[] = [];
  const at = (text: string | null | undefined) => (text ? new Date(Date.parse(text)).toISOString() : null);
  for (const contact of fake.contacts.values()) {
    if (contact.archived) continue;
    const p = contact.properties;
    const key = `${options.source}:contact:${contact.id}`;
    const lead = at(p.hs_lifecyclestage_lead_date) ?? at(p.createdate);
    const channel = p.hs_analytics_source ? p.hs_analytics_source.toLowerCase() : null;
    if (lead) facts.push([`${key}:lead`, "lead", lead, contact.id, null, channel, null, null]);
    const mql = at(p.hs_lifecyclestage_marketingqualifiedlead_date);
    if (mql) facts.push([`${key}:mql`, "mql", mql, contact.id, null, null, null, null]);
    const sql = at(p.hs_lifecyclestage_salesqualifiedlead_date);
    if (sql) facts.push([`${key}:sql`, "sql", sql, contact.id, null, null, null, null]);
    const opportunity = at(p.hs_lifecyclestage_opportunity_date);
    if (opportunity) facts.push([`${key}:opportunity`, "opportunity", opportunity, contact.id, null, null, null, null]);
  }
  for (const deal of fake.deals.values()) {
    if (deal.archived) continue;
    const p = deal.properties;
    const key = `${options.source}:deal:${deal.id}`;
    const ids = (fake.associations.get(deal.id) ?? []).map(Number).sort((a, b) => a - b);
    const entity = ids.length > 0 ? String(ids[0]) : `deal-${deal.id}`;
    const closed = at(p.closedate);
    if (closed === null) continue;
    if (p.hs_is_closed_won === "true") {
      if (p.amount === null || p.amount === undefined || p.amount === "") continue;
      const currency = (p.deal_currency_code ?? options.currency).toUpperCase();
      const rate = currency === options.currency ? 1 : options.rates[currency];
      if (rate === undefined) continue;
      const segment = p.dealtype === "existingbusiness" ? "upsell" : "new";
      facts.push([`${key}:won`, "won", closed, entity, Number(p.amount) * rate, null, segment, null]);
    } else if (p.hs_is_closed === "true") {
      facts.push([`${key}:lost`, "lost", closed, entity, null, null, null, null]);
    }
  }
  return facts;
}
