import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../../src/store/database.ts";
import { applyMigrations } from "../../../src/store/migrate.ts";
import { ensureDefaultWorkspace } from "../../../src/store/workspaces.ts";
import { createEmptyDatabaseUrl, DIALECTS } from "../../helpers/databases.ts";
import { holdWriteLock } from "../../helpers/locks.ts";

describe.each(DIALECTS)("migration runner on %s", (dialect) => {
  const drops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const drop of drops) await drop();
  });

  it("applies every migration once and records it where the Prisma CLI looks", async () => {
    const { url, drop } = await createEmptyDatabaseUrl(dialect);
    drops.push(drop);
    const first = await applyMigrations(url);
    expect(first.applied.length).toBeGreaterThan(0);
    const second = await applyMigrations(url);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toBe(first.applied.length);

    const db = await openDatabase(url, { migrate: false });
    const rows = await db.prisma.$queryRawUnsafe<{ migration_name: string; checksum: string; finished_at: unknown }[]>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    await db.close();
    expect(rows.map((row) => row.migration_name)).toEqual(first.applied);
    for (const row of rows) {
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.finished_at).not.toBeNull();
    }
  });

  it("serialises concurrent start-ups so each migration is applied exactly once", async () => {
    const { url, drop } = await createEmptyDatabaseUrl(dialect);
    drops.push(drop);
    const reports = await Promise.all([applyMigrations(url), applyMigrations(url), applyMigrations(url)]);
    const appliedCount = reports.reduce((sum, report) => sum + report.applied.length, 0);
    expect(appliedCount).toBe(reports[0] ? reports[0].applied.length + reports[0].alreadyApplied : 0);
  });

  it("needs no lock when nothing is pending, so a process starts while an import writes", async () => {
    const { url, drop } = await createEmptyDatabaseUrl(dialect);
    drops.push(drop);
    const first = await applyMigrations(url);
    const db = await openDatabase(url, { migrate: false });
    await ensureDefaultWorkspace(db.prisma, "UTC");
    await db.close();
    const lock = await holdWriteLock(dialect, url);
    try {
      // not even a moment's wait is allowed: a write lock would be refused at once
      const report = await applyMigrations(url, undefined, { writeWaitMs: 0 });
      expect(report).toEqual({ applied: [], alreadyApplied: first.applied.length });
    } finally {
      await lock.release();
    }
  });
});
