// Salesforce records → facts (SOURCES.md, "Salesforce"). Leads yield lead, mql and
// sql; opportunities yield opportunity, won and lost, attributed to the lead that was
// converted into them. Date-times arrive as "2026-09-14T10:30:00.000+0000"; CloseDate
// is a date, read as midnight in the workspace zone.
import { z } from "zod";
import type { Fact } from "../facts/fact.ts";
import { envName, type SourceKindSpec } from "./kind-spec.ts";
import { channelName, type MappedRecord, sourceFact, vendorAmount, vendorInstant } from "./mapped-record.ts";

export const DEFAULT_SALESFORCE_API_VERSION = "64.0";

const soqlField = () =>
  z.string().refine((name) => isSoqlFieldName(name), {
    message: "expected a Lead field's API name (letters, digits and _, like MQL_Date__c)",
  });

export const salesforceSpec: SourceKindSpec = {
  // No single public host: each org has its own (instance_url); base_url, when set, wins.
  defaultBaseUrl: "https://login.salesforce.com",
  settings: z
    .object({
      instance_url: z.url({
        protocol: /^https?$/,
        error: "expected the org's URL, like https://acme.my.salesforce.com",
      }),
      api_version: z
        .string()
        .regex(/^\d{2,3}\.0$/, 'expected a REST API version such as "64.0"')
        .default(DEFAULT_SALESFORCE_API_VERSION),
      token_env: envName().optional(),
      client_id_env: envName().optional(),
      client_secret_env: envName().optional(),
      mql_field: soqlField().optional(),
      sql_field: soqlField().optional(),
      multi_currency: z.boolean().default(false),
    })
    .strict()
    .superRefine((settings, ctx) => {
      const credentials = settings.client_id_env !== undefined || settings.client_secret_env !== undefined;
      if (settings.token_env === undefined && !credentials)
        ctx.addIssue({
          code: "custom",
          message:
            "name how to sign in: token_env (an access token), or client_id_env and client_secret_env (a connected app's client-credentials flow)",
        });
      else if (settings.token_env !== undefined && credentials)
        ctx.addIssue({ code: "custom", message: "either token_env or client_id_env/client_secret_env, not both" });
      else if (credentials && (settings.client_id_env === undefined || settings.client_secret_env === undefined))
        ctx.addIssue({
          code: "custom",
          path: [settings.client_id_env === undefined ? "client_id_env" : "client_secret_env"],
          message: "the client-credentials flow needs both client_id_env and client_secret_env",
        });
    }),
};

export type SalesforceRecord = { Id: string; IsDeleted?: boolean; [field: string]: unknown };

export type SalesforceMapping = {
  source: string;
  zone: string;
  /** the Lead date field that marks a lead marketing-qualified (config `mql_field`) */
  mqlField?: string;
  /** the Lead date field that marks a lead sales-qualified (config `sql_field`) */
  sqlField?: string;
};

export const LEAD_FIELDS = ["Id", "CreatedDate", "LeadSource", "ConvertedOpportunityId", "SystemModstamp", "IsDeleted"];
export const OPPORTUNITY_FIELDS = [
  "Id",
  "CreatedDate",
  "CloseDate",
  "IsClosed",
  "IsWon",
  "Amount",
  "Type",
  "SystemModstamp",
  "IsDeleted",
];

/** A lead: `lead` at CreatedDate (channel from LeadSource), `mql`/`sql` at the configured fields when set. */
export function mapSalesforceLead(lead: SalesforceRecord, mapping: SalesforceMapping): MappedRecord {
  const key = `${mapping.source}:lead:${lead.Id}`;
  const record: MappedRecord = { key, facts: [], skipped: [] };
  if (lead.IsDeleted === true) return record;
  const entityId = lead.Id;
  const created = vendorInstant("CreatedDate", lead.CreatedDate, mapping.zone);
  if (typeof created === "string") record.skipped.push(`lead not counted: ${created}`);
  else {
    const channel = channelName(lead.LeadSource);
    record.facts.push(sourceFact(`${key}:lead`, "lead", created, { entityId, ...(channel ? { channel } : {}) }));
  }
  for (const [kind, field] of [
    ["mql", mapping.mqlField],
    ["sql", mapping.sqlField],
  ] as const) {
    if (field === undefined) continue;
    const raw = lead[field];
    if (raw === null || raw === undefined || raw === "") continue;
    const at = vendorInstant(field, raw, mapping.zone);
    if (typeof at === "string") record.skipped.push(`${kind} not counted: ${at}`);
    else record.facts.push(sourceFact(`${key}:${kind}`, kind, at, { entityId }));
  }
  return record;
}

/**
 * An opportunity: `opportunity` at CreatedDate; when closed, `won` (value Amount,
 * segment from Type) or `lost` at CloseDate. `convertedLeadId` is the lead converted
 * into it (the lowest Id when several were), which keeps one entity through the funnel.
 */
export function mapSalesforceOpportunity(
  opportunity: SalesforceRecord,
  convertedLeadId: string | undefined,
  mapping: SalesforceMapping,
): MappedRecord {
  const key = `${mapping.source}:opportunity:${opportunity.Id}`;
  const record: MappedRecord = { key, facts: [], skipped: [] };
  if (typeof opportunity.CurrencyIsoCode === "string") record.currency = opportunity.CurrencyIsoCode;
  if (opportunity.IsDeleted === true) return record;
  const entityId = convertedLeadId ?? `opportunity-${opportunity.Id}`;
  const created = vendorInstant("CreatedDate", opportunity.CreatedDate, mapping.zone);
  if (typeof created === "string") record.skipped.push(`opportunity not counted: ${created}`);
  else record.facts.push(sourceFact(`${key}:opportunity`, "opportunity", created, { entityId }));
  if (opportunity.IsClosed !== true) return record;
  const closed = closeFact(opportunity, key, entityId, mapping.zone);
  if (typeof closed === "string") record.skipped.push(closed);
  else record.facts.push(closed);
  return record;
}

function closeFact(opportunity: SalesforceRecord, key: string, entityId: string, zone: string): Fact | string {
  const won = opportunity.IsWon === true;
  const kind = won ? "won" : "lost";
  const closed = vendorInstant("CloseDate", opportunity.CloseDate, zone);
  if (typeof closed === "string") return `${kind} not counted: ${closed}`;
  if (!won) return sourceFact(`${key}:lost`, "lost", closed, { entityId });
  const amount = vendorAmount("Amount", opportunity.Amount);
  if (typeof amount === "string") return `won not counted: ${amount}`;
  const type = typeof opportunity.Type === "string" ? opportunity.Type.trim() : "";
  const segment = type === "" || type === "New Business" ? "new" : "upsell";
  return sourceFact(`${key}:won`, "won", closed, { entityId, value: amount, segment });
}

/** The lead each opportunity was converted from: the lowest lead Id per ConvertedOpportunityId. */
export function convertedLeads(leads: SalesforceRecord[]): Map<string, string> {
  const byOpportunity = new Map<string, string>();
  for (const lead of leads) {
    const opportunityId = lead.ConvertedOpportunityId;
    if (typeof opportunityId !== "string" || opportunityId === "") continue;
    const known = byOpportunity.get(opportunityId);
    if (known === undefined || lead.Id < known) byOpportunity.set(opportunityId, lead.Id);
  }
  return byOpportunity;
}

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;

/** Whether a configured field name can go into SOQL as it is (letters, digits, _; custom fields end in __c). */
export function isSoqlFieldName(name: string): boolean {
  return FIELD_NAME.test(name);
}

/** A SOQL datetime literal (no quotes): 2026-09-14T10:30:00Z. */
export function soqlDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The incremental query of one object: everything modified at or after `sinceMs` (all when undefined), oldest first. */
export function soqlChangedSince(object: string, fields: string[], sinceMs: number | undefined): string {
  const where = sinceMs === undefined ? "" : ` WHERE SystemModstamp >= ${soqlDateTime(sinceMs)}`;
  return `SELECT ${fields.join(", ")} FROM ${object}${where} ORDER BY SystemModstamp ASC`;
}

/** The leads converted into these opportunities (ids are Salesforce's 15/18-character ids). */
export function soqlConvertedLeads(opportunityIds: string[]): string {
  const ids = opportunityIds.filter((id) => /^[A-Za-z0-9]{15,18}$/.test(id)).map((id) => `'${id}'`);
  return `SELECT Id, ConvertedOpportunityId FROM Lead WHERE ConvertedOpportunityId IN (${ids.join(", ")})`;
}
