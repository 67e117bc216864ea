// A fake HubSpot CRM v3/v4 (SOURCES.md, "HubSpot"): contacts and deals searched by a
// GTE filter on their modification date, sorted ascending, paged with `after`, with
// the real search cap (asking past 10,000 results is a 400), archived records gone
// from search, deal→contact associations in batches, and a private-app token.
import { bearer, startVendorServer, type VendorServer } from "./vendor-server.ts";

export type HubspotRecord = { id: string; properties: Record<string, string | null>; archived: boolean };
export type FakeHubspot = VendorServer & {
  token: string;
  contacts: Map<string, HubspotRecord>;
  deals: Map<string, HubspotRecord>;
  /** deal id → associated contact ids */
  associations: Map<string, string[]>;
  /** creates or changes a contact; its lastmodifieddate becomes the fake's next instant */
  putContact(id: string, properties: Record<string, string | null>): void;
  putDeal(id: string, properties: Record<string, string | null>, contactIds?: string[]): void;
  /** archives (deletes) a record: it no longer appears in search */
  archive(type: "contacts" | "deals", id: string): void;
  searches(type?: "contacts" | "deals"): number;
};

const SEARCH_CAP = 10_000;
const MODIFIED = { contacts: "lastmodifieddate", deals: "hs_lastmodifieddate" } as const;

export async function startFakeHubspot(options: { token?: string; startMs?: number } = {}): Promise<FakeHubspot> {
  const token = options.token ?? "pat-na1-fake-token";
  const contacts = new Map<string, HubspotRecord>();
  const deals = new Map<string, HubspotRecord>();
  const associations = new Map<string, string[]>();
  let clock = options.startMs ?? Date.UTC(2026, 9, 1);
  const tick = () => new Date(clock++).toISOString();
  const store = { contacts, deals };
  // Live records in search order, rebuilt only after a change (a bench searches 120,000 records).
  const sorted: Partial<Record<"contacts" | "deals", HubspotRecord[]>> = {};
  const modifiedOf = (type: "contacts" | "deals", record: HubspotRecord) =>
    Date.parse(record.properties[MODIFIED[type]] ?? "");
  const sortedLive = (type: "contacts" | "deals") => {
    const cached = sorted[type];
    if (cached) return cached;
    const list = [...store[type].values()]
      .filter((record) => !record.archived)
      .sort((a, b) => modifiedOf(type, a) - modifiedOf(type, b) || Number(a.id) - Number(b.id));
    sorted[type] = list;
    return list;
  };
  const lowerBound = (list: HubspotRecord[], type: "contacts" | "deals", ms: number) => {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (modifiedOf(type, list[mid] as HubspotRecord) < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  const server = await startVendorServer((request) => {
    if (bearer(request) !== token)
      return {
        status: 401,
        body: {
          status: "error",
          message: "Authentication credentials not found. This API supports OAuth 2.0 authentication.",
          category: "INVALID_AUTHENTICATION",
        },
      };
    const search = /^\/crm\/v3\/objects\/(contacts|deals)\/search$/.exec(request.path);
    if (search && request.method === "POST") {
      const type = search[1] as "contacts" | "deals";
      const body = request.body as {
        filterGroups?: { filters?: { propertyName: string; operator: string; value: string }[] }[];
        properties?: string[];
        limit?: number;
        after?: string;
      };
      const after = Number(body.after ?? 0);
      const limit = Math.min(body.limit ?? 10, 200);
      if (after + limit > SEARCH_CAP)
        return {
          status: 400,
          body: {
            status: "error",
            message: `Paging past ${SEARCH_CAP} results is not supported`,
            category: "VALIDATION_ERROR",
          },
        };
      const filters = body.filterGroups?.[0]?.filters ?? [];
      const since = filters.find((f) => f.propertyName === MODIFIED[type] && f.operator === "GTE");
      const all = sortedLive(type);
      const matching = since === undefined ? all : all.slice(lowerBound(all, type, Number(since.value)));
      const page = matching.slice(after, after + limit);
      const wanted = body.properties ?? [];
      return {
        status: 200,
        body: {
          total: matching.length,
          results: page.map((record) => ({
            id: record.id,
            properties: Object.fromEntries(
              [...wanted, "hs_object_id", "createdate", MODIFIED[type]].map((name) => [
                name,
                name === "hs_object_id" ? record.id : (record.properties[name] ?? null),
              ]),
            ),
            createdAt: record.properties.createdate,
            updatedAt: record.properties[MODIFIED[type]],
            archived: false,
          })),
          ...(after + limit < matching.length ? { paging: { next: { after: String(after + limit) } } } : {}),
        },
      };
    }
    if (request.path === "/crm/v4/associations/deals/contacts/batch/read" && request.method === "POST") {
      const inputs = (request.body as { inputs?: { id: string }[] }).inputs ?? [];
      return {
        status: 200,
        body: {
          status: "COMPLETE",
          results: inputs
            .filter((input) => (associations.get(input.id) ?? []).length > 0)
            .map((input) => ({
              from: { id: input.id },
              to: (associations.get(input.id) ?? []).map((id) => ({
                toObjectId: Number(id),
                associationTypes: [{ category: "HUBSPOT_DEFINED", typeId: 3, label: null }],
              })),
            })),
          startedAt: new Date(clock).toISOString(),
          completedAt: new Date(clock).toISOString(),
        },
      };
    }
    return { status: 404, body: { status: "error", message: `no route ${request.method} ${request.path}` } };
  });

  const put = (type: "contacts" | "deals", id: string, properties: Record<string, string | null>) => {
    const existing = store[type].get(id);
    delete sorted[type];
    const now = tick();
    store[type].set(id, {
      id,
      archived: false,
      properties: {
        ...(existing?.properties ?? { createdate: now }),
        ...properties,
        [MODIFIED[type]]: now,
      },
    });
  };
  return {
    ...server,
    token,
    contacts,
    deals,
    associations,
    putContact: (id, properties) => put("contacts", id, properties),
    putDeal(id, properties, contactIds) {
      put("deals", id, properties);
      if (contactIds) associations.set(id, contactIds);
    },
    archive(type, id) {
      const record = store[type].get(id);
      delete sorted[type];
      if (record)
        store[type].set(id, {
          ...record,
          archived: true,
          properties: { ...record.properties, [MODIFIED[type]]: tick() },
        });
    },
    searches: (type) =>
      server.requests.filter((r) => r.path.endsWith("/search") && (type === undefined || r.path.includes(type))).length,
  };
}
