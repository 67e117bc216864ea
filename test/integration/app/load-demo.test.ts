import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_TARGETS, isDatabaseEmpty, loadDemo } from "../../../src/app/load-demo.ts";
import { generateDemoFacts } from "../../../src/core/demo/generate-demo.ts";
import { ensureDefaultWorkspace, type WorkspaceRow } from "../../../src/store/workspaces.ts";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../../helpers/databases.ts";

const NOW = new Date("2026-11-24T07:38:00Z");
const clock = { now: () => NOW };

describe.each(DIALECTS)("loading the demo data set on %s", (dialect) => {
  let test: TestDatabase;
  let workspace: WorkspaceRow;

  beforeAll(async () => {
    test = await createTestDatabase(dialect);
    workspace = await ensureDefaultWorkspace(test.db.prisma, "UTC");
  });
  afterAll(async () => {
    await test?.drop();
  });

  it("loads every demo fact into an empty workspace once, and nothing on a second load", async () => {
    expect(await isDatabaseEmpty(test.db, workspace.id)).toBe(true);
    // a target the team set itself is kept
    await test.db.prisma.target.create({
      data: { workspaceId: workspace.id, metricKey: "cac", grain: "month", department: "", value: 4000 },
    });
    const expected = [...generateDemoFacts({ endMs: NOW.getTime() })].length;

    const first = await loadDemo({ db: test.db, workspace, clock });
    expect(first).toEqual({ inserted: expected, duplicates: 0 });
    expect(await test.db.prisma.fact.count({ where: { workspaceId: workspace.id } })).toBe(expected);
    // every demo fact says it is the demo's, so it can be told apart from real data
    expect(await test.db.prisma.fact.count({ where: { workspaceId: workspace.id, origin: "demo" } })).toBe(expected);
    expect(await isDatabaseEmpty(test.db, workspace.id)).toBe(false);

    const second = await loadDemo({ db: test.db, workspace, clock });
    expect(second).toEqual({ inserted: 0, duplicates: expected });
    expect(await test.db.prisma.fact.count({ where: { workspaceId: workspace.id } })).toBe(expected);

    const targets = await test.db.prisma.target.findMany({ where: { workspaceId: workspace.id } });
    expect(targets.map((target) => target.metricKey).sort()).toEqual(
      DEMO_TARGETS.map((target) => target.metricKey).sort(),
    );
    expect(targets.find((target) => target.metricKey === "cac")?.value).toBe(4000);
  });

  it("adds only what has happened since when loaded again later", async () => {
    const later = new Date(NOW.getTime() + 3 * 86_400_000);
    const before = await test.db.prisma.fact.count({ where: { workspaceId: workspace.id } });
    const result = await loadDemo({ db: test.db, workspace, clock: { now: () => later } });
    expect(result.inserted).toBeGreaterThan(0);
    expect(result.duplicates).toBe(before);
    expect(await test.db.prisma.fact.count({ where: { workspaceId: workspace.id } })).toBe(before + result.inserted);
  });
});
