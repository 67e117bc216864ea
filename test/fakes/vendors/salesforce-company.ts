// A synthetic org in the fake Salesforce, and the facts its records should yield,
// reckoned here straight from SOURCES.md (not through Tandem's mapping), so tests can
// compare what a sync stored with an independent answer.
import { DateTime } from "luxon";
import type { FakeSalesforce } from "./salesforce.ts";

type ExpectedFact = [string, string, string, string | null, number | null, string | null, string | null, string | null];

const LEAD_SOURCES = ["Web", "Partner Referral", "Phone Inquiry", "Purchased List", null];
const TYPES = ["New Business", "Existing Customer - Upgrade", null, "Existing Customer - Replacement"];
const DAY = 86_400_000;
const BASE = Date.UTC(2026, 6, 1, 9);
const sfTime = (ms: number) => new Date(ms).toISOString().replace("Z", "+0000");
const sfDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** 18-character ids with Salesforce's key prefixes: 00Q leads, 006 opportunities. */
export const leadId = (n: number) => `00Q5e00000${String(n).padStart(5, "0")}AAA`;
export const opportunityId = (n: number) => `0065e00000${String(n).padStart(5, "0")}AAA`;

/** `leads` leads (some qualified, some converted) and `opportunities` opportunities (open, won, lost). */
export function salesforceCompany(fake: FakeSalesforce, size: { leads: number; opportunities: number }): void {
  for (let i = 1; i <= size.leads; i++) {
    const created = BASE + (i % 80) * DAY + i * 1000;
    const converted = i % 3 === 0 && i / 3 <= size.opportunities ? opportunityId(i / 3) : null;
    fake.putLead(leadId(i), {
      CreatedDate: sfTime(created),
      LeadSource: LEAD_SOURCES[i % LEAD_SOURCES.length],
      ConvertedOpportunityId: converted,
      MQL_Date__c: i % 2 === 0 ? sfDate(created + 2 * DAY) : null,
      SQL_Date__c: i % 4 === 0 ? sfTime(created + 4 * DAY) : null,
    });
  }
  for (let o = 1; o <= size.opportunities; o++) {
    const won = o % 3 === 0;
    const lost = !won && o % 4 === 0;
    fake.putOpportunity(opportunityId(o), {
      CreatedDate: sfTime(BASE + o * DAY),
      CloseDate: sfDate(BASE + (o + 25) * DAY),
      IsClosed: won || lost,
      IsWon: won,
      Amount: won && o % 11 === 0 ? null : 1000 + o * 125.25,
      Type: TYPES[o % TYPES.length],
    });
  }
}

/** The facts SOURCES.md says the org's records yield now (mql_field MQL_Date__c, sql_field SQL_Date__c). */
export function salesforceFacts(
  fake: FakeSalesforce,
  options: { source: string; currency: string; rates: Record<string, number>; zone: string },
): ExpectedFact[] {
  const facts: ExpectedFact[] = [];
  const instant = (text: unknown) => new Date(Date.parse(String(text).replace("+0000", "Z"))).toISOString();
  const dayOrInstant = (text: unknown) =>
    /^\d{4}-\d{2}-\d{2}$/.test(String(text))
      ? (DateTime.fromISO(String(text), { zone: options.zone }).toUTC().toISO() as string)
      : instant(text);
  const converter = new Map<string, string>();
  for (const lead of fake.leads.values()) {
    if (lead.IsDeleted) continue;
    const key = `${options.source}:lead:${lead.Id}`;
    const channel = typeof lead.LeadSource === "string" ? lead.LeadSource.toLowerCase().replace(/ /g, "_") : null;
    facts.push([`${key}:lead`, "lead", instant(lead.CreatedDate), lead.Id, null, channel, null, null]);
    if (lead.MQL_Date__c)
      facts.push([`${key}:mql`, "mql", dayOrInstant(lead.MQL_Date__c), lead.Id, null, null, null, null]);
    if (lead.SQL_Date__c)
      facts.push([`${key}:sql`, "sql", dayOrInstant(lead.SQL_Date__c), lead.Id, null, null, null, null]);
    const opportunity = lead.ConvertedOpportunityId;
    if (typeof opportunity === "string" && (converter.get(opportunity) ?? "~") > lead.Id)
      converter.set(opportunity, lead.Id);
  }
  for (const opportunity of fake.opportunities.values()) {
    if (opportunity.IsDeleted) continue;
    const id = opportunity.Id;
    const key = `${options.source}:opportunity:${id}`;
    const entity = converter.get(id) ?? `opportunity-${id}`;
    const currency = String(opportunity.CurrencyIsoCode ?? options.currency).toUpperCase();
    const rate = currency === options.currency ? 1 : options.rates[currency];
    if (rate === undefined) continue;
    facts.push([`${key}:opportunity`, "opportunity", instant(opportunity.CreatedDate), entity, null, null, null, null]);
    if (!opportunity.IsClosed) continue;
    const closed = dayOrInstant(opportunity.CloseDate);
    if (!opportunity.IsWon) facts.push([`${key}:lost`, "lost", closed, entity, null, null, null, null]);
    else if (typeof opportunity.Amount === "number") {
      const segment = opportunity.Type === "New Business" || !opportunity.Type ? "new" : "upsell";
      facts.push([`${key}:won`, "won", closed, entity, opportunity.Amount * rate, null, segment, null]);
    }
  }
  return facts;
}
