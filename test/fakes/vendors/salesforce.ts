// A fake Salesforce org: the REST query endpoints (/query and /queryAll, batches
// linked by nextRecordsUrl until done) for the SOQL the salesforce source sends, and
// the OAuth 2.0 client-credentials token endpoint. Errors are shaped as Salesforce
// shapes them: [{message, errorCode}]. Records keep SystemModstamp; deleting one
// keeps it for queryAll with IsDeleted true, as the recycle bin does.
import { randomBytes } from "node:crypto";
import { salesforceLead, salesforceOpportunity } from "./examples.ts";
import { bearer, startVendorServer, type VendorServer } from "./vendor-server.ts";

type SfRecord = Record<string, unknown> & { Id: string; SystemModstamp: string; IsDeleted: boolean };
type Cursor = { records: Record<string, unknown>[] };

export type FakeSalesforce = VendorServer & {
  /** tokens the org accepts; client credentials add theirs */
  tokens: Set<string>;
  clientId: string;
  clientSecret: string;
  /** records per batch (Salesforce: up to 2,000) */
  batchSize: number;
  putLead(id: string, fields?: Record<string, unknown>): void;
  putOpportunity(id: string, fields?: Record<string, unknown>): void;
  /** changes a record's fields and moves its SystemModstamp forward */
  update(id: string, fields: Record<string, unknown>): void;
  delete(id: string): void;
  /** fields Lead has beyond the standard ones (custom fields such as MQL_Date__c) */
  leadFields: Set<string>;
};

const SOQL = /^SELECT (.+?) FROM (Lead|Opportunity)(?: WHERE (.+?))?(?: ORDER BY SystemModstamp ASC)?$/;

export async function startFakeSalesforce(options: { batchSize?: number } = {}): Promise<FakeSalesforce> {
  const objects = { Lead: new Map<string, SfRecord>(), Opportunity: new Map<string, SfRecord>() };
  const cursors = new Map<string, Cursor>();
  const tokens = new Set<string>(["00Dxx0000001gPL!static-token"]);
  const leadFields = new Set(["MQL_Date__c", "SQL_Date__c"]);
  let clock = Date.parse("2026-09-20T00:00:00Z");
  const stamp = () => {
    clock += 1000;
    return new Date(clock).toISOString().replace("Z", "+0000");
  };

  const errors = (status: number) =>
    status === 401
      ? [{ message: "Session expired or invalid", errorCode: "INVALID_SESSION_ID" }]
      : status === 429 || status === 403
        ? [{ message: "TotalRequests Limit exceeded.", errorCode: "REQUEST_LIMIT_EXCEEDED" }]
        : [
            {
              message: "An unexpected error occurred. Please include this ErrorId if you contact support",
              errorCode: "UNKNOWN_EXCEPTION",
            },
          ];

  const fake = (await startVendorServer(
    (method, url) => {
      if (method === "POST" && url.pathname === "/services/oauth2/token") return "token";
      if (method === "GET" && /^\/services\/data\/v\d+\.\d\/query(All)?(\/[\w-]+)?$/.test(url.pathname)) return "query";
      return undefined;
    },
    (call, reply) => {
      if (call.route === "token") {
        const form = new URLSearchParams(call.body);
        if (form.get("grant_type") !== "client_credentials")
          return reply(400, { error: "unsupported_grant_type", error_description: "grant type not supported" });
        if (form.get("client_id") !== fake.clientId || form.get("client_secret") !== fake.clientSecret)
          return reply(400, { error: "invalid_client", error_description: "invalid client credentials" });
        const token = `00Dxx0000001gPL!${randomBytes(8).toString("hex")}`;
        tokens.add(token);
        return reply(200, {
          access_token: token,
          signature: randomBytes(8).toString("base64"),
          scope: "api",
          instance_url: fake.url,
          id: `${fake.url}/id/00Dxx0000001gPLEAY/005xx000001Sv6AAAS`,
          token_type: "Bearer",
          issued_at: String(clock),
        });
      }
      const token = bearer(call);
      if (token === undefined || !tokens.has(token)) return reply(401, errors(401));
      const version = /\/v(\d+\.\d)\//.exec(call.url.pathname)?.[1] as string;
      const locator = /\/query(?:All)?\/([\w-]+)$/.exec(call.url.pathname)?.[1];
      if (locator !== undefined) {
        const [, id, at] = /^(\w+)-(\d+)$/.exec(locator) ?? [];
        const cursor = id === undefined ? undefined : cursors.get(id);
        if (!cursor) return reply(400, [{ message: "invalid query locator", errorCode: "INVALID_QUERY_LOCATOR" }]);
        return reply(200, batch(cursor, id as string, Number(at), version));
      }
      const soql = call.url.searchParams.get("q") ?? "";
      const all = call.url.pathname.includes("/queryAll");
      const result = run(soql, all);
      if (typeof result === "string") return reply(400, [{ message: result, errorCode: "MALFORMED_QUERY" }]);
      const id = `01g${randomBytes(6).toString("hex")}`;
      const cursor = { records: result };
      cursors.set(id, cursor);
      return reply(200, batch(cursor, id, 0, version));
    },
    errors,
  )) as FakeSalesforce;

  function batch(cursor: Cursor, id: string, at: number, version: string) {
    const records = cursor.records.slice(at, at + fake.batchSize);
    const next = at + records.length;
    const done = next >= cursor.records.length;
    return {
      totalSize: cursor.records.length,
      done,
      ...(done ? {} : { nextRecordsUrl: `/services/data/v${version}/query/${id}-${next}` }),
      records,
    };
  }

  function run(soql: string, all: boolean): Record<string, unknown>[] | string {
    const match = SOQL.exec(soql.trim());
    if (!match) return `unexpected SOQL in this fake: ${soql}`;
    const [, fieldList, object, where] = match as unknown as [string, string, "Lead" | "Opportunity", string?];
    const fields = fieldList.split(",").map((f) => f.trim());
    const known =
      object === "Lead"
        ? [...Object.keys(salesforceLead("x")), ...leadFields]
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
    return rows.map((r) => ({
      attributes: r.attributes,
      ...Object.fromEntries(fields.map((f) => [f, r[f] ?? null])),
    }));
  }

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
    leadFields,
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
