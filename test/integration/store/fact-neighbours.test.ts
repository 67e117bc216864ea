// Each fact's prev_ms and next_ms (the fact_neighbours migration; kept on SQLite only):
// whatever several connections insert, move and delete, every fact holds the times of its
// neighbours in its chain (same workspace, kind and entity, in (occurred_ms, id) order),
// exactly as a fresh computation over the table finds them.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Fact } from "../../../src/core/facts/fact.ts";
import { type Database, openDatabase } from "../../../src/store/database.ts";
import { createFactSink } from "../../../src/store/fact-repository.ts";
import { createTestDatabase, type TestDatabase } from "../../helpers/databases.ts";

const KINDS = ["lead", "mrr", "won"] as const;
const BASE = Date.UTC(2026, 0, 1);

type Row = { id: number; prev: number | null; next: number | null };

// Few instants and entities, so ties and long chains are the rule.
const placeArbitrary = fc.record({
  kind: fc.constantFrom(...KINDS),
  at: fc.integer({ min: 0, max: 5 }),
  entity: fc.option(fc.constantFrom("a", "b", "c"), { freq: 6 }),
});
type Place = { kind: string; at: number; entity: string | null };

const commandArbitrary = fc.oneof(
  fc.record({ op: fc.constant("insert" as const), places: fc.array(placeArbitrary, { minLength: 1, maxLength: 4 }) }),
  fc.record({ op: fc.constant("move" as const), pick: fc.nat(), place: placeArbitrary }),
  fc.record({ op: fc.constant("value" as const), pick: fc.nat() }),
  fc.record({ op: fc.constant("delete" as const), pick: fc.nat() }),
);
type Command = { by: number } & (
  | { op: "insert"; places: Place[] }
  | { op: "move"; pick: number; place: Place }
  | { op: "value"; pick: number }
  | { op: "delete"; pick: number }
);

const data = (place: Place) => ({
  kind: place.kind,
  occurredMs: BigInt(BASE + place.at * 1000),
  entityId: place.entity,
});

/** Every fact of the workspace with its stored neighbours and those a fresh window finds. */
async function neighbours(db: Database, workspaceId: number): Promise<{ stored: Row[]; fresh: Row[] }> {
  const rows = await db.prisma.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT f.id, f.prev_ms, f.next_ms, c.prev_ms AS fresh_prev, c.next_ms AS fresh_next
     FROM facts f LEFT JOIN (
       SELECT id, LAG(occurred_ms) OVER w AS prev_ms, LEAD(occurred_ms) OVER w AS next_ms
       FROM facts WHERE workspace_id = ${workspaceId} AND entity_id IS NOT NULL
       WINDOW w AS (PARTITION BY kind, entity_id ORDER BY occurred_ms, id)
     ) AS c ON c.id = f.id
     WHERE f.workspace_id = ${workspaceId} ORDER BY f.id`,
  );
  const ms = (value: unknown) => (value === null ? null : Number(value));
  return {
    stored: rows.map((r) => ({ id: Number(r.id), prev: ms(r.prev_ms), next: ms(r.next_ms) })),
    fresh: rows.map((r) => ({ id: Number(r.id), prev: ms(r.fresh_prev), next: ms(r.fresh_next) })),
  };
}

describe.each(["sqlite"] as const)("fact neighbours on %s", (dialect) => {
  let test: TestDatabase;
  let writers: Database[];
  let run = 0;
  const workspace = async () =>
    (await test.db.prisma.workspace.create({ data: { platform: "local", externalId: `chain-${run++}` } })).id;

  beforeAll(async () => {
    test = await createTestDatabase(dialect);
    writers = [
      test.db,
      await openDatabase(test.url, { migrate: false }),
      await openDatabase(test.url, { migrate: false }),
    ];
  });
  afterAll(async () => {
    for (const db of writers.slice(1)) await db.close();
    await test?.drop();
  });

  it("links each fact to its neighbours of the same kind and entity, ties in insertion order", async () => {
    const id = await workspace();
    const at = (s: number) => BigInt(BASE + s * 1000);
    await test.db.prisma.fact.createMany({
      data: [
        { workspaceId: id, kind: "mrr", entityId: "a", occurredMs: at(2) },
        { workspaceId: id, kind: "mrr", entityId: "a", occurredMs: at(1) },
        { workspaceId: id, kind: "mrr", entityId: "a", occurredMs: at(2) },
        { workspaceId: id, kind: "lead", entityId: "a", occurredMs: at(1) },
        { workspaceId: id, kind: "mrr", entityId: null, occurredMs: at(1) },
      ],
    });
    const ms = (s: number) => BASE + s * 1000;
    const { stored } = await neighbours(test.db, id);
    expect(stored.map(({ prev, next }) => [prev, next])).toEqual([
      [ms(1), ms(2)], // the first stored at 2 s comes before the second
      [null, ms(2)],
      [ms(2), null],
      [null, null], // a lead: another chain
      [null, null], // no entity: no chain
    ]);
  });

  it("keeps them right whatever several writers insert, move and delete, interleaved", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(placeArbitrary, { maxLength: 12 }),
        fc.array(fc.array(fc.tuple(fc.nat(2), commandArbitrary), { minLength: 1, maxLength: 3 }), { maxLength: 6 }),
        async (initial, batches) => {
          const id = await workspace();
          await test.db.prisma.fact.createMany({ data: initial.map((place) => ({ workspaceId: id, ...data(place) })) });
          for (const batch of batches) {
            const alive = (
              await test.db.prisma.fact.findMany({ where: { workspaceId: id }, select: { id: true } })
            ).map((row) => row.id);
            const picked = (pick: number) => alive[pick % Math.max(1, alive.length)] ?? -1;
            await Promise.all(
              batch.map(([by, spec]) => {
                const command = { by, ...spec } as Command;
                const db = writers[command.by] as Database;
                if (command.op === "insert")
                  return db.prisma.fact.createMany({
                    data: command.places.map((place) => ({ workspaceId: id, ...data(place) })),
                  });
                if (command.op === "move")
                  return db.prisma.fact.updateMany({ where: { id: picked(command.pick) }, data: data(command.place) });
                if (command.op === "value")
                  return db.prisma.fact.updateMany({ where: { id: picked(command.pick) }, data: { value: 7 } });
                return db.prisma.fact.deleteMany({ where: { id: picked(command.pick) } });
              }),
            );
            const { stored, fresh } = await neighbours(test.db, id);
            expect(stored).toEqual(fresh);
          }
        },
      ),
      // no shrinking: each step is a database round trip, and the seed replays the case
      { numRuns: 25, endOnFailure: true },
    );
  }, 240_000);

  it("relinks what is left when facts are deleted in bulk, and leaves other workspaces alone", async () => {
    const [keep, drop] = [await workspace(), await workspace()];
    for (const workspaceId of [keep, drop])
      await test.db.prisma.fact.createMany({
        data: Array.from({ length: 30 }, (_, n) => ({
          workspaceId,
          ...data({ kind: KINDS[n % 3] as string, at: n % 4, entity: n % 5 === 0 ? null : ("abc"[n % 3] as string) }),
        })),
      });
    await test.db.prisma.fact.deleteMany({ where: { workspaceId: keep, occurredMs: BigInt(BASE + 2000) } });
    await test.db.prisma.fact.deleteMany({ where: { workspaceId: drop, kind: "mrr" } });
    for (const workspaceId of [keep, drop]) {
      const { stored, fresh } = await neighbours(test.db, workspaceId);
      expect(stored.length).toBeGreaterThan(0);
      expect(stored).toEqual(fresh);
    }
  });

  it("relinks, at the end of a bulk import through the driver, every chain it added to, and keeps the trigger", async () => {
    const id = await workspace();
    await test.db.prisma.fact.createMany({
      data: Array.from({ length: 12 }, (_, n) => ({
        workspaceId: id,
        ...data({ kind: KINDS[n % 3] as string, at: n % 5, entity: "ab"[n % 2] as string }),
      })),
    });
    const sink = createFactSink(test.db, id, { origin: "import", via: "driver" });
    const fact = (n: number): Fact => ({
      occurredMs: BASE + (n % 6) * 1000,
      kind: KINDS[n % 3] as Fact["kind"],
      entityId: n % 7 === 0 ? null : ("abc"[n % 3] as string),
      value: n,
      channel: null,
      department: null,
      segment: null,
      externalId: null,
    });
    await sink.transaction((writer) => writer.insert(Array.from({ length: 40 }, (_, n) => fact(n))));
    let { stored, fresh } = await neighbours(test.db, id);
    expect(stored).toHaveLength(52);
    expect(stored).toEqual(fresh);
    // a failed import leaves nothing, and the trigger in place
    await expect(
      sink.transaction(async (writer) => {
        await writer.insert([fact(3)]);
        throw new Error("bad row");
      }),
    ).rejects.toThrow("bad row");
    await test.db.prisma.fact.create({ data: { workspaceId: id, ...data({ kind: "mrr", at: 0, entity: "a" }) } });
    ({ stored, fresh } = await neighbours(test.db, id));
    expect(stored).toHaveLength(53);
    expect(stored).toEqual(fresh);
  });
});
