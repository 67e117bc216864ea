// A crossing claimed by a process that dies before posting it is not lost: once the
// claim's lease runs out, the next evaluation takes it over and posts it, exactly once
// however many schedulers look at the same moment; after ALERT_MAX_ATTEMPTS abandoned
// claims it is recorded failed instead. SQLite and PostgreSQL, an injected clock.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../../../src/app/context.ts";
import { parseEnv } from "../../../src/config/env.ts";
import type { StoredRule } from "../../../src/core/alerts/ports.ts";
import { ALERT_LEASE_MS, ALERT_MAX_ATTEMPTS, runAlerts } from "../../../src/core/alerts/run-alerts.ts";
import { createLogger } from "../../../src/core/logger.ts";
import { alertRunDeps } from "../../../src/main/alert-job.ts";
import { createAlertRuleStore } from "../../../src/store/alert-rules.ts";
import { ensureDefaultWorkspace } from "../../../src/store/workspaces.ts";
import { createFakeMessenger } from "../../fakes/fake-messenger.ts";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../../helpers/databases.ts";

const START = new Date("2026-10-14T09:00:00Z");

describe.each(DIALECTS)("an alert claimed by a process that died (%s)", (dialect) => {
  let test: TestDatabase;
  let ctx: AppContext;
  let now = START;
  const messenger = createFakeMessenger();
  const store = () => createAlertRuleStore(test.db);
  const scheduler = (worker: string) => alertRunDeps(ctx, { messenger, worker });

  beforeAll(async () => {
    test = await createTestDatabase(dialect);
    const workspace = await ensureDefaultWorkspace(test.db.prisma, "UTC");
    ctx = {
      env: parseEnv({ DATABASE_URL: test.url, LOG_LEVEL: "silent" }),
      db: test.db,
      workspace,
      clock: { now: () => now },
      logger: createLogger("silent"),
      close: async () => {},
    };
    await test.db.prisma.fact.createMany({
      data: [
        {
          workspaceId: workspace.id,
          occurredMs: BigInt(Date.UTC(2026, 8, 5)),
          kind: "spend",
          value: 7000,
          department: "marketing",
        },
        {
          workspaceId: workspace.id,
          occurredMs: BigInt(Date.UTC(2026, 8, 10)),
          kind: "won",
          entityId: "D1",
          segment: "new",
        },
      ],
    });
  });
  afterAll(async () => test?.drop());

  /** a rule that is crossed (CAC 7,000 in September), claimed by worker "dead" at `now`, never posted */
  async function claimedAndAbandoned(channelId: string): Promise<StoredRule> {
    const { rule } = await store().add({
      workspaceId: ctx.workspace.id,
      platform: "slack",
      channelId,
      rule: "cac above 5000 last month",
      createdBy: "U1",
      source: "chat",
    });
    const claim = await store().claimCrossing({ rule, worker: "dead", value: 7000, now, leaseMs: ALERT_LEASE_MS });
    expect(claim?.status).toBe("claimed");
    return rule;
  }
  const postsTo = (channelId: string) => messenger.posts.filter((post) => post.target.channelId === channelId);
  const alertOf = (rule: StoredRule) => test.db.prisma.alert.findFirstOrThrow({ where: { ruleId: rule.id } });

  it("is posted once by another scheduler after the lease, not before", async () => {
    now = START;
    const rule = await claimedAndAbandoned("CLEASE");
    now = new Date(START.getTime() + ALERT_LEASE_MS - 1);
    await Promise.all([runAlerts(scheduler("b")), runAlerts(scheduler("c"))]);
    expect(postsTo("CLEASE")).toHaveLength(0);
    expect((await alertOf(rule)).status).toBe("claimed");

    now = new Date(START.getTime() + ALERT_LEASE_MS);
    const reports = (await Promise.all([runAlerts(scheduler("b")), runAlerts(scheduler("c"))])).flat();
    await Promise.all([runAlerts(scheduler("b")), runAlerts(scheduler("c"))]);
    expect(postsTo("CLEASE")).toHaveLength(1);
    expect(postsTo("CLEASE")[0]?.message.text).toContain("Alert: Customer acquisition cost above $5,000");
    expect(reports.filter((r) => r.ruleId === rule.id).map((r) => r.outcome)).toEqual(["posted"]);
    const alert = await alertOf(rule);
    expect([alert.status, alert.attempts, alert.crossing, alert.messageId]).toEqual([
      "posted",
      2,
      1,
      postsTo("CLEASE")[0]?.messageId,
    ]);
    expect(["b", "c"]).toContain(alert.claimedBy);
    expect(await test.db.prisma.alert.count({ where: { ruleId: rule.id } })).toBe(1);
  });

  it("is recorded failed, not posted, once every claimer has died", async () => {
    now = new Date(START.getTime() + 2 * ALERT_LEASE_MS);
    const rule = await claimedAndAbandoned("CEXHAUST");
    // the claimers that took it over died too
    for (let attempt = 1; attempt < ALERT_MAX_ATTEMPTS; attempt++) {
      now = new Date(now.getTime() + ALERT_LEASE_MS);
      const [abandoned] = [...(await store().abandoned([rule.id], now)).values()];
      if (!abandoned) throw new Error("the claim was not abandoned");
      const taken = await store().takeOver({
        alert: abandoned,
        worker: `dead-${attempt}`,
        now,
        leaseMs: ALERT_LEASE_MS,
        maxAttempts: ALERT_MAX_ATTEMPTS,
      });
      expect(taken.claimed).toBe(true);
    }
    now = new Date(now.getTime() + ALERT_LEASE_MS);
    const reports = (await Promise.all([runAlerts(scheduler("b")), runAlerts(scheduler("c"))])).flat();
    expect(reports.filter((r) => r.ruleId === rule.id).map((r) => r.outcome)).toEqual(["exhausted"]);
    expect(postsTo("CEXHAUST")).toHaveLength(0);
    const alert = await alertOf(rule);
    expect([alert.status, alert.attempts]).toEqual(["failed", ALERT_MAX_ATTEMPTS]);
    expect(alert.message).toContain("gave up: every claimer stopped before posting");
  });

  it("is closed, not posted, when the metric was back within bounds before anyone could post it", async () => {
    now = new Date(START.getTime() + 10 * ALERT_LEASE_MS);
    const rule = await claimedAndAbandoned("CRECOVER");
    // two more deals won in September: CAC 7,000 / 3, under the line
    await test.db.prisma.fact.createMany({
      data: ["D2", "D3"].map((entityId) => ({
        workspaceId: ctx.workspace.id,
        occurredMs: BigInt(Date.UTC(2026, 8, 12)),
        kind: "won",
        entityId,
        segment: "new",
      })),
    });
    now = new Date(now.getTime() + ALERT_LEASE_MS);
    const reports = (await Promise.all([runAlerts(scheduler("b")), runAlerts(scheduler("c"))])).flat();
    // one scheduler closes the claim, one re-arms the rule: which does which is a race
    expect(
      reports
        .filter((r) => r.ruleId === rule.id)
        .map((r) => r.outcome)
        .sort(),
    ).toEqual(["failed", "rearmed"]);
    expect(postsTo("CRECOVER")).toHaveLength(0);
    const alert = await alertOf(rule);
    expect(alert.status).toBe("failed");
    expect(alert.message).toContain("the metric was back within bounds before it could be posted");
  });
});
