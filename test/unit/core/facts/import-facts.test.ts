import { describe, expect, it } from "vitest";
import type { Fact } from "../../../../src/core/facts/fact.ts";
import { importFacts, MAX_REPORTED_ERRORS, type RawRow } from "../../../../src/core/facts/import-facts.ts";
import type { FactSink } from "../../../../src/core/ports.ts";

/** An in-memory FactSink with the store's semantics: one transaction, external_id de-duplication. */
function memorySink(stored: Fact[] = []) {
  const sink = {
    stored,
    batches: [] as number[],
    transactions: 0,
    async transaction<T>(fn: (writer: { insert(facts: Fact[]): Promise<{ inserted: number }> }) => Promise<T>) {
      sink.transactions++;
      const pending: Fact[] = [];
      const seen = new Set(sink.stored.map((fact) => fact.externalId).filter((id) => id !== null));
      const result = await fn({
        async insert(facts) {
          sink.batches.push(facts.length);
          let inserted = 0;
          for (const fact of facts) {
            if (fact.externalId !== null && seen.has(fact.externalId)) continue;
            if (fact.externalId !== null) seen.add(fact.externalId);
            pending.push(fact);
            inserted++;
          }
          return { inserted };
        },
      });
      sink.stored.push(...pending); // only reached when fn resolved: commit
      return result;
    },
  } satisfies FactSink & Record<string, unknown>;
  return sink;
}

const lead = (line: number, extra: Record<string, unknown> = {}): RawRow => ({
  line,
  record: { occurred_at: "2026-09-14", kind: "lead", entity_id: `e${line}`, ...extra },
});

async function* stream(rows: RawRow[]) {
  yield* rows;
}

describe("importFacts", () => {
  it("writes valid rows in batches inside one transaction and counts duplicates", async () => {
    const sink = memorySink();
    const rows = [
      lead(2, { external_id: "a" }),
      lead(3, { external_id: "b" }),
      lead(4, { external_id: "a" }),
      lead(5),
      lead(6),
    ];
    const report = await importFacts(stream(rows), { sink, zone: "UTC" }, { skipInvalid: false, batchSize: 2 });
    expect(report).toMatchObject({ inserted: 4, duplicates: 1, rejected: 0, valid: 5, committed: true, errors: [] });
    expect(sink.transactions).toBe(1);
    expect(sink.batches).toEqual([2, 2, 1]);
    expect(sink.stored.map((fact) => fact.entityId)).toEqual(["e2", "e3", "e5", "e6"]);
  });

  it("skips facts whose external_id is already stored", async () => {
    const sink = memorySink();
    await importFacts([lead(2, { external_id: "a" })], { sink, zone: "UTC" }, { skipInvalid: false });
    const again = await importFacts(
      [lead(2, { external_id: "a" }), lead(3, { external_id: "b" })],
      { sink, zone: "UTC" },
      { skipInvalid: false },
    );
    expect(again).toMatchObject({ inserted: 1, duplicates: 1 });
    expect(sink.stored).toHaveLength(2);
  });

  it("writes nothing when any row is invalid, and names every bad row", async () => {
    const sink = memorySink();
    const rows: RawRow[] = [
      lead(2),
      lead(3, { kind: "nps", value: 11 }),
      lead(4),
      { line: 5, errors: [{ field: "record", message: "expected 8 columns as in the header, got 7" }] },
      lead(6, { occurred_at: "soon", extra: 1 }),
      lead(7),
    ];
    const report = await importFacts(stream(rows), { sink, zone: "UTC" }, { skipInvalid: false, batchSize: 1 });
    expect(report.committed).toBe(false);
    expect(report).toMatchObject({ inserted: 0, duplicates: 0, rejected: 3, valid: 3 });
    expect(report.errors.map((error) => `${error.line}:${error.field}`)).toEqual([
      "3:value",
      "5:record",
      "6:occurred_at",
      "6:extra",
    ]);
    expect(sink.stored).toEqual([]);
    // once a row was bad, no further batch was even attempted
    expect(sink.batches).toEqual([1]);
  });

  it("with skipInvalid writes the valid rows and reports the bad ones", async () => {
    const sink = memorySink();
    const rows = [lead(2), lead(3, { kind: "won" }), lead(4, { external_id: "x" }), lead(5, { external_id: "x" })];
    const report = await importFacts(stream(rows), { sink, zone: "UTC" }, { skipInvalid: true });
    expect(report).toMatchObject({ inserted: 2, duplicates: 1, rejected: 1, valid: 3, committed: true });
    expect(report.errors).toEqual([{ line: 3, field: "value", message: "required for kind won" }]);
    expect(sink.stored).toHaveLength(2);
  });

  it("stops at a fatal problem and writes nothing, even with skipInvalid", async () => {
    const sink = memorySink();
    const rows: RawRow[] = [
      { line: 1, errors: [{ field: "header", message: "unknown column" }], fatal: true },
      lead(2),
    ];
    const report = await importFacts(stream(rows), { sink, zone: "UTC" }, { skipInvalid: true });
    expect(report).toMatchObject({ committed: false, rejected: 1, valid: 0 });
    expect(sink.stored).toEqual([]);
  });

  it("keeps at most MAX_REPORTED_ERRORS problems but counts every bad row", async () => {
    const sink = memorySink();
    const rows = Array.from({ length: MAX_REPORTED_ERRORS + 50 }, (_, i) => lead(i + 2, { kind: "nope" }));
    const report = await importFacts(stream(rows), { sink, zone: "UTC" }, { skipInvalid: false });
    expect(report.rejected).toBe(MAX_REPORTED_ERRORS + 50);
    expect(report.errors).toHaveLength(MAX_REPORTED_ERRORS);
    expect(report.omittedErrors).toBe(50);
  });

  it("reads bare dates in the workspace zone", async () => {
    const sink = memorySink();
    await importFacts([lead(2)], { sink, zone: "America/New_York" }, { skipInvalid: false });
    expect(new Date(sink.stored[0]?.occurredMs ?? 0).toISOString()).toBe("2026-09-14T04:00:00.000Z");
  });

  it("lets a failure of the sink through, with nothing committed", async () => {
    const sink = memorySink();
    const failing: FactSink = {
      transaction: (fn) =>
        sink.transaction((writer) =>
          fn({
            insert: async (facts) => {
              if (sink.batches.length === 2) throw new Error("disk full");
              return writer.insert(facts);
            },
          }),
        ),
    };
    const rows = Array.from({ length: 10 }, (_, i) => lead(i + 2));
    await expect(
      importFacts(stream(rows), { sink: failing, zone: "UTC" }, { skipInvalid: false, batchSize: 3 }),
    ).rejects.toThrow("disk full");
    expect(sink.stored).toEqual([]);
  });
});
