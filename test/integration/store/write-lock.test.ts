// Waiting for another writer (store/busy.ts): a write waits its turn for a bounded time
// without blocking the event loop, then fails with AppError(Unavailable); reads never
// wait. SQLite: another connection holding the write lock (as `tandem import` does).
// PostgreSQL: another transaction holding a row lock on the same unique key.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError, ErrorCode } from "../../../src/core/errors.ts";
import { databaseBusy, isBusyError, retryWhileBusy } from "../../../src/store/busy.ts";
import { type Database, openDatabase } from "../../../src/store/database.ts";
import { ensureDefaultWorkspace } from "../../../src/store/workspaces.ts";
import { createEmptyDatabaseUrl, DIALECTS } from "../../helpers/databases.ts";
import { holdWriteLock } from "../../helpers/locks.ts";

describe("busy errors", () => {
  it("are recognised however the driver or Prisma wraps them", () => {
    expect(isBusyError(Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" }))).toBe(true);
    expect(isBusyError(Object.assign(new Error("x"), { code: "SQLITE_BUSY_SNAPSHOT" }))).toBe(true);
    expect(
      isBusyError({ code: "P2010", meta: { driverAdapterError: { cause: { originalCode: "SQLITE_BUSY" } } } }),
    ).toBe(true);
    expect(isBusyError({ code: "P2010", meta: { driverAdapterError: { cause: { originalCode: "55P03" } } } })).toBe(
      true,
    );
    expect(isBusyError(databaseBusy())).toBe(true);
    expect(isBusyError(Object.assign(new Error("unique"), { code: "P2002" }))).toBe(false);
    expect(isBusyError(new AppError(ErrorCode.NotFound, "no"))).toBe(false);
    expect(isBusyError(null)).toBe(false);
  });

  it("stop being retried after the wait, as AppError(Unavailable) with a Retry-After hint", async () => {
    let attempts = 0;
    const failing = retryWhileBusy(
      () => {
        attempts++;
        throw Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });
      },
      { waitMs: 100, busyMessage: "busy, says the test" },
    );
    await expect(failing).rejects.toMatchObject({
      code: ErrorCode.Unavailable,
      message: "busy, says the test",
      details: { retryAfterSeconds: expect.any(Number) },
    });
    expect(attempts).toBeGreaterThan(1);
    // anything else is not retried
    let once = 0;
    await expect(
      retryWhileBusy(
        () => {
          once++;
          throw new Error("broken");
        },
        { waitMs: 1_000 },
      ),
    ).rejects.toThrow("broken");
    expect(once).toBe(1);
  });
});

describe.each(DIALECTS)("a write meeting another writer's lock on %s", (dialect) => {
  let url: string;
  let drop: () => Promise<void>;
  let patient: Database;
  let impatient: Database;

  beforeAll(async () => {
    ({ url, drop } = await createEmptyDatabaseUrl(dialect));
    patient = await openDatabase(url, { writeWaitMs: 10_000 });
    impatient = await openDatabase(url, { writeWaitMs: 300 });
    await ensureDefaultWorkspace(patient.prisma, "UTC");
  });
  afterAll(async () => {
    await patient?.close();
    await impatient?.close();
    await drop?.();
  });

  const collidingFact = (db: Database) =>
    db.prisma.fact.create({
      data: { workspaceId: 1, occurredMs: 1n, kind: "lead", entityId: "mine", externalId: "held-1" },
    });

  it("waits its turn without blocking the event loop, and reads never wait", async () => {
    const lock = await holdWriteLock(dialect, url);
    const events: string[] = [];
    const write = collidingFact(patient).then(
      () => events.push("write done"),
      (error: unknown) => events.push(`write failed: ${String(error)}`),
    );
    // the event loop keeps turning while the write waits: timers fire, reads answer
    await new Promise((resolve) => setTimeout(resolve, 200));
    events.push("timer fired");
    expect(await patient.prisma.workspace.count()).toBe(1);
    events.push("read answered");
    await lock.release();
    await write;
    expect(events).toEqual(["timer fired", "read answered", "write done"]);
    expect(await patient.prisma.fact.count({ where: { externalId: "held-1" } })).toBe(1);
    await patient.prisma.fact.deleteMany({});
  });

  it("gives up after its bounded wait with AppError(Unavailable), inside a transaction too", async () => {
    const lock = await holdWriteLock(dialect, url);
    try {
      await expect(collidingFact(impatient)).rejects.toMatchObject({
        code: ErrorCode.Unavailable,
        details: { retryAfterSeconds: expect.any(Number) },
      });
      await expect(
        impatient.prisma.$transaction(async (tx) => {
          await tx.workspace.count();
          await tx.fact.create({
            data: { workspaceId: 1, occurredMs: 1n, kind: "lead", entityId: "mine", externalId: "held-1" },
          });
        }),
      ).rejects.toBeInstanceOf(AppError);
      if (dialect === "postgres") {
        // PostgreSQL locks rows, not the database: other facts go in at once
        await impatient.prisma.fact.create({
          data: { workspaceId: 1, occurredMs: 1n, kind: "lead", entityId: "other", externalId: "free-1" },
        });
      }
    } finally {
      await lock.release();
    }
    expect(await patient.prisma.fact.count({ where: { externalId: "held-1" } })).toBe(0);
  });
});
