// The contract every source kind's reader keeps (SOURCES.md, "How every source
// behaves"), run against each kind's local fake (source-reader.test.ts lists them):
// mirror, stable identity, follow changes and deletions, 429/Retry-After and 5xx,
// a refused token, a failure half-way, another currency. Each harness computes the
// facts its fake's records should yield on its own, without the kind's mapping.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type SyncReport, syncSource } from "../../src/core/sources/sync-source.ts";
import { createSourceReader } from "../../src/main/sources.ts";
import { applySources, createSourceStore } from "../../src/store/sources.ts";
import { ensureDefaultWorkspace } from "../../src/store/workspaces.ts";
import type { VendorServer } from "../fakes/vendors/vendor-server.ts";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../helpers/databases.ts";

/** A fact as compared: [external id, kind, ISO instant, entity, value, channel, segment, department] */
export type ExpectedFact = [
  string,
  string,
  string,
  string | null,
  number | null,
  string | null,
  string | null,
  string | null,
];

export type HarnessRun = {
  server: VendorServer;
  /** the source's config entry besides name and kind (base_url pointing at the fake, *_env keys) */
  entry: Record<string, unknown>;
  /** the environment the *_env keys name, with the right secrets */
  env: Record<string, string>;
  /** the same environment with a secret the fake refuses */
  badEnv: Record<string, string>;
  /** facts the fake's records yield now (amounts at `rates` into the workspace currency), computed independently */
  expected(source: string, rates?: Record<string, number>): ExpectedFact[];
  /** changes a record so its facts change */
  change(): void;
  /** deletes a record that yields facts */
  remove(): void;
  /** adds a record in `currency`; returns the key under which it is reported when skipped */
  addInCurrency(source: string, currency: string): string;
  /** whether a deleted record only shows in a --full sync (an incremental read by modification date) */
  deletionsNeedFull: boolean;
  close(): Promise<void>;
};

export type SourceHarness = {
  kind: string;
  /** the workspace currency the harness's records are mostly in */
  currency: string;
  /** a fake holding a small company, with at least four pages of records */
  start(): Promise<HarnessRun>;
};

const ZONE = "America/New_York";

export function sourceReaderContract(harness: SourceHarness): void {
  describe.each(DIALECTS)(`the ${harness.kind} source on %s`, (dialect) => {
    let test: TestDatabase;
    let workspaceId: number;
    let run: HarnessRun;
    let sleeps: number[] = [];
    const name = `${harness.kind.replace(/_/g, "-")}-test`;

    beforeAll(async () => {
      test = await createTestDatabase(dialect);
      workspaceId = (await ensureDefaultWorkspace(test.db.prisma, ZONE)).id;
    });
    afterAll(async () => {
      await test?.drop();
    });
    afterEach(async () => {
      await run?.close();
    });

    async function configure(rates?: Record<string, number>) {
      run = await harness.start();
      sleeps = [];
      await test.db.prisma.fact.deleteMany({});
      await test.db.prisma.source.deleteMany({});
      await applySources(test.db.prisma, workspaceId, [
        {
          name,
          kind: harness.kind as "hubspot",
          everyMs: 3_600_000,
          settings: { ...run.entry, ...(rates ? { rates } : {}) },
        },
      ]);
    }

    async function sync(options: { full?: boolean; env?: Record<string, string> } = {}): Promise<SyncReport> {
      const store = createSourceStore(test.db);
      const source = await store.get(workspaceId, name);
      if (source === null) throw new Error("source not applied");
      const reader = createSourceReader(
        source,
        { timezone: ZONE, currency: harness.currency },
        {
          env: options.env ?? run.env,
          http: {
            requestsPerSecond: 1000,
            retry: {
              randomize: false,
              minTimeoutMs: 1,
              maxTimeoutMs: 1,
              sleep: async (ms) => {
                sleeps.push(ms);
              },
            },
          },
        },
      );
      return syncSource(
        source,
        { full: options.full ?? false },
        {
          store,
          reader,
          clock: { now: () => new Date() },
          holder: "contract",
        },
      );
    }

    async function stored(): Promise<ExpectedFact[]> {
      const rows = await test.db.prisma.fact.findMany({ where: { workspaceId }, orderBy: { externalId: "asc" } });
      return rows.map((row) => [
        row.externalId ?? "",
        row.kind,
        new Date(Number(row.occurredMs)).toISOString(),
        row.entityId,
        row.value === null ? null : Math.round(row.value * 1e6) / 1e6,
        row.channel,
        row.segment,
        row.department,
      ]);
    }
    const expected = (rates?: Record<string, number>) =>
      run
        .expected(name, rates)
        .map((f): ExpectedFact => {
          const copy = [...f] as ExpectedFact;
          copy[4] = f[4] === null ? null : Math.round(f[4] * 1e6) / 1e6;
          return copy;
        })
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

    it("mirrors the records into facts with stable ids, and a second sync writes nothing new", async () => {
      await configure();
      const first = await sync();
      expect(first.written).toBeGreaterThan(0);
      expect(await stored()).toEqual(expected());
      const second = await sync();
      expect(second.written).toBe(0);
      expect(second.removed).toBe(0);
      expect(await stored()).toEqual(expected());
      const state = await createSourceStore(test.db).get(workspaceId, name);
      expect(state?.factsOwned).toBe(expected().length);
      expect(state?.lastSuccessAt).not.toBeNull();
    });

    it("follows a changed and a deleted record, and touches no other facts", async () => {
      await configure();
      await test.db.prisma.fact.create({
        data: { workspaceId, occurredMs: 0n, kind: "lead", entityId: "hand", externalId: "hand-1", origin: "import" },
      });
      await sync();
      const before = expected();
      run.change();
      run.remove();
      expect(expected()).not.toEqual(before);
      await sync();
      if (run.deletionsNeedFull) await sync({ full: true });
      const hand = ["hand-1", "lead", new Date(0).toISOString(), "hand", null, null, null, null] as ExpectedFact;
      expect(await stored()).toEqual([...expected(), hand].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
    });

    it("waits at least what a 429's Retry-After asks, and retries 5xx and dropped connections", async () => {
      await configure();
      run.server.fail({ status: 429, retryAfter: "3" });
      run.server.fail({ status: 503, times: 2 });
      run.server.fail({ status: 0 });
      await sync();
      expect(await stored()).toEqual(expected());
      // the retry routine sleeps what Retry-After asks beyond its own backoff (1 ms here)
      expect(Math.max(...sleeps) + 1).toBeGreaterThanOrEqual(3000);
    });

    it("fails on a refused token without repeating it, records why, and changes nothing", async () => {
      await configure();
      await sync();
      run.change();
      const error = await sync({ env: run.badEnv }).catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/401/);
      for (const secret of [...Object.values(run.badEnv), ...Object.values(run.env)])
        expect((error as Error).message).not.toContain(secret);
      const state = await createSourceStore(test.db).get(workspaceId, name);
      expect(state?.lastFailure).toMatch(/401/);
      expect(state?.claimedBy).toBeNull();
      expect(await stored()).not.toEqual(expected());
      await sync();
      expect(await stored()).toEqual(expected());
    });

    it("keeps every committed batch whole when a sync fails half-way, and the next sync completes", async () => {
      await configure();
      run.server.failAfter(2, 500);
      await expect(sync()).rejects.toThrow(/500/);
      const partial = await stored();
      const all = expected();
      // only facts the records really yield, and only whole records' worth
      for (const fact of partial) expect(all).toContainEqual(fact);
      run.server.heal();
      await sync();
      expect(await stored()).toEqual(expected());
    });

    it("skips and reports a record in another currency, and converts it at a configured rate", async () => {
      await configure();
      const other = harness.currency === "EUR" ? "USD" : "EUR";
      const key = run.addInCurrency(name, other);
      const report = await sync();
      expect(report.skipped.find((skip) => skip.key === key)?.reason).toContain(other);
      expect(await stored()).toEqual(expected().filter((fact) => !fact[0].startsWith(`${key}:`)));
      await run.close();
      await configure({ [other]: 2 });
      const key2 = run.addInCurrency(name, other);
      const converted = await sync({ full: true });
      expect(converted.skipped.filter((skip) => skip.key === key2)).toEqual([]);
      expect(await stored()).toEqual(expected({ [other]: 2 }));
      expect(expected({ [other]: 2 }).length).toBeGreaterThan(expected().length);
    });
  });
}
