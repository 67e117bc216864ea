// Two schedulers (two replicas: two connections, two holders) on one database, an
// injected clock and a fake Stripe: every due sync runs once, whoever ticks first and
// whether they tick together or one after the other; a failing sync is retried on
// the next due time, not on every tick; a holder that died is taken over when its
// lease runs out. Each sync is exactly one request to the fake (one page of
// subscriptions), so the fake's request log counts the syncs.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createScheduler, type Scheduler } from "../../../src/adapters/scheduler/scheduler.ts";
import type { Logger } from "../../../src/core/ports.ts";
import { type DueSyncReport, runDueSyncs } from "../../../src/core/sources/run-due-syncs.ts";
import { sourcesJob, sourcesRunDeps } from "../../../src/main/sources-job.ts";
import { type Database, openDatabase } from "../../../src/store/database.ts";
import { applySources, createSourceStore } from "../../../src/store/sources.ts";
import { ensureDefaultWorkspace } from "../../../src/store/workspaces.ts";
import { type FakeStripe, startFakeStripe } from "../../fakes/vendors/stripe.ts";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../../helpers/databases.ts";

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 2, 9, 13, 0);
const LEASE_MS = 10 * 60_000;

const quiet: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

describe.each(DIALECTS)("scheduled source syncs on %s", (dialect) => {
  let test: TestDatabase;
  let second: Database;
  let fake: FakeStripe;
  let workspaceId: number;
  let now = T0;
  const clock = { now: () => new Date(now) };
  const syncs = () => fake.requests.filter((request) => request.path === "/v1/subscriptions").length;

  function replica(db: Database, worker: string) {
    const job = sourcesJob(
      { db, clock, logger: quiet },
      { worker, leaseMs: LEASE_MS, reader: { env: { STRIPE_KEY: fake.key }, http: { requestsPerSecond: 1000 } } },
    );
    const scheduler: Scheduler = createScheduler({
      clock,
      logger: quiet,
      cron: () => ({ start: () => {}, stop: () => {} }),
    });
    scheduler.add("sources", job.job);
    return {
      /** one tick, and the round it started, to its end */
      async tick() {
        await scheduler.tick();
        await job.idle();
      },
    };
  }

  beforeAll(async () => {
    test = await createTestDatabase(dialect);
    second = await openDatabase(test.url);
    fake = await startFakeStripe();
    fake.put("sub_1", { customer: "cus_1", start: T0 / 1000 - 86_400 * 40, items: [{ unitAmount: 4900 }] });
    workspaceId = (await ensureDefaultWorkspace(test.db.prisma, "UTC")).id;
  });
  afterAll(async () => {
    await fake?.close();
    await second?.close();
    await test?.drop();
  });
  beforeEach(async () => {
    await test.db.prisma.fact.deleteMany({});
    await test.db.prisma.source.deleteMany({});
    await applySources(test.db.prisma, workspaceId, [
      { name: "billing", kind: "stripe", everyMs: HOUR, settings: { base_url: fake.url, token_env: "STRIPE_KEY" } },
    ]);
    fake.heal();
    fake.requests.length = 0;
    now = T0;
  });

  const state = async () => {
    const source = await createSourceStore(test.db).get(workspaceId, "billing");
    if (!source) throw new Error("not applied");
    return source;
  };

  it("runs each due sync once, ticking together or one after the other, on its own interval", async () => {
    const a = replica(test.db, "replica-a");
    const b = replica(second, "replica-b");
    for (let hour = 0; hour < 3; hour++) {
      now = T0 + hour * HOUR;
      await Promise.all([a.tick(), b.tick()]);
      await b.tick();
      await a.tick();
      expect(syncs()).toBe(hour + 1);
      // not due again before its interval has passed
      now += HOUR - 60_000;
      await Promise.all([a.tick(), b.tick()]);
      expect(syncs()).toBe(hour + 1);
    }
    const source = await state();
    expect(source.lastSuccessAt?.getTime()).toBe(T0 + 2 * HOUR);
    expect(source.claimedBy).toBeNull();
    expect(source.factsOwned).toBeGreaterThan(0);
  });

  it("checks due-ness again after claiming: a scheduler that listed the source before another synced it does not sync it again", async () => {
    const store = createSourceStore(test.db);
    const listedEarly = await store.listAll();
    const a = sourcesRunDeps({ db: test.db, clock, logger: quiet }, deps("replica-a"));
    const b = sourcesRunDeps({ db: second, clock, logger: quiet }, deps("replica-b"));
    const first = await runDueSyncs(a, new Date(now));
    // b read the sources before a's sync, and claims only after a released it
    const late = await runDueSyncs({ ...b, store: { ...b.store, listAll: async () => listedEarly } }, new Date(now));
    expect(outcomes(first)).toEqual(["synced"]);
    expect(outcomes(late)).toEqual(["done-elsewhere"]);
    expect(syncs()).toBe(1);
    expect((await state()).claimedBy).toBeNull();
  });

  it("retries a failing sync on its next due time, not on every tick", async () => {
    const a = replica(test.db, "replica-a");
    const b = replica(second, "replica-b");
    fake.fail({ status: 401, times: 2 });
    await Promise.all([a.tick(), b.tick()]);
    expect(syncs()).toBe(1);
    let source = await state();
    expect(source.lastFailureAt?.getTime()).toBe(T0);
    expect(source.lastFailure).toMatch(/401|key|auth/i);
    expect(source.lastSuccessAt).toBeNull();

    now = T0 + 30 * 60_000;
    await Promise.all([a.tick(), b.tick()]);
    expect(syncs()).toBe(1);

    now = T0 + HOUR; // due again: fails again, once
    await Promise.all([b.tick(), a.tick()]);
    expect(syncs()).toBe(2);

    now = T0 + 2 * HOUR; // the vendor is back
    await Promise.all([a.tick(), b.tick()]);
    expect(syncs()).toBe(3);
    source = await state();
    expect(source.lastSuccessAt?.getTime()).toBe(T0 + 2 * HOUR);
    expect(source.factsOwned).toBeGreaterThan(0);
  });

  it("takes over a source whose holder died, once its lease has run out", async () => {
    const store = createSourceStore(test.db);
    const dead = { holder: "crashed-replica", leaseMs: LEASE_MS, nowMs: () => now };
    expect(await store.claim(await state(), dead)).toBe(true);
    const a = replica(test.db, "replica-a");
    const b = replica(second, "replica-b");
    await Promise.all([a.tick(), b.tick()]);
    expect(syncs()).toBe(0);
    now = T0 + LEASE_MS + 1;
    await Promise.all([a.tick(), b.tick()]);
    expect(syncs()).toBe(1);
    expect((await state()).lastSuccessAt?.getTime()).toBe(now);
  });

  function deps(worker: string) {
    return {
      worker,
      leaseMs: LEASE_MS,
      reader: { env: { STRIPE_KEY: fake.key }, http: { requestsPerSecond: 1000 } },
    };
  }
});

function outcomes(reports: DueSyncReport[]): string[] {
  return reports.map((report) => report.outcome);
}
