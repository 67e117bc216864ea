// HubSpot's CRM v3 search API as a source reader (SOURCES.md, "HubSpot"). Contacts
// then deals, each searched by modification date in ascending order from the stored
// cursor, 100 a page. A search stops at 10,000 results, so before reaching that the
// reader starts a new search from the last modification instant it saw (records at
// that same instant are read again, which mirrors to the same facts). The cursor is
// each object type's last modification instant, stored with every committed page.
import {
  CONTACT_PROPERTIES,
  DEAL_PROPERTIES,
  type HubspotObject,
  mapHubspotContact,
  mapHubspotDeal,
} from "../../core/sources/hubspot.ts";
import type { MappedRecord } from "../../core/sources/mapped-record.ts";
import type { SourcePage, SourceReader } from "../../core/sources/reader.ts";
import type { ReaderContext } from "./reader-context.ts";

export const HUBSPOT_SEARCH_CAP = 10_000;
const PAGE_SIZE = 100;
// HubSpot: about 4 search requests a second per token (SOURCES.md)
export const HUBSPOT_REQUESTS_PER_SECOND = 4;

type ObjectType = "contacts" | "deals";
type Cursor = Partial<Record<ObjectType, number>>;
type SearchAnswer = { total?: number; results?: HubspotObject[]; paging?: { next?: { after?: string } } };
type AssociationAnswer = { results?: { from?: { id?: string }; to?: { toObjectId?: string | number }[] }[] };

const MODIFIED: Record<ObjectType, string> = { contacts: "lastmodifieddate", deals: "hs_lastmodifieddate" };

function parseCursor(text: string | null): Cursor {
  if (text === null) return {};
  try {
    const value = JSON.parse(text) as Cursor;
    return value !== null && typeof value === "object" ? value : {};
  } catch {
    return {};
  }
}

function modifiedMs(object: HubspotObject, type: ObjectType): number | undefined {
  const raw = object.properties?.[MODIFIED[type]] ?? object.updatedAt;
  if (typeof raw !== "string") return undefined;
  const ms = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  return Number.isFinite(ms) ? ms : undefined;
}

export function createHubspotReader(context: ReaderContext): SourceReader {
  const headers = () => ({ authorization: `Bearer ${context.secret("token_env")}` });
  const mapping = { source: context.name, zone: context.zone, money: context };

  async function* search(type: ObjectType, fromMs: number): AsyncGenerator<HubspotObject[]> {
    let windowStart = fromMs;
    for (;;) {
      let after: string | undefined;
      let read = 0;
      let lastMs = windowStart;
      let capped = false;
      for (;;) {
        const answer = await context.http.json<SearchAnswer>({
          method: "POST",
          url: `${context.baseUrl}/crm/v3/objects/${type}/search`,
          headers: headers(),
          json: {
            filterGroups: [
              { filters: [{ propertyName: MODIFIED[type], operator: "GTE", value: String(windowStart) }] },
            ],
            sorts: [{ propertyName: MODIFIED[type], direction: "ASCENDING" }],
            properties: type === "contacts" ? CONTACT_PROPERTIES : DEAL_PROPERTIES,
            limit: PAGE_SIZE,
            ...(after === undefined ? {} : { after }),
          },
        });
        const results = answer.results ?? [];
        read += results.length;
        for (const object of results) lastMs = Math.max(lastMs, modifiedMs(object, type) ?? lastMs);
        if (results.length > 0) yield results;
        after = answer.paging?.next?.after;
        if (after === undefined || results.length === 0) break;
        if (read + PAGE_SIZE > HUBSPOT_SEARCH_CAP) {
          capped = true;
          break;
        }
      }
      if (!capped) return;
      if (lastMs === windowStart)
        throw new Error(
          `HubSpot ${type}: more than ${HUBSPOT_SEARCH_CAP} records share the modification instant ${new Date(lastMs).toISOString()}; the search API cannot page past them`,
        );
      windowStart = lastMs;
    }
  }

  async function associatedContacts(deals: HubspotObject[]): Promise<Map<string, string[]>> {
    const answer = await context.http.json<AssociationAnswer>({
      method: "POST",
      url: `${context.baseUrl}/crm/v4/associations/deals/contacts/batch/read`,
      headers: headers(),
      json: { inputs: deals.map((deal) => ({ id: deal.id })) },
    });
    const contacts = new Map<string, string[]>();
    for (const result of answer.results ?? []) {
      const from = result.from?.id;
      if (from === undefined) continue;
      contacts.set(
        String(from),
        (result.to ?? []).map((to) => String(to.toObjectId)),
      );
    }
    return contacts;
  }

  return {
    coverage: (cursor, options) => (options.full || cursor === null ? { kind: "all" } : { kind: "changes" }),
    async *pages(cursorText, options) {
      const cursor: Cursor = options.full ? {} : parseCursor(cursorText);
      for (const type of ["contacts", "deals"] as const) {
        for await (const objects of search(type, cursor[type] ?? 0)) {
          const mapped: MappedRecord[] =
            type === "contacts"
              ? objects.map((contact) => mapHubspotContact(contact, mapping))
              : await mapDeals(objects);
          for (const object of objects) cursor[type] = Math.max(cursor[type] ?? 0, modifiedMs(object, type) ?? 0);
          yield toPage(mapped, JSON.stringify(cursor));
        }
      }
    },
  };

  async function mapDeals(deals: HubspotObject[]): Promise<MappedRecord[]> {
    const contacts = await associatedContacts(deals);
    return deals.map((deal) => mapHubspotDeal(deal, contacts.get(deal.id) ?? [], mapping));
  }
}

/** Mapped records as one page: each record's facts, and each reason a fact was left out. */
export function toPage(mapped: MappedRecord[], cursor: string | null): SourcePage {
  return {
    records: mapped.map((record) => ({ key: record.key, facts: record.facts })),
    skipped: mapped.flatMap((record) => record.skipped.map((reason) => ({ key: record.key, reason }))),
    cursor,
  };
}
