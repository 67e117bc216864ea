import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Fact } from "../../../src/core/facts/fact.ts";
import type { SourceRef, SyncClaim } from "../../../src/core/sources/ports.ts";
import { factExternalId, recordKey, type SourceRecord } from "../../../src/core/sources/reader.ts";
import { createFactSink } from "../../../src/store/fact-repository.ts";
import { applySources, createSourceStore } from "../../../src/store/sources.ts";
import { ensureDefaultWorkspace, ensureWorkspace } from "../../../src/store/workspaces.ts";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../../helpers/databases.ts";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 8, 1);

function record(source: string, id: string, kinds: Fact["kind"][], dayOffset = 0): SourceRecord {
  const key = recordKey(source, "contact", id);
  return {
    key,
    facts: kinds.map((kind, i) => ({
      occurredMs: T0 + (dayOffset + i) * DAY,
      kind,
      entityId: id,
      value: null,
      channel: null,
      department: null,
      segment: null,
      externalId: factExternalId(key, kind),
    })),
  };
}

describe.each(DIALECTS)("the source store on %s", (dialect) => {
  let test: TestDatabase;
  let workspaceId: number;
  let crm: SourceRef;
  let other: SourceRef;
  let now = T0;
  const claim: SyncClaim = { holder: "test-1", leaseMs: 60_000, nowMs: () => now };

  const facts = (where: Record<string, unknown> = {}) =>
    test.db.prisma.fact.findMany({ where: { workspaceId, ...where }, orderBy: { externalId: "asc" } });
  const ids = async (where: Record<string, unknown> = {}) => (await facts(where)).map((f) => f.externalId);

  beforeAll(async () => {
    test = await createTestDatabase(dialect);
    workspaceId = (await ensureDefaultWorkspace(test.db.prisma, "UTC")).id;
  });
  afterAll(async () => {
    await test?.drop();
  });
  beforeEach(async () => {
    await test.db.prisma.fact.deleteMany({});
    await test.db.prisma.source.deleteMany({});
    now = T0;
    await applySources(test.db.prisma, workspaceId, [
      { name: "crm", kind: "hubspot", everyMs: 3_600_000, settings: { token_env: "HUBSPOT_TOKEN" } },
      { name: "crm-eu", kind: "hubspot", everyMs: 3_600_000, settings: { token_env: "HUBSPOT_EU" } },
    ]);
    const store = createSourceStore(test.db);
    const [a, b] = await store.list(workspaceId);
    if (!a || !b) throw new Error("sources not applied");
    crm = a;
    other = b;
    expect(await store.claim(crm, claim)).toBe(true);
    expect(await store.claim(other, claim)).toBe(true);
    // facts nobody may touch: a hand import and an ingest with the same kinds and entities
    for (const origin of ["import", "ingest"] as const) {
      const sink = createFactSink(test.db, workspaceId, { origin });
      await sink.transaction((writer) =>
        writer.insert(
          record("x", "1", ["lead", "mql"]).facts.map((f) => ({ ...f, externalId: `${origin}-${f.kind}` })),
        ),
      );
    }
  });

  it("replaces a record's facts, removes them when it yields none, and never touches other facts", async () => {
    const store = createSourceStore(test.db);
    const first = await store.commitPage(
      crm,
      [record("crm", "1", ["lead", "mql"]), record("crm", "2", ["lead"])],
      "c1",
      claim,
    );
    expect(first).toEqual({ written: 3, removed: 0, conflicts: 0 });
    await store.commitPage(other, [record("crm-eu", "1", ["lead"])], "e1", claim);

    // record 1 moves on: its mql is gone (stage date cleared), it became an opportunity
    const second = await store.commitPage(crm, [record("crm", "1", ["lead", "opportunity"], 5)], "c2", claim);
    expect(second).toEqual({ written: 2, removed: 2, conflicts: 0 });
    // record 2 deleted in the vendor: no facts any more
    const third = await store.commitPage(crm, [{ key: recordKey("crm", "contact", "2"), facts: [] }], null, claim);
    expect(third).toEqual({ written: 0, removed: 1, conflicts: 0 });

    expect(await ids({ origin: "source:crm" })).toEqual(["crm:contact:1:lead", "crm:contact:1:opportunity"]);
    const lead = (await facts({ origin: "source:crm", kind: "lead" }))[0];
    expect(Number(lead?.occurredMs)).toBe(T0 + 5 * DAY);
    expect(lead?.record).toBe("crm:contact:1");
    expect(await ids({ origin: "source:crm-eu" })).toEqual(["crm-eu:contact:1:lead"]);
    expect(await ids({ origin: { in: ["import", "ingest"] } })).toEqual([
      "import-lead",
      "import-mql",
      "ingest-lead",
      "ingest-mql",
    ]);
    const state = await store.get(workspaceId, "crm");
    // a null cursor keeps the one stored before
    expect(state).toMatchObject({ cursor: "c2", factsOwned: 2 });
  });

  it("does not overwrite a fact another origin already stored under the same external id", async () => {
    const store = createSourceStore(test.db);
    const clash = record("crm", "9", ["lead"]);
    const sink = createFactSink(test.db, workspaceId, { origin: "import" });
    await sink.transaction((writer) => writer.insert(clash.facts));
    const result = await store.commitPage(crm, [clash], "c1", claim);
    expect(result).toEqual({ written: 0, removed: 0, conflicts: 1 });
    expect((await facts({ externalId: "crm:contact:9:lead" }))[0]?.origin).toBe("import");
    expect((await store.get(workspaceId, "crm"))?.factsOwned).toBe(0);
  });

  it("lists the records it holds and removes those gone, whole or within a window", async () => {
    const store = createSourceStore(test.db);
    await store.commitPage(
      crm,
      [record("crm", "1", ["lead"], 0), record("crm", "2", ["lead"], 10), record("crm", "3", ["lead"], 20)],
      null,
      claim,
    );
    await store.commitPage(other, [record("crm-eu", "2", ["lead"], 10)], null, claim);
    expect((await store.recordKeys(crm)).sort()).toEqual(["crm:contact:1", "crm:contact:2", "crm:contact:3"]);
    const window = { fromMs: T0 + 5 * DAY, toMs: T0 + 15 * DAY };
    expect(await store.recordKeys(crm, window)).toEqual(["crm:contact:2"]);
    // a window only reaches facts inside it
    expect(await store.removeRecords(crm, ["crm:contact:1", "crm:contact:2"], window)).toBe(1);
    expect(await store.removeRecords(crm, ["crm:contact:3", "crm-eu:contact:2"])).toBe(1);
    expect(await ids({ origin: { startsWith: "source:" } })).toEqual(["crm-eu:contact:2:lead", "crm:contact:1:lead"]);
    expect((await store.get(workspaceId, "crm"))?.factsOwned).toBe(1);
  });

  it("is claimed by one holder at a time, and a commit without the claim writes nothing", async () => {
    const store = createSourceStore(test.db);
    const rival: SyncClaim = { holder: "test-2", leaseMs: 60_000, nowMs: () => now };
    expect(await store.claim(crm, rival)).toBe(false);
    await expect(store.commitPage(crm, [record("crm", "1", ["lead"])], "r1", rival)).rejects.toThrow(/took it over/);
    // the lease runs out: the rival may take it, and the first holder's commits fail
    now += 61_000;
    expect(await store.claim(crm, rival)).toBe(true);
    await expect(store.commitPage(crm, [record("crm", "1", ["lead"])], "c1", claim)).rejects.toThrow(/took it over/);
    expect(await ids({ origin: "source:crm" })).toEqual([]);
    expect((await store.get(workspaceId, "crm"))?.cursor).toBeNull();
    await store.release(crm, "test-1"); // not the holder: no effect
    expect(await store.claim(crm, claim)).toBe(false);
    await store.release(crm, "test-2");
    expect(await store.claim(crm, claim)).toBe(true);
  });

  it("records successes and failures, and starts again from no cursor when the settings change", async () => {
    const store = createSourceStore(test.db);
    await store.commitPage(crm, [], "c9", claim);
    await store.recordSuccess(crm, new Date(T0));
    await store.recordFailure(crm, new Date(T0 + 1000), "HubSpot answered 401");
    expect(await store.get(workspaceId, "crm")).toMatchObject({
      cursor: "c9",
      lastSuccessAt: new Date(T0),
      lastFailureAt: new Date(T0 + 1000),
      lastFailure: "HubSpot answered 401",
    });
    const same = [
      { name: "crm", kind: "hubspot" as const, everyMs: 7_200_000, settings: { token_env: "HUBSPOT_TOKEN" } },
    ];
    expect(await applySources(test.db.prisma, workspaceId, same)).toEqual({ sources: 1, removedSources: ["crm-eu"] });
    expect(await store.get(workspaceId, "crm")).toMatchObject({ cursor: "c9", everyMs: 7_200_000 });
    const moved = [{ ...same[0], settings: { token_env: "HUBSPOT_TOKEN", base_url: "https://proxy.example.com" } }];
    await applySources(test.db.prisma, workspaceId, moved as typeof same);
    expect(await store.get(workspaceId, "crm")).toMatchObject({ cursor: null });
    // another workspace's source of the same name is its own
    const second = await ensureWorkspace(test.db.prisma, {
      platform: "slack",
      externalId: "T9",
      name: "B",
      timezone: "UTC",
    });
    await applySources(test.db.prisma, second.id, same);
    expect(await store.get(second.id, "crm")).toMatchObject({ cursor: null, workspaceId: second.id });
  });
});
