import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Fact } from "../../../src/core/facts/fact.ts";
import { importFacts, type RawRow } from "../../../src/core/facts/import-facts.ts";
import type { FactSink } from "../../../src/core/ports.ts";
import { createFactSink } from "../../../src/store/fact-repository.ts";
import { ensureDefaultWorkspace, ensureWorkspace } from "../../../src/store/workspaces.ts";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../../helpers/databases.ts";

const fact = (i: number, extra: Partial<Fact> = {}): Fact => ({
  occurredMs: Date.UTC(2026, 8, 1) + i * 60_000,
  kind: "lead",
  entityId: `e${i}`,
  value: null,
  channel: "webinar",
  department: null,
  segment: null,
  externalId: null,
  ...extra,
});

const row = (line: number, extra: Record<string, unknown> = {}): RawRow => ({
  line,
  record: {
    occurred_at: `2026-09-14T10:00:${String(line % 60).padStart(2, "0")}Z`,
    kind: "lead",
    entity_id: `e${line}`,
    ...extra,
  },
});

/** A sink whose writer fails on the nth insert: a crash half-way through an import. */
function failingOn(sink: FactSink, nth: number): FactSink {
  return {
    transaction: (fn) => {
      let calls = 0;
      return sink.transaction((writer) =>
        fn({
          insert: async (facts) => {
            calls++;
            if (calls === nth) throw new Error(`injected failure on batch ${nth}`);
            return writer.insert(facts);
          },
        }),
      );
    },
  };
}

const VIAS = (dialect: string) => (dialect === "sqlite" ? (["prisma", "driver"] as const) : (["prisma"] as const));

describe.each(DIALECTS)("fact repository on %s", (dialect) => {
  let test: TestDatabase;
  let workspaceId: number;
  let otherWorkspaceId: number;

  beforeAll(async () => {
    test = await createTestDatabase(dialect);
    workspaceId = (await ensureDefaultWorkspace(test.db.prisma, "UTC")).id;
    otherWorkspaceId = (
      await ensureWorkspace(test.db.prisma, { platform: "slack", externalId: "T1", name: "Other", timezone: "UTC" })
    ).id;
  });
  afterAll(async () => {
    await test.drop();
  });
  beforeEach(async () => {
    await test.db.prisma.fact.deleteMany({});
  });

  const stored = async (id = workspaceId) =>
    (await test.db.prisma.fact.findMany({ where: { workspaceId: id }, orderBy: { id: "asc" } })).map((f) => ({
      occurredMs: Number(f.occurredMs),
      kind: f.kind,
      entityId: f.entityId,
      value: f.value,
      channel: f.channel,
      department: f.department,
      segment: f.segment,
      externalId: f.externalId,
    }));

  describe.each(VIAS(dialect))("through %s", (via) => {
    const sink = (id = workspaceId) => createFactSink(test.db, id, { origin: "import", via });

    it("stores every field as given", async () => {
      const facts = [
        fact(1, { externalId: "x1", channel: "paid_search" }),
        fact(2, { kind: "won", value: 1234.5, segment: "upsell", entityId: "deal 'quoted' \"x\"" }),
        fact(3, { kind: "spend", entityId: null, value: 99.99, department: "marketing", channel: null }),
        fact(4, { kind: "nps", value: 10, entityId: "ü-✓", occurredMs: Date.UTC(2099, 11, 31, 23, 59, 59, 999) }),
      ];
      const result = await sink().transaction((writer) => writer.insert(facts));
      expect(result).toEqual({ inserted: 4 });
      expect(await stored()).toEqual(facts);
    });

    it("skips duplicates by external_id within a batch, across batches and against stored facts", async () => {
      await sink().transaction((writer) => writer.insert([fact(1, { externalId: "a" })]));
      const counts = await sink().transaction(async (writer) => [
        await writer.insert([fact(2, { externalId: "b" }), fact(3, { externalId: "b" }), fact(4, { externalId: "a" })]),
        await writer.insert([fact(5, { externalId: "b" }), fact(6), fact(7)]),
      ]);
      expect(counts).toEqual([{ inserted: 1 }, { inserted: 2 }]);
      expect((await stored()).map((f) => f.entityId)).toEqual(["e1", "e2", "e6", "e7"]);
    });

    it("keeps external ids apart per workspace", async () => {
      await sink().transaction((writer) => writer.insert([fact(1, { externalId: "same" })]));
      const other = await sink(otherWorkspaceId).transaction((writer) =>
        writer.insert([fact(2, { externalId: "same" })]),
      );
      expect(other).toEqual({ inserted: 1 });
      expect(await stored(otherWorkspaceId)).toHaveLength(1);
    });

    it("inserts batches larger than one statement carries", async () => {
      const facts = Array.from({ length: 12_345 }, (_, i) =>
        fact(i, { externalId: i % 3 === 0 ? `k${i % 999}` : null }),
      );
      const result = await sink().transaction((writer) => writer.insert(facts));
      const expected = facts.filter((f) => f.externalId === null).length + 333;
      expect(result.inserted).toBe(expected);
      expect(await test.db.prisma.fact.count({ where: { workspaceId } })).toBe(expected);
    });

    it("rolls everything back when the transaction fails", async () => {
      await sink().transaction((writer) => writer.insert([fact(0, { externalId: "kept" })]));
      await expect(
        sink().transaction(async (writer) => {
          await writer.insert([fact(1), fact(2)]);
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      expect((await stored()).map((f) => f.externalId)).toEqual(["kept"]);
    });

    it("leaves the database unchanged when an import fails half-way (3rd batch)", async () => {
      await sink().transaction((writer) => writer.insert([fact(0, { externalId: "before" })]));
      const before = await stored();
      const rows = Array.from({ length: 25 }, (_, i) => row(i + 2, { external_id: `r${i}` }));
      await expect(
        importFacts(rows, { sink: failingOn(sink(), 3), zone: "UTC" }, { skipInvalid: false, batchSize: 5 }),
      ).rejects.toThrow("injected failure on batch 3");
      expect(await stored()).toEqual(before);
    });

    it("all-or-nothing: an invalid row in the middle writes nothing", async () => {
      const rows = [row(2), row(3), row(4, { kind: "won" }), row(5), row(6, { kind: "csat", value: 9 })];
      const report = await importFacts(rows, { sink: sink(), zone: "UTC" }, { skipInvalid: false, batchSize: 2 });
      expect(report.committed).toBe(false);
      expect(report.errors.map((error) => error.line)).toEqual([4, 6]);
      expect(await stored()).toEqual([]);
    });

    it("with skipInvalid commits the valid rows", async () => {
      const rows = [row(2), row(3, { kind: "won" }), row(4, { external_id: "d" }), row(5, { external_id: "d" })];
      const report = await importFacts(rows, { sink: sink(), zone: "UTC" }, { skipInvalid: true, batchSize: 2 });
      expect(report).toMatchObject({ committed: true, inserted: 2, duplicates: 1, rejected: 1 });
      expect(await stored()).toHaveLength(2);
    });
  });
});
