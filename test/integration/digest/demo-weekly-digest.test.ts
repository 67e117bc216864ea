// The demo company's targets are monthly. The default digest is weekly: with targets
// serving the grains that have none (docs/metrics.md, "Targets and status"), its rows
// have statuses, say where each target came from, and open rituals for shared metrics
// off track. Through the CLI and the ritual use case the server calls after posting.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kpiDeps } from "../../../src/app/kpi.ts";
import { loadDemo } from "../../../src/app/load-demo.ts";
import { createPulseServices, openRituals } from "../../../src/app/pulse.ts";
import { buildDigest } from "../../../src/core/digest/build-digest.ts";
import { createLogger } from "../../../src/core/logger.ts";
import { runCli } from "../../../src/main/cli.ts";
import { ensureDefaultWorkspace, ensureWorkspace, type WorkspaceRow } from "../../../src/store/workspaces.ts";
import { createFakeMessenger } from "../../fakes/fake-messenger.ts";
import { captureIo } from "../../helpers/cli-io.ts";
import { createTestDatabase, type TestDatabase } from "../../helpers/databases.ts";

const ENV_KEYS = ["DATABASE_URL", "TANDEM_TIMEZONE", "LOG_LEVEL"] as const;
const clock = { now: () => new Date() };

describe("the demo's weekly digest", () => {
  let test: TestDatabase;
  let workspace: WorkspaceRow;
  const saved: Partial<Record<(typeof ENV_KEYS)[number], string>> = {};

  beforeAll(async () => {
    for (const key of ENV_KEYS) saved[key] = process.env[key];
    test = await createTestDatabase("sqlite");
    process.env.DATABASE_URL = test.url;
    process.env.TANDEM_TIMEZONE = "UTC";
    process.env.LOG_LEVEL = "silent";
    workspace = await ensureDefaultWorkspace(test.db.prisma, "UTC");
    // the CLI reads the system clock, so the demo runs up to now as well
    await loadDemo({ db: test.db, workspace, clock });
  });
  afterAll(async () => {
    for (const key of ENV_KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    await test?.drop();
  });

  it("judges the week against the monthly targets: pro rata for totals, as they are for rates", async () => {
    const io = captureIo();
    expect(await runCli(["digest", "preview", "last", "week", "--json"], io)).toBe(0);
    const json = JSON.parse(io.stdout) as {
      period: { grain: string };
      summary: { noTarget: number; sharedMetrics: number; biggestChange: { score: number } | null };
      metrics: { key: string; target: number | null; status: string | null }[];
    };
    expect(json.period.grain).toBe("week");
    const byKey = Object.fromEntries(json.metrics.map((m) => [m.key, m]));
    // 200,000 a month is 45,996.84… a week, unrounded in JSON
    expect(byKey.new_revenue?.target).toBe((200_000 * 7) / 30.436875);
    expect(byKey.mql_to_sql_rate?.target).toBe(0.38);
    expect(byKey.cac?.target).toBe(4_200);
    for (const key of ["new_revenue", "mql_to_sql_rate", "cac", "customer_churn_rate", "nps"]) {
      expect(byKey[key]?.status, key).toMatch(/^(on_track|at_risk|off_track)$/);
    }
    expect(json.summary.sharedMetrics - json.summary.noTarget).toBe(5);
    expect(json.summary.biggestChange?.score).toBeGreaterThan(0);

    const text = captureIo();
    expect(await runCli(["digest", "preview", "last", "week"], text)).toBe(0);
    expect(text.stdout).toContain("pro rata from the monthly $200,000");
    expect(text.stdout).toContain("38.0%, from the monthly target");
    expect(text.stdout).toMatch(/\d+ of 5 shared metrics with a target on track/);
    expect(text.stdout).toContain("biggest change for its history:");
  });

  it("opens a ritual for each shared metric off track", async () => {
    // the demo's facts for a month do not depend on when it is loaded: a fixed week
    const fixed = { now: () => new Date("2026-11-24T07:38:00Z") };
    const other = await ensureWorkspace(test.db.prisma, {
      platform: "slack",
      externalId: "TDEMO",
      name: "Demo",
      timezone: "UTC",
    });
    await loadDemo({ db: test.db, workspace: other, clock: fixed });
    const digest = await buildDigest(kpiDeps(test.db, fixed), {
      workspaceId: other.id,
      zone: "UTC",
      period: "2026-W40",
    });
    const offTrack = digest.metrics.filter((m) => m.status === "off_track");
    // new revenue against 45,997 (pro rata), CAC against 4,200 (the monthly number)
    expect(offTrack.map((m) => m.key)).toEqual(["new_revenue", "cac"]);
    const messenger = createFakeMessenger();
    const services = createPulseServices({
      db: test.db,
      clock: fixed,
      logger: createLogger("silent"),
      env: { DATABASE_URL: test.url },
      secret: Buffer.alloc(32, 6),
      messengers: { slack: messenger },
    });
    const result = await openRituals(services, {
      workspaceId: other.id,
      platform: "slack",
      channelId: "CDIGEST",
      threadId: "1700000000.000100",
      period: digest.period,
      offTrackSharedMetrics: offTrack,
    });
    expect(result?.opened.map((ritual) => ritual.metricKey)).toEqual(["new_revenue", "cac"]);
    const revenue = messenger.posts.find((post) => post.message.text.includes("New revenue"));
    expect(revenue?.message.text).toMatch(/against a target of \$45,997, pro rata from the monthly \$200,000/);
    const cac = messenger.posts.find((post) => post.message.text.includes("Customer acquisition cost"));
    expect(cac?.message.text).toContain("against a target of $4,200, from the monthly target");
  });
});
