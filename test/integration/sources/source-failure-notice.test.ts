// The admins get one direct message when a source starts failing, not one per retry,
// and one when it recovers: two schedulers on one database, a fake Stripe that refuses
// the key for three due syncs in a row, the delivery port's fake recording the DMs (the
// first attempt of each refused as a platform hiccup, so they go through withRetries).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DeliveryError } from "../../../src/core/delivery/delivery-error.ts";
import type { Messenger } from "../../../src/core/delivery/ports.ts";
import type { Logger } from "../../../src/core/ports.ts";
import { tellAdminsOnTransition } from "../../../src/core/sources/failure-notice.ts";
import { sourcesJob } from "../../../src/main/sources-job.ts";
import { loadAdminRecipients } from "../../../src/store/admin-recipients.ts";
import { type Database, openDatabase } from "../../../src/store/database.ts";
import { applySources } from "../../../src/store/sources.ts";
import { ensureDefaultWorkspace } from "../../../src/store/workspaces.ts";
import { createFakeMessenger, type FakeMessenger } from "../../fakes/fake-messenger.ts";
import { type FakeStripe, startFakeStripe } from "../../fakes/vendors/stripe.ts";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../../helpers/databases.ts";

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 2, 9, 13, 0);
const quiet: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** The fake messenger, whose first attempt at each direct message fails as a 503. */
function hiccuping(fake: FakeMessenger): Messenger & { attempts: number } {
  let attempts = 0;
  return {
    ...fake,
    get attempts() {
      return attempts;
    },
    async directMessage(recipient, message) {
      attempts++;
      if (attempts % 2 === 1) throw new DeliveryError("service unavailable", { status: 503 });
      return fake.directMessage(recipient, message);
    },
  };
}

describe.each(DIALECTS)("telling admins about a failing source on %s", (dialect) => {
  let test: TestDatabase;
  let second: Database;
  let fake: FakeStripe;
  let workspaceId: number;
  let now = T0;
  const clock = { now: () => new Date(now) };

  beforeAll(async () => {
    test = await createTestDatabase(dialect);
    second = await openDatabase(test.url);
    fake = await startFakeStripe();
    fake.put("sub_1", { customer: "cus_1", start: T0 / 1000 - 86_400 * 40, items: [{ unitAmount: 4900 }] });
    workspaceId = (await ensureDefaultWorkspace(test.db.prisma, "UTC")).id;
    await test.db.prisma.workspace.update({
      where: { id: workspaceId },
      data: { settings: JSON.stringify({ admins: ["U024ADMIN"] }) },
    });
    await test.db.prisma.member.create({
      data: { workspaceId, platform: "teams", userId: "29:teams-admin", role: "admin" },
    });
    await test.db.prisma.member.create({ data: { workspaceId, platform: "slack", userId: "U0MEMBER" } });
  });
  afterAll(async () => {
    await fake?.close();
    await second?.close();
    await test?.drop();
  });
  beforeEach(async () => {
    await test.db.prisma.source.deleteMany({});
    await applySources(test.db.prisma, workspaceId, [
      { name: "billing", kind: "stripe", everyMs: HOUR, settings: { base_url: fake.url, token_env: "STRIPE_KEY" } },
    ]);
    fake.heal();
    now = T0;
  });

  function replica(db: Database, worker: string, messenger: Messenger) {
    const job = sourcesJob(
      { db, clock, logger: quiet },
      {
        worker,
        reader: { env: { STRIPE_KEY: fake.key }, http: { requestsPerSecond: 1000 } },
        afterSync: tellAdminsOnTransition({
          messenger,
          admins: (id) => loadAdminRecipients(db.prisma, id),
          logger: quiet,
          retry: { minTimeoutMs: 1, maxTimeoutMs: 1, randomize: false, sleep: async () => {} },
        }),
      },
    );
    return async () => {
      await job.job(clock.now());
      await job.idle();
    };
  }

  it("sends one DM per admin when the source starts failing, none on the retries, one when it recovers", async () => {
    const dms = createFakeMessenger();
    const messenger = hiccuping(dms);
    const a = replica(test.db, "replica-a", messenger);
    const b = replica(second, "replica-b", messenger);

    await Promise.all([a(), b()]); // a success first: ok
    expect(dms.directMessages).toHaveLength(0);

    fake.fail({ status: 401, times: 3 });
    for (let run = 1; run <= 3; run++) {
      now = T0 + run * HOUR;
      await Promise.all([a(), b()]);
    }
    expect(fake.requests.filter((request) => request.path === "/v1/subscriptions")).toHaveLength(4);
    const started = dms.directMessages.map(({ target, message }) => ({ ...target, text: message.text }));
    expect(started.map(({ platform, userId }) => `${platform}:${userId}`).sort()).toEqual([
      "slack:U024ADMIN",
      "teams:29:teams-admin",
    ]);
    for (const dm of started) {
      expect(dm.workspaceId).toBe(workspaceId);
      expect(dm.text).toContain("billing (stripe) started failing");
      expect(dm.text).toMatch(/Reason: .*401/);
      expect(dm.text).not.toContain(fake.key);
    }

    now = T0 + 4 * HOUR; // the key works again
    await Promise.all([b(), a()]);
    const recovered = dms.directMessages.slice(2);
    expect(recovered).toHaveLength(2);
    for (const dm of recovered) expect(dm.message.text).toContain("billing (stripe) syncs again");

    now = T0 + 5 * HOUR; // still fine: nothing more to say
    await Promise.all([a(), b()]);
    expect(dms.directMessages).toHaveLength(4);
    expect(messenger.attempts).toBe(8); // each DM went out on its second attempt
  });
});
