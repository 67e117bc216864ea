import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../src/main/cli.ts";
import { ensureDefaultWorkspace } from "../../../src/store/workspaces.ts";
import { type Captured, captureIo } from "../../helpers/cli-io.ts";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../../helpers/databases.ts";

const ENV_KEYS = ["DATABASE_URL", "TANDEM_TIMEZONE", "LOG_LEVEL"] as const;

describe.each(DIALECTS)("tandem kpi on %s", (dialect) => {
  let test: TestDatabase;
  const saved: Partial<Record<(typeof ENV_KEYS)[number], string>> = {};

  async function kpi(args: string[], zone = "UTC"): Promise<{ code: number; io: Captured }> {
    process.env.TANDEM_TIMEZONE = zone;
    const io = captureIo();
    const code = await runCli(["kpi", ...args], io);
    return { code, io };
  }

  beforeAll(async () => {
    for (const key of ENV_KEYS) saved[key] = process.env[key];
    test = await createTestDatabase(dialect);
    process.env.DATABASE_URL = test.url;
    process.env.LOG_LEVEL = "error";
    const workspace = await ensureDefaultWorkspace(test.db.prisma, "UTC");
    const at = (iso: string) => BigInt(Date.parse(iso));
    await test.db.prisma.fact.createMany({
      data: [
        { occurredMs: at("2026-08-20T12:00:00Z"), kind: "lead", entityId: "e1", channel: "webinar" },
        { occurredMs: at("2026-08-25T12:00:00Z"), kind: "won", entityId: "e1", value: 4000 },
        { occurredMs: at("2026-09-02T12:00:00Z"), kind: "lead", entityId: "e2", channel: "paid_search" },
        { occurredMs: at("2026-09-10T12:00:00Z"), kind: "won", entityId: "e2", value: 7500 },
        { occurredMs: at("2026-09-15T12:00:00Z"), kind: "won", entityId: "e1", value: 2500, segment: "upsell" },
        { occurredMs: at("2026-09-05T12:00:00Z"), kind: "spend", value: 3000, department: "marketing" },
        // 30 September, 22:00 in New York: September there, October in UTC
        { occurredMs: at("2026-10-01T02:00:00Z"), kind: "won", entityId: "e3", value: 1000 },
      ].map((fact) => ({ workspaceId: workspace.id, ...fact })),
    });
  });

  afterAll(async () => {
    for (const key of ENV_KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    await test?.drop();
  });

  it("prints one metric as the contract's JSON", async () => {
    const { code, io } = await kpi(["new_revenue", "2026-09", "--json"]);
    expect(io.stderr).toBe("");
    expect(code).toBe(0);
    expect(JSON.parse(io.stdout)).toEqual({
      period: { grain: "month", start: "2026-09-01T00:00:00.000Z", end: "2026-10-01T00:00:00.000Z" },
      metrics: [
        {
          key: "new_revenue",
          name: expect.any(String),
          unit: "currency",
          value: 10_000,
          previous: 4000,
          change: 1.5,
          target: null,
          status: null,
          owners: ["marketing", "sales", "product"],
          breakdown: null,
        },
      ],
    });
  });

  it("computes periods in the workspace zone", async () => {
    const { code, io } = await kpi(["new_revenue", "2026-09", "--json"], "America/New_York");
    expect(code).toBe(0);
    const json = JSON.parse(io.stdout);
    expect(json.period).toEqual({ grain: "month", start: "2026-09-01T04:00:00.000Z", end: "2026-10-01T04:00:00.000Z" });
    expect(json.metrics[0].value).toBe(11_000);
  });

  it("prints every metric, shared ones first, when no metric is named", async () => {
    const { code, io } = await kpi(["2026-09", "--json"]);
    expect(code).toBe(0);
    const json = JSON.parse(io.stdout) as { metrics: { key: string; owners: string[]; breakdown: unknown }[] };
    const keys = json.metrics.map((metric) => metric.key);
    expect(keys).toContain("cac");
    expect(keys).toContain("leads");
    const firstSingleOwner = json.metrics.findIndex((metric) => metric.owners.length < 2);
    expect(json.metrics.slice(firstSingleOwner).every((metric) => metric.owners.length < 2)).toBe(true);
    // first touch: e2's lead came from paid_search; e1's upsell is attributed to its webinar lead
    expect(json.metrics.find((metric) => metric.key === "revenue_by_channel")?.breakdown).toEqual({
      paid_search: 7500,
      webinar: 2500,
    });
  });

  it("prints only the shared metrics with --shared, as /kpi shows them", async () => {
    const { code, io } = await kpi(["2026-09", "--json", "--shared"]);
    expect(code).toBe(0);
    const json = JSON.parse(io.stdout) as { metrics: { key: string; owners: string[] }[] };
    expect(json.metrics.map((metric) => metric.key)).not.toContain("leads");
    for (const metric of json.metrics) expect(metric.owners.length).toBeGreaterThanOrEqual(2);
  });

  it("answers a multi-word alias and a department as a text table", async () => {
    const { code, io } = await kpi(["customer", "acquisition", "cost", "2026-09"]);
    expect(code).toBe(0);
    expect(io.stdout).toContain("KPI snapshot: September 2026");
    expect(io.stdout).toMatch(/Customer acquisition cost\s+\$3,000/);

    const department = await kpi(["2026-09", "--department", "marketing"]);
    expect(department.code).toBe(0);
    expect(department.io.stdout).toMatch(/Leads\s+1\b/);
  });

  it("exits 1 with suggestions for an unknown metric", async () => {
    const { code, io } = await kpi(["cca", "2026-09", "--json"]);
    expect(code).toBe(1);
    expect(io.stdout).toBe("");
    expect(io.stderr).toMatch(/I don't know the metric “cca”\. Did you mean: .*cac/);
  });

  it("exits 1 naming the problem for an impossible period", async () => {
    const { code, io } = await kpi(["cac", "2026-13"]);
    expect(code).toBe(1);
    expect(io.stderr).toMatch(/not a real month/);
  });

  it("reads the same words as chat: periods as people type them, the funnel, a department", async () => {
    const sep = await kpi(["new", "revenue", "sep", "2026", "--json"]);
    expect(sep.io.stderr).toBe("");
    expect(JSON.parse(sep.io.stdout).metrics[0]).toMatchObject({ key: "new_revenue", value: 10_000 });
    expect(JSON.parse(sep.io.stdout).period.start).toBe("2026-09-01T00:00:00.000Z");
    const lastMonth = await kpi(["cac", "last", "month", "--json"]);
    expect(lastMonth.code).toBe(0);
    const now = new Date();
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString();
    expect(JSON.parse(lastMonth.io.stdout)).toMatchObject({
      period: { grain: "month", start: monthStart },
      metrics: [{ key: "cac" }],
    });
    const quarter = await kpi(["2026 Q3", "new_revenue", "--json"]);
    expect(JSON.parse(quarter.io.stdout).period).toMatchObject({ grain: "quarter", start: "2026-07-01T00:00:00.000Z" });

    const funnel = await kpi(["funnel", "2026-09"]);
    expect(funnel.code).toBe(0);
    expect(funnel.io.stdout).toContain("Funnel · September 2026");
    expect(funnel.io.stdout).not.toContain("Did you mean");
    const funnelJson = JSON.parse((await kpi(["funnel", "2026-09", "--json"])).io.stdout);
    expect(funnelJson.metrics.map((m: { key: string }) => m.key)).toEqual([
      "leads",
      "mqls",
      "sqls",
      "opportunities",
      "deals_won",
      "lead_to_mql_rate",
      "mql_to_sql_rate",
      "sql_to_opportunity_rate",
      "opportunity_to_win_rate",
    ]);

    const marketing = await kpi(["marketing", "september", "2026"]);
    expect(marketing.code).toBe(0);
    expect(marketing.io.stdout).toMatch(/Leads\s+1\b/);
    expect(marketing.io.stdout).not.toContain("Deals won");
  });

  it("exits 1 with a period error, not an unknown metric, for a wrong period", async () => {
    const { code, io } = await kpi(["cac", "Q5"]);
    expect(code).toBe(1);
    expect(io.stderr).toMatch(/^tandem: Q5 is not a quarter \(quarters are Q1 to Q4\): try Q\d or \d{4}-Q\d\.\n$/);
  });

  it("answers a command over 1,000 characters with the length error before opening the database", async () => {
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = "file:/nonexistent/dir/never-opened.db";
    try {
      for (const args of [["x".repeat(1_000_000)], Array.from({ length: 20_000 }, () => "cac")]) {
        const { code, io } = await kpi(args);
        expect(code).toBe(1);
        expect(io.stderr).toContain("Tandem reads commands of up to 1,000 characters");
        expect(io.stderr.length).toBeLessThan(300);
      }
    } finally {
      process.env.DATABASE_URL = saved;
    }
  });

  it("refuses chat-only commands with a pointer to chat", async () => {
    const { code, io } = await kpi(["join", "sales"]);
    expect(code).toBe(1);
    expect(io.stderr).toContain("`kpi join` is a chat command");
  });

  it("exits 2 with the usage for an unknown option", async () => {
    const { code, io } = await kpi(["--frobnicate"]);
    expect(code).toBe(2);
    expect(io.stderr).toContain("Usage: tandem kpi");
  });
});
