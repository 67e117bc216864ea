import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../../src/store/database.ts";
import { applyMigrations, migrationsDir } from "../../../src/store/migrate.ts";
import { ensureDefaultWorkspace } from "../../../src/store/workspaces.ts";
import { createEmptyDatabaseUrl, DIALECTS } from "../../helpers/databases.ts";

const ORIGIN_MIGRATION = "20261202083448_fact_origin_and_sources";

describe.each(DIALECTS)("the fact origin migration on %s", (dialect) => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it("tags the demo's facts as demo and every other existing fact as imported", async () => {
    const { url, drop } = await createEmptyDatabaseUrl(dialect);
    cleanups.push(drop);
    const all = migrationsDir(dialect);
    const before = mkdtempSync(path.join(tmpdir(), "tandem-migrations-"));
    cleanups.push(() => rmSync(before, { recursive: true, force: true }));
    for (const name of readdirSync(all)) {
      if (name < ORIGIN_MIGRATION) cpSync(path.join(all, name), path.join(before, name), { recursive: true });
    }
    await applyMigrations(url, before);
    const old = await openDatabase(url, { migrate: false });
    const workspace = await ensureDefaultWorkspace(old.prisma, "UTC");
    await old.prisma.$executeRawUnsafe(
      `INSERT INTO facts (workspace_id, occurred_ms, kind, entity_id, external_id) VALUES
        (${workspace.id}, 0, 'lead', 'd1', 'demo-d1-lead'), (${workspace.id}, 0, 'lead', 'c1', 'crm-1'),
        (${workspace.id}, 0, 'lead', 'c2', NULL)`,
    );
    await old.close();

    const report = await applyMigrations(url);
    expect(report.applied).toContain(ORIGIN_MIGRATION);
    const db = await openDatabase(url, { migrate: false });
    const rows = await db.prisma.fact.findMany({ orderBy: { entityId: "asc" } });
    await db.close();
    expect(rows.map((row) => [row.entityId, row.origin, row.record])).toEqual([
      ["c1", "import", null],
      ["c2", "import", null],
      ["d1", "demo", null],
    ]);
  });
});
