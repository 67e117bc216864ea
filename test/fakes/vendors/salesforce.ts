// A fake Salesforce org: the REST query endpoints (/query and /queryAll, batches
// linked by nextRecordsUrl until done) for the SOQL the salesforce source sends, and
// the OAuth 2.0 client-credentials token endpoint. Errors are shaped as Salesforce
// shapes them: [{message, errorCode}]. Records keep SystemModstamp; deleting one
// keeps it for queryAll with IsDeleted true, as the recycle bin does.
import { randomBytes } from "node:crypto";
import { salesforceLead, salesforceOpportunity } from "./examples.ts";
import { bearer, startVendorServer, type VendorAnswer, type VendorServer } from "./vendor-server.ts";

type SfRecord = Record<string, unknown> & { Id: string; SystemModstamp: string; IsDeleted: boolean };

export type FakeSalesforce = VendorServer & {
  /** tokens the org accepts; the client-credentials flow adds what it issues */
  tokens: Set<string>;
  clientId: string;
  clientSecret: string;
  /** records per batch (Salesforce: up to 2,000) */
  batchSize: number;
  leads: Map<string, SfRecord>;
  opportunities: Map<string, SfRecord>;
  putLead(id: string, fields?: Record<string, unknown>): void;
  putOpportunity(id: string, fields?: Record<string, unknown>): void;
  /** changes a record's fields and moves its SystemModstamp forward */
  update(id: string, fields: Record<string, unknown>): void;
  delete(id: string): void;
};

export const INVALID_SESSION = [{ message: "Session expired or invalid", errorCode: "INVALID_SESSION_ID" }];
const SOQL = /^SELECT (.+?) FROM (Lead|Opportunity)(?: WHERE (.+?))?(?: ORDER BY SystemModstamp ASC)?$/;
const CUSTOM_LEAD_FIELDS = ["MQL_Date__c", "SQL_Date__c"];

export async function startFakeSalesforce(options: { batchSize?: number } = {}): Promise<FakeSalesforce> {
  const objects = { Lead: new Map<string, SfRecord>(), Opportunity: new Map<string, SfRecord>() };
  const cursors = new Map<string, Record<string, unknown>[]>();
  const tokens = new Set<string>(["00Dxx0000001gPL!static-token"]);
  let clock = Date.parse("2026-09-20T00:00:00Z");
  const stamp = () => {
    clock += 1000;
    return new Date(clock).toISOString().replace("Z", "+0000");
  };

  function batch(records: Record<string, unknown>[], id: string, at: number, version: string): VendorAnswer {
    const slice = records.slice(at, at + fake.batchSize);
    const next = at + slice.length;
    const done = next >= records.length;
    return {
      status: 200,
      body: {
        totalSize: records.length,
        done,
        ...(done ? {} : { nextRecordsUrl: `/services/data/v${version}/query/${id}-${next}` }),
        records: slice,
      },
    };
  }

  function run(soql: string, all: boolean): Record<string, unknown>[] | string {
    const match = SOQL.exec(soql.trim());
    if (!match) return `unexpected SOQL in this fake: ${soql}`;
    const [, fieldList, object, where] = match as unknown as [string, string, "Lead" | "Opportunity", string?];
    const fields = fieldList.split(",").map((f) => f.trim());
    const known =
      object === "Lead"
        ? [...Object.keys(salesforceLead("x")), ...CUSTOM_LEAD_FIELDS]
        : [...Object.keys(salesforceOpportunity("x")), "CurrencyIsoCode"];
    const unknown = fields.find((f) => !known.includes(f));
    if (unknown) return `No such column '${unknown}' on entity '${object}'.`;
    let rows = [...objects[object].values()].filter((r) => all || !r.IsDeleted);
    if (where !== undefined) {
      const since = /^SystemModstamp >= (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)$/.exec(where);
      const inList = /^ConvertedOpportunityId IN \(((?:'\w+'(?:, )?)+)\)$/.exec(where);
      if (since)
        rows = rows.filter((r) => Date.parse(r.SystemModstamp.replace("+0000", "Z")) >= Date.parse(since[1] as string));
      else if (inList) {
        const ids = (inList[1] as string).split(", ").map((s) => s.slice(1, -1));
        rows = rows.filter((r) => ids.includes(String(r.ConvertedOpportunityId)));
      } else return `unexpected WHERE in this fake: ${where}`;
    }
    rows.sort((a, b) => a.SystemModstamp.localeCompare(b.SystemModstamp) || a.Id.localeCompare(b.Id));
    return rows.map((r) => ({ attributes: r.attributes, ...Object.fromEntries(fields.map((f) => [f, r[f] ?? null])) }));
  }

  const fake = (await startVendorServer((request) => {
    if (request.method === "POST" && request.path === "/services/oauth2/token") {
      const form = (request.body ?? {}) as Record<string, string>;
      if (form.grant_type !== "client_credentials")
        return {
          status: 400,
          body: { error: "unsupported_grant_type", error_description: "grant type not supported" },
        };
      if (form.client_id !== fake.clientId || form.client_secret !== fake.clientSecret)
        return { status: 400, body: { error: "invalid_client", error_description: "invalid client credentials" } };
      const token = `00Dxx0000001gPL!${randomBytes(8).toString("hex")}`;
      tokens.add(token);
      return {
        status: 200,
        body: {
          access_token: token,
          signature: randomBytes(8).toString("base64"),
          scope: "api",
          instance_url: fake.url,
          id: `${fake.url}/id/00Dxx0000001gPLEAY/005xx000001Sv6AAAS`,
          token_type: "Bearer",
          issued_at: String(clock),
        },
      };
    }
    const path = /^\/services\/data\/v(\d+\.\d)\/(query|queryAll)(?:\/(\w+)-(\d+))?$/.exec(request.path);
    if (request.method !== "GET" || path === null)
      return { status: 404, body: [{ message: "The requested resource does not exist", errorCode: "NOT_FOUND" }] };
    const token = bearer(request);
    if (token === null || !tokens.has(token)) return { status: 401, body: INVALID_SESSION };
    const [, version, endpoint, locator, at] = path as unknown as [string, string, string, string?, string?];
    if (locator !== undefined) {
      const records = cursors.get(locator);
      if (!records)
        return { status: 400, body: [{ message: "invalid query locator", errorCode: "INVALID_QUERY_LOCATOR" }] };
      return batch(records, locator, Number(at), version);
    }
    const result = run(request.query.get("q") ?? "", endpoint === "queryAll");
    if (typeof result === "string") {
      const code = result.startsWith("No such column") ? "INVALID_FIELD" : "MALFORMED_QUERY";
      return { status: 400, body: [{ message: result, errorCode: code }] };
    }
    const id = `01g${randomBytes(6).toString("hex")}`;
    cursors.set(id, result);
    return batch(result, id, 0, version);
  })) as FakeSalesforce;

  const put = (object: "Lead" | "Opportunity", record: Record<string, unknown>) => {
    const stored = { ...record, SystemModstamp: stamp() } as SfRecord;
    objects[object].set(stored.Id, stored);
  };
  const find = (id: string) => objects.Lead.get(id) ?? objects.Opportunity.get(id);

  return Object.assign(fake, {
    tokens,
    clientId: "3MVG9fake.client.id",
    clientSecret: "fake-client-secret",
    batchSize: options.batchSize ?? 2000,
    leads: objects.Lead,
    opportunities: objects.Opportunity,
    putLead: (id: string, fields: Record<string, unknown> = {}) => put("Lead", salesforceLead(id, fields)),
    putOpportunity: (id: string, fields: Record<string, unknown> = {}) =>
      put("Opportunity", salesforceOpportunity(id, fields)),
    update(id: string, fields: Record<string, unknown>) {
      const record = find(id);
      if (!record) throw new Error(`no record ${id}`);
      Object.assign(record, fields, { SystemModstamp: stamp() });
    },
    delete(id: string) {
      const record = find(id);
      if (!record) throw new Error(`no record ${id}`);
      Object.assign(record, { IsDeleted: true, SystemModstamp: stamp() });
    },
  });
}
