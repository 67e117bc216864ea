// What a process keeps of what it read (src/store/generations.ts), on real databases with
// two replicas (two connections to one database): reused while nothing was written,
// and a write through one replica is in the next read of the other.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kpiDeps } from "../../../src/app/kpi.ts";
import { type Database, openDatabase } from "../../../src/store/database.ts";
import { keptByKey, keptUntilWritten } from "../../../src/store/generations.ts";
import { keptKpiSettingsSource, loadKpiSettings, setTarget } from "../../../src/store/kpi-settings.ts";
import { findMemberDepartment, keptMemberDepartment, setMemberDepartment } from "../../../src/store/members.ts";
import { createSourceStore, keptSourceList } from "../../../src/store/sources.ts";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../../helpers/databases.ts";

const JAN = { startMs: Date.UTC(2026, 0, 1), endMs: Date.UTC(2026, 1, 1) };
const clock = { now: () => new Date(Date.UTC(2026, 0, 20)) };

describe.each(DIALECTS)("reads kept until written, on %s", (dialect) => {
  let test: TestDatabase;
  /** the second replica's connection */
  let other: Database;
  let run = 0;
  const workspace = async () =>
    (await test.db.prisma.workspace.create({ data: { platform: "local", externalId: `kept-${run++}` } })).id;

  /** The other replica's kept settings, counting the loads that reach the tables. */
  const keptSettings = (maxWorkspaces?: number) => {
    const counted = { loads: 0 };
    const load = keptUntilWritten(
      other,
      "settings",
      (id) => {
        counted.loads++;
        return loadKpiSettings(other.prisma, id);
      },
      maxWorkspaces,
    );
    return Object.assign(counted, { load });
  };

  beforeAll(async () => {
    test = await createTestDatabase(dialect);
    other = await openDatabase(test.url, { migrate: false });
  });
  afterAll(async () => {
    await other.close();
    await test?.drop();
  });

  it("loads the settings once while nothing is written, and each copy is the caller's own", async () => {
    const id = await workspace();
    const kept = keptSettings();
    const first = await kept.load(id);
    first.targets.push({ metric: "cac", grain: "month", department: null, value: 1 });
    const second = await kept.load(id);
    expect(second.targets).toEqual([]);
    expect(kept.loads).toBe(1);
  });

  it("answers with a target, a department, a metric definition and the gross margin written through the other replica", async () => {
    const id = await workspace();
    const kept = keptSettings();
    const source = keptKpiSettingsSource(other);
    await kept.load(id);
    await source.load(id);

    await setTarget(test.db.prisma, id, { metric: "cac", grain: "month", value: 3900, department: null }, "t");
    expect((await source.load(id)).targets).toEqual([{ metric: "cac", grain: "month", department: null, value: 3900 }]);

    await test.db.prisma.department.create({ data: { workspaceId: id, key: "ops", name: "Operations" } });
    expect((await source.load(id)).departments).toEqual([{ key: "ops", name: "Operations" }]);

    await test.db.prisma.metricDefinition.create({ data: { workspaceId: id, key: "cac", name: "Cost per customer" } });
    expect((await source.load(id)).overrides).toEqual({ cac: { name: "Cost per customer" } });

    await test.db.prisma.workspace.update({ where: { id }, data: { grossMargin: 0.42 } });
    expect((await source.load(id)).grossMargin).toBe(0.42);

    await test.db.prisma.target.deleteMany({ where: { workspaceId: id } });
    expect((await source.load(id)).targets).toEqual([]);

    await test.db.prisma.department.deleteMany({ where: { workspaceId: id } });
    await kept.load(id);
    expect(kept.loads).toBe(2);
  });

  it("answers with a source's new status written through the other replica", async () => {
    const id = await workspace();
    const row = await test.db.prisma.source.create({
      data: { workspaceId: id, name: "crm", kind: "http", everyMs: 60_000 },
    });
    const list = keptSourceList(other, createSourceStore(other));
    expect((await list.list(id)).map((s) => s.lastSuccessAt)).toEqual([null]);
    const synced = new Date(Date.UTC(2026, 0, 19));
    await test.db.prisma.source.update({ where: { id: row.id }, data: { lastSuccessAt: synced } });
    expect((await list.list(id)).map((s) => s.lastSuccessAt)).toEqual([synced]);
    await test.db.prisma.source.delete({ where: { id: row.id } });
    expect(await list.list(id)).toEqual([]);
  });

  it("answers with a member's department written through the other replica, loading each member once", async () => {
    const id = await workspace();
    let loads = 0;
    const kept = keptByKey(other, "members", (workspaceId, userId) => {
      loads++;
      return findMemberDepartment(other.prisma, workspaceId, "slack", userId);
    });
    const ops = await test.db.prisma.department.create({ data: { workspaceId: id, key: "ops", name: "Operations" } });
    expect(await kept(id, "U1")).toBeNull();
    expect(await kept(id, "U1")).toBeNull();
    expect(loads).toBe(1);
    await setMemberDepartment(test.db.prisma, {
      workspaceId: id,
      platform: "slack",
      userId: "U1",
      departmentKey: "ops",
      actor: "t",
    });
    expect(await kept(id, "U1")).toEqual({ key: "ops", name: "Operations" });
    await test.db.prisma.department.update({ where: { id: ops.id }, data: { name: "Ops" } });
    expect(await kept(id, "U1")).toEqual({ key: "ops", name: "Ops" });
    await test.db.prisma.member.deleteMany({ where: { workspaceId: id } });
    expect(await kept(id, "U1")).toBeNull();
    expect(loads).toBe(4);
    const member = keptMemberDepartment(other);
    expect(await member(id, "slack", "U1")).toBeNull();
  });

  it("answers with a fact written through the other replica", async () => {
    const id = await workspace();
    const { stats } = kpiDeps(other, clock);
    expect((await stats.measures(id, JAN)).newRevenue).toBe(0);
    await test.db.prisma.fact.create({
      data: { workspaceId: id, kind: "won", occurredMs: BigInt(JAN.startMs + 1), entityId: "a", value: 250 },
    });
    expect((await stats.measures(id, JAN)).newRevenue).toBe(250);
  });

  it.runIf(dialect === "postgres")(
    "lets a writer of a workspace through while another transaction of it is still writing (bumps at commit)",
    async () => {
      const id = await workspace();
      const source = (name: string) =>
        test.db.prisma.source.create({ data: { workspaceId: id, name, kind: "http", everyMs: 60_000 } });
      const [a, b] = [await source("a"), await source("b")];
      let release = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let updated = () => {};
      const inFlight = new Promise<void>((resolve) => {
        updated = resolve;
      });
      const long = test.db.prisma.$transaction(async (tx) => {
        await tx.source.update({ where: { id: a.id }, data: { cursor: "page-1" } });
        updated();
        await gate;
      });
      await inFlight;
      await other.prisma.source.update({ where: { id: b.id }, data: { cursor: "page-1" } });
      const list = keptSourceList(other, createSourceStore(other));
      expect((await list.list(id)).map((s) => s.cursor)).toEqual([null, "page-1"]);
      release();
      await long;
      expect((await list.list(id)).map((s) => s.cursor)).toEqual(["page-1", "page-1"]);
    },
  );

  it("keeps a write in one workspace from reloading another, and forgets the least recently used", async () => {
    const [a, b, c] = [await workspace(), await workspace(), await workspace()];
    const kept = keptSettings(2);
    await kept.load(a);
    await kept.load(b);
    await setTarget(test.db.prisma, b, { metric: "cac", grain: "month", value: 10, department: null }, "t");
    await kept.load(a);
    expect(kept.loads).toBe(2);
    await kept.load(c); // b is forgotten: a was used since
    await kept.load(a);
    expect(kept.loads).toBe(3);
    await kept.load(b);
    expect(kept.loads).toBe(4);
  });
});
