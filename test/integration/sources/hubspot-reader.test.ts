import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HUBSPOT_SEARCH_CAP } from "../../../src/adapters/sources/hubspot.ts";
import { syncSource } from "../../../src/core/sources/sync-source.ts";
import { createSourceReader } from "../../../src/main/sources.ts";
import { openDatabase } from "../../../src/store/database.ts";
import { applySources, createSourceStore } from "../../../src/store/sources.ts";
import { ensureDefaultWorkspace } from "../../../src/store/workspaces.ts";
import { type FakeHubspot, startFakeHubspot } from "../../fakes/vendors/hubspot.ts";
import { hubspotCompany, hubspotFacts } from "../../fakes/vendors/hubspot-company.ts";
import { createEmptyDatabaseUrl } from "../../helpers/databases.ts";

describe("the HubSpot reader past the search API's 10,000-result cap", () => {
  let fake: FakeHubspot;
  let drop: () => Promise<void>;
  let url: string;

  beforeAll(async () => {
    fake = await startFakeHubspot();
    hubspotCompany(fake, { contacts: HUBSPOT_SEARCH_CAP + 2_345, deals: 10 });
    ({ url, drop } = await createEmptyDatabaseUrl("sqlite"));
  });
  afterAll(async () => {
    await fake?.close();
    await drop?.();
  });

  it("starts new searches from the last modification date it saw, and reads every record once at least", async () => {
    const db = await openDatabase(url);
    try {
      const workspace = await ensureDefaultWorkspace(db.prisma, "UTC");
      await applySources(db.prisma, workspace.id, [
        { name: "crm", kind: "hubspot", everyMs: 3_600_000, settings: { base_url: fake.url, token_env: "T" } },
      ]);
      const store = createSourceStore(db);
      const source = await store.get(workspace.id, "crm");
      if (!source) throw new Error("not applied");
      const reader = createSourceReader(
        source,
        { timezone: "UTC", currency: "USD" },
        {
          env: { T: fake.token },
          http: { requestsPerSecond: 10_000 },
        },
      );
      const report = await syncSource(
        source,
        { full: false },
        {
          store,
          reader,
          clock: { now: () => new Date() },
          holder: "test",
        },
      );
      const expected = hubspotFacts(fake, { source: "crm", currency: "USD", rates: {}, zone: "UTC" });
      expect(report.written).toBe(expected.length);
      expect(await db.prisma.fact.count()).toBe(expected.length);
      // no request asked past the cap, and more than one window was searched
      const contactSearches = fake.requests.filter((r) => r.path.endsWith("/contacts/search"));
      const bodies = contactSearches.map(
        (r) => r.body as { after?: string; filterGroups: { filters: { value: string }[] }[] },
      );
      expect(Math.max(...bodies.map((b) => Number(b.after ?? 0) + 100))).toBeLessThanOrEqual(HUBSPOT_SEARCH_CAP);
      expect(new Set(bodies.map((b) => b.filterGroups[0]?.filters[0]?.value)).size).toBeGreaterThan(1);
      expect(fake.requests.every((r) => r.path.endsWith("/search") || r.path.includes("/associations/"))).toBe(true);
    } finally {
      await db.close();
    }
  }, 240_000);
});
