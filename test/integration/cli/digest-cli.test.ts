import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../src/main/cli.ts";
import { ensureDefaultWorkspace } from "../../../src/store/workspaces.ts";
import { type Captured, captureIo } from "../../helpers/cli-io.ts";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../../helpers/databases.ts";

const ENV_KEYS = ["DATABASE_URL", "TANDEM_TIMEZONE", "LOG_LEVEL", "SLACK_BOT_TOKEN", "SLACK_CLIENT_ID"] as const;

describe.each(DIALECTS)("tandem digest on %s", (dialect) => {
  let test: TestDatabase;
  const saved: Partial<Record<(typeof ENV_KEYS)[number], string>> = {};

  async function cli(args: string[]): Promise<{ code: number; io: Captured }> {
    const io = captureIo();
    const code = await runCli(args, io);
    return { code, io };
  }

  beforeAll(async () => {
    for (const key of ENV_KEYS) saved[key] = process.env[key];
    delete process.env.SLACK_BOT_TOKEN;
    delete process.env.SLACK_CLIENT_ID;
    test = await createTestDatabase(dialect);
    process.env.DATABASE_URL = test.url;
    process.env.TANDEM_TIMEZONE = "UTC";
    process.env.LOG_LEVEL = "silent";
    const workspace = await ensureDefaultWorkspace(test.db.prisma, "UTC");
    const at = (iso: string) => BigInt(Date.parse(iso));
    await test.db.prisma.fact.createMany({
      data: [
        { occurredMs: at("2026-08-20T12:00:00Z"), kind: "lead", entityId: "e1", channel: "webinar" },
        { occurredMs: at("2026-08-21T12:00:00Z"), kind: "mql", entityId: "e1" },
        { occurredMs: at("2026-08-25T12:00:00Z"), kind: "won", entityId: "e1", value: 4000 },
        { occurredMs: at("2026-09-02T12:00:00Z"), kind: "lead", entityId: "e2", channel: "paid_search" },
        { occurredMs: at("2026-09-03T12:00:00Z"), kind: "mql", entityId: "e2" },
        { occurredMs: at("2026-09-04T12:00:00Z"), kind: "sql", entityId: "e2" },
        { occurredMs: at("2026-09-10T12:00:00Z"), kind: "won", entityId: "e2", value: 7500 },
        { occurredMs: at("2026-09-15T12:00:00Z"), kind: "won", entityId: "e1", value: 2500, segment: "upsell" },
        { occurredMs: at("2026-09-05T12:00:00Z"), kind: "spend", value: 3000, department: "marketing" },
        { occurredMs: at("2026-09-01T00:00:00Z"), kind: "mrr", entityId: "e1", value: 300 },
        { occurredMs: at("2026-09-12T00:00:00Z"), kind: "mrr", entityId: "e2", value: 500 },
      ].map((fact) => ({ workspaceId: workspace.id, ...fact })),
    });
    await test.db.prisma.target.create({
      data: { workspaceId: workspace.id, metricKey: "new_revenue", grain: "month", value: 9000 },
    });
  });

  afterAll(async () => {
    for (const key of ENV_KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    await test?.drop();
  });

  it("previews a period as JSON carrying the shared metrics exactly as tandem kpi gives them", async () => {
    const digest = await cli(["digest", "preview", "2026-09", "--json"]);
    expect(digest.io.stderr).toBe("");
    expect(digest.code).toBe(0);
    const json = JSON.parse(digest.io.stdout);
    const kpi = JSON.parse((await cli(["kpi", "2026-09", "--shared", "--json"])).io.stdout);
    expect(json.period).toEqual(kpi.period);
    expect(json.metrics).toEqual(kpi.metrics);
    expect(json.metrics.find((m: { key: string }) => m.key === "new_revenue")).toEqual({
      key: "new_revenue",
      name: "New revenue",
      unit: "currency",
      value: 10_000,
      previous: 4000,
      change: 1.5,
      target: 9000,
      status: "on_track",
      owners: ["marketing", "sales", "product"],
      breakdown: null,
    });
    expect(json.metrics.find((m: { key: string }) => m.key === "mrr")?.value).toBe(800);
    expect(json.summary.onTrack).toBe(1);
    expect(json.departments.map((d: { key: string }) => d.key)).toEqual(["marketing", "sales", "product"]);
    expect(json.pairs.map((p: { departments: string[] }) => p.departments.join("×"))).toEqual([
      "marketing×sales",
      "marketing×product",
      "sales×product",
    ]);
    expect(json.pulse).toBeNull();
  });

  it("previews as text by default", async () => {
    const { code, io } = await cli(["digest", "preview", "2026-09"]);
    expect(code).toBe(0);
    expect(io.stdout).toContain("Monthly alignment digest · September 2026");
    expect(io.stdout).toContain("New revenue");
  });

  it("refuses a period it cannot read", async () => {
    const { code, io } = await cli(["digest", "preview", "someday"]);
    expect(code).toBe(1);
    expect(io.stderr).toContain("I don't understand the period “someday”");
  });

  it("says when nothing is due, and reports a channel it cannot post to", async () => {
    const none = await cli(["digest", "run-due"]);
    expect(none.code).toBe(0);
    expect(none.io.stdout).toContain("Nothing is due");

    const workspace = await ensureDefaultWorkspace(test.db.prisma, "UTC");
    await test.db.prisma.digestSubscription.create({
      data: {
        workspaceId: workspace.id,
        platform: "slack",
        channelId: "C_CLI",
        timezone: "UTC",
        createdBy: "U1",
        createdAt: new Date(Date.now() - 30 * 86_400_000),
        // today at 00:00 UTC: due within the last 24 h whatever day the test runs
        dayOfWeek: ((new Date().getUTCDay() + 6) % 7) + 1,
        time: "00:00",
      },
    });
    const failed = await cli(["digest", "run-due"]);
    expect(failed.code).toBe(1);
    expect(failed.io.stdout).toMatch(/^failed +slack channel C_CLI, \d{4}-W\d{2} .*slack is not configured/m);
  });
});
