// HubSpot (SOURCES.md, "HubSpot"): its config keys, and contacts and deals → facts.
// Contacts yield lead, mql, sql and opportunity at their lifecycle-stage dates; deals
// yield won (with amount and segment) or lost at closedate, attributed to their
// associated contact with the lowest id.
import { z } from "zod";
import type { Fact } from "../facts/fact.ts";
import { envName, type SourceKindSpec } from "./kind-spec.ts";
import { channelName, type MappedRecord, sourceFact, vendorAmount, vendorInstant } from "./mapped-record.ts";
import { type MoneyContext, toWorkspaceAmount } from "./money.ts";

export const hubspotSpec: SourceKindSpec = {
  defaultBaseUrl: "https://api.hubapi.com",
  settings: z.object({ token_env: envName() }).strict(),
};

export type HubspotObject = {
  id: string;
  properties: Record<string, string | null | undefined>;
  updatedAt?: string;
  archived?: boolean;
};

export const CONTACT_STAGES = [
  ["lead", "hs_lifecyclestage_lead_date"],
  ["mql", "hs_lifecyclestage_marketingqualifiedlead_date"],
  ["sql", "hs_lifecyclestage_salesqualifiedlead_date"],
  ["opportunity", "hs_lifecyclestage_opportunity_date"],
] as const;
export const CONTACT_PROPERTIES = [
  "createdate",
  "lastmodifieddate",
  "hs_analytics_source",
  ...CONTACT_STAGES.map(([, property]) => property),
];
export const DEAL_PROPERTIES = [
  "amount",
  "closedate",
  "dealtype",
  "hs_is_closed",
  "hs_is_closed_won",
  "hs_lastmodifieddate",
  "deal_currency_code",
];

export type HubspotMapping = { source: string; zone: string; money: MoneyContext };

/** HubSpot sends instants as ISO text; older portals and exports as epoch milliseconds. */
function hubspotInstant(field: string, raw: unknown, zone: string): number | string {
  if (typeof raw === "string" && /^\d{10,}$/.test(raw.trim())) return Number(raw.trim());
  return vendorInstant(field, raw, zone);
}

const present = (raw: unknown) => typeof raw === "string" && raw.trim() !== "";

export function mapHubspotContact(contact: HubspotObject, mapping: HubspotMapping): MappedRecord {
  const key = `${mapping.source}:contact:${contact.id}`;
  const record: MappedRecord = { key, facts: [], skipped: [] };
  if (contact.archived === true) return record;
  const props = contact.properties ?? {};
  for (const [kind, property] of CONTACT_STAGES) {
    const field = kind === "lead" && !present(props[property]) ? "createdate" : property;
    if (!present(props[field])) continue;
    const at = hubspotInstant(field, props[field], mapping.zone);
    if (typeof at === "string") {
      record.skipped.push(`${kind} not counted: ${at}`);
      continue;
    }
    const channel = kind === "lead" ? channelName(props.hs_analytics_source) : undefined;
    record.facts.push(
      sourceFact(`${key}:${kind}`, kind, at, { entityId: contact.id, ...(channel ? { channel } : {}) }),
    );
  }
  return record;
}

/** The lowest contact id (numerically, as HubSpot ids are), or undefined. */
export function lowestId(ids: readonly string[]): string | undefined {
  return [...ids].sort((a, b) => (a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0))[0];
}

export function mapHubspotDeal(
  deal: HubspotObject,
  contactIds: readonly string[],
  mapping: HubspotMapping,
): MappedRecord {
  const key = `${mapping.source}:deal:${deal.id}`;
  const record: MappedRecord = { key, facts: [], skipped: [] };
  if (deal.archived === true) return record;
  const props = deal.properties ?? {};
  const won = props.hs_is_closed_won === "true";
  const lost = !won && props.hs_is_closed === "true";
  if (!won && !lost) return record;
  const entityId = lowestId(contactIds) ?? `deal-${deal.id}`;
  const closed = hubspotInstant("closedate", props.closedate, mapping.zone);
  if (typeof closed === "string") {
    record.skipped.push(`${won ? "won" : "lost"} not counted: ${closed}`);
    return record;
  }
  if (lost) {
    record.facts.push(sourceFact(`${key}:lost`, "lost", closed, { entityId }));
    return record;
  }
  const amount = vendorAmount("amount", props.amount);
  if (typeof amount === "string") {
    record.skipped.push(`won deal not counted: ${amount}`);
    return record;
  }
  const value = toWorkspaceAmount(amount, props.deal_currency_code, mapping.money);
  if (typeof value === "string") {
    record.skipped.push(`won deal not counted: ${value}`);
    return record;
  }
  const type = (props.dealtype ?? "").trim().toLowerCase();
  const segment: Fact["segment"] = type === "" || type === "newbusiness" ? "new" : "upsell";
  record.facts.push(sourceFact(`${key}:won`, "won", closed, { entityId, value, segment }));
  return record;
}
