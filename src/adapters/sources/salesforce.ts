// Reads a Salesforce org over the REST API: Leads, then Opportunities, each changed
// since its own SystemModstamp cursor, through /queryAll so deleted records are seen
// (IsDeleted) and lose their facts; batches follow nextRecordsUrl until done. The
// token comes from token_env, or from the OAuth client-credentials flow of a
// connected app, fetched again once when the org answers 401.

import type { SourceReader } from "../../core/sources/reader.ts";
import {
  convertedLeads,
  DEFAULT_SALESFORCE_API_VERSION,
  LEAD_FIELDS,
  mapSalesforceLead,
  mapSalesforceOpportunity,
  OPPORTUNITY_FIELDS,
  type SalesforceMapping,
  type SalesforceRecord,
  soqlChangedSince,
  soqlConvertedLeads,
} from "../../core/sources/salesforce.ts";
import { SourceHttpError } from "./http-client.ts";
import { toPage } from "./mapped-page.ts";
import type { ReaderContext } from "./reader-context.ts";

type SalesforceSettings = {
  instance_url: string;
  base_url?: string;
  api_version?: string;
  token_env?: string;
  client_id_env?: string;
  client_secret_env?: string;
  mql_field?: string;
  sql_field?: string;
  multi_currency?: boolean;
};
type QueryAnswer = { done: boolean; nextRecordsUrl?: string; records: SalesforceRecord[] };
type Cursor = { lead?: number; opportunity?: number };

// Salesforce counts API calls per org and day rather than per second; 10 a second keeps
// one sync from spending a day's allowance in a burst.
export const SALESFORCE_REQUESTS_PER_SECOND = 10;

// Converted-lead look-ups go in the URL: 200 ids keep it well under 16 KB.
const IDS_PER_LOOKUP = 200;

function parseCursor(text: string | null): Cursor {
  if (text === null) return {};
  try {
    const parsed = JSON.parse(text) as Cursor;
    return typeof parsed === "object" && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}

function modstamp(record: SalesforceRecord): number | undefined {
  const text = typeof record.SystemModstamp === "string" ? record.SystemModstamp.replace(/\+0000$/, "Z") : "";
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

export function createSalesforceReader(ctx: ReaderContext): SourceReader {
  const settings = ctx.settings as SalesforceSettings;
  const base = (settings.base_url ?? settings.instance_url).replace(/\/+$/, "");
  const api = `${base}/services/data/v${settings.api_version ?? DEFAULT_SALESFORCE_API_VERSION}`;
  const mapping: SalesforceMapping = {
    source: ctx.name,
    zone: ctx.zone,
    ...(settings.mql_field ? { mqlField: settings.mql_field } : {}),
    ...(settings.sql_field ? { sqlField: settings.sql_field } : {}),
  };
  const leadFields = [...new Set([...LEAD_FIELDS, settings.mql_field, settings.sql_field])].filter(
    (f): f is string => f !== undefined,
  );
  const opportunityFields = settings.multi_currency ? [...OPPORTUNITY_FIELDS, "CurrencyIsoCode"] : OPPORTUNITY_FIELDS;
  let token: string | undefined;

  async function signIn(): Promise<string> {
    if (settings.token_env !== undefined) return ctx.secret("token_env");
    const answer = await ctx.http.json<{ access_token?: string }>({
      method: "POST",
      url: `${base}/services/oauth2/token`,
      form: {
        grant_type: "client_credentials",
        client_id: ctx.secret("client_id_env"),
        client_secret: ctx.secret("client_secret_env"),
      },
    });
    if (typeof answer.access_token !== "string")
      throw new Error("Salesforce's token endpoint answered without an access_token");
    return answer.access_token;
  }

  async function get<T>(url: string): Promise<T> {
    token ??= await signIn();
    try {
      return await ctx.http.json<T>({ method: "GET", url, headers: { authorization: `Bearer ${token}` } });
    } catch (error) {
      // An expired session: the client-credentials flow can sign in again, once.
      if (!(error instanceof SourceHttpError && error.status === 401)) throw error;
      if (settings.token_env !== undefined)
        throw new Error(`Salesforce refused the token in ${settings.token_env} (401): give it a valid access token`);
      token = await signIn();
      return await ctx.http.json<T>({ method: "GET", url, headers: { authorization: `Bearer ${token}` } });
    }
  }

  async function* batches(object: string, fields: string[], since: number | undefined) {
    let url = `${api}/queryAll?q=${encodeURIComponent(soqlChangedSince(object, fields, since))}`;
    for (;;) {
      const answer = await get<QueryAnswer>(url);
      yield answer.records ?? [];
      if (answer.done !== false || typeof answer.nextRecordsUrl !== "string") return;
      // Follow the org's own paths only: the token never goes to another host.
      if (!answer.nextRecordsUrl.startsWith("/services/data/"))
        throw new Error("Salesforce answered with a nextRecordsUrl outside /services/data/");
      url = `${base}${answer.nextRecordsUrl}`;
    }
  }

  async function leadsConvertedInto(opportunities: SalesforceRecord[]): Promise<Map<string, string>> {
    const ids = opportunities.filter((o) => o.IsDeleted !== true).map((o) => o.Id);
    const leads: SalesforceRecord[] = [];
    for (let at = 0; at < ids.length; at += IDS_PER_LOOKUP) {
      const chunk = ids.slice(at, at + IDS_PER_LOOKUP);
      let url = `${api}/query?q=${encodeURIComponent(soqlConvertedLeads(chunk))}`;
      for (;;) {
        const answer = await get<QueryAnswer>(url);
        leads.push(...(answer.records ?? []));
        if (answer.done !== false || typeof answer.nextRecordsUrl !== "string") break;
        if (!answer.nextRecordsUrl.startsWith("/services/data/"))
          throw new Error("Salesforce answered with a nextRecordsUrl outside /services/data/");
        url = `${base}${answer.nextRecordsUrl}`;
      }
    }
    return convertedLeads(leads);
  }

  return {
    // Without a cursor every record is read, so records no longer there lose their facts.
    coverage: (cursor, options) => (options.full || cursor === null ? { kind: "all" } : { kind: "changes" }),
    async *pages(cursorText, options) {
      const cursor: Cursor = options.full ? {} : parseCursor(cursorText);
      const advance = (records: SalesforceRecord[], field: keyof Cursor) => {
        for (const record of records) {
          const ms = modstamp(record);
          if (ms !== undefined && (cursor[field] === undefined || ms > (cursor[field] as number))) cursor[field] = ms;
        }
        return JSON.stringify(cursor);
      };
      for await (const leads of batches("Lead", leadFields, cursor.lead)) {
        const mapped = leads.map((lead) => mapSalesforceLead(lead, mapping));
        yield toPage(mapped, ctx, advance(leads, "lead"));
      }
      for await (const opportunities of batches("Opportunity", opportunityFields, cursor.opportunity)) {
        const converted = await leadsConvertedInto(opportunities);
        const mapped = opportunities.map((o) => mapSalesforceOpportunity(o, converted.get(o.Id), mapping));
        yield toPage(mapped, ctx, advance(opportunities, "opportunity"));
      }
    },
  };
}
