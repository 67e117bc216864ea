import { describe, expect, it } from "vitest";
import { AppError, ErrorCode } from "../../../../src/core/errors.ts";
import type { Fact } from "../../../../src/core/facts/fact.ts";
import { buildCatalog } from "../../../../src/core/kpi/catalog.ts";
import { getKpiSnapshot, type KpiSnapshotDeps } from "../../../../src/core/kpi/get-kpi-snapshot.ts";
import { computeMeasures, computeRecurring } from "../../../../src/core/kpi/reference-measures.ts";
import { DEFAULT_KPI_SETTINGS, type KpiSettings } from "../../../../src/core/kpi/types.ts";
import type { FactStats } from "../../../../src/core/ports.ts";

const WORKSPACE = 7;
const NOW = new Date("2026-10-15T09:00:00Z");

function fact(at: string, kind: Fact["kind"], fields: Partial<Fact> = {}): Fact {
  return {
    occurredMs: Date.parse(at),
    kind,
    entityId: null,
    value: null,
    channel: null,
    department: null,
    segment: null,
    externalId: null,
    ...fields,
  };
}

/** FactStats over an in-memory list of facts, through the reference measures. */
function fakeStats(facts: Fact[]): FactStats {
  return {
    measures: async (_workspaceId, window) => computeMeasures(facts, window),
    recurring: async (_workspaceId, startMs, endMs) => computeRecurring(facts, startMs, endMs),
  };
}

const FACTS: Fact[] = [
  fact("2026-08-10T10:00:00Z", "won", { entityId: "a", value: 1000 }),
  fact("2026-09-02T10:00:00Z", "lead", { entityId: "b", channel: "webinar" }),
  fact("2026-09-03T10:00:00Z", "won", { entityId: "b", value: 5000 }),
  fact("2026-09-20T10:00:00Z", "won", { entityId: "c", value: 2500, segment: "upsell" }),
  fact("2026-09-05T10:00:00Z", "spend", { value: 3000, department: "marketing", channel: "webinar" }),
  fact("2026-10-02T10:00:00Z", "won", { entityId: "d", value: 9999 }),
];

function deps(settings: KpiSettings = DEFAULT_KPI_SETTINGS, facts: Fact[] = FACTS): KpiSnapshotDeps {
  return {
    stats: fakeStats(facts),
    settingsSource: {
      async load(workspaceId) {
        expect(workspaceId).toBe(WORKSPACE);
        return settings;
      },
    },
    clock: { now: () => NOW },
  };
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("getKpiSnapshot", () => {
  it("answers one metric for the period asked", async () => {
    const { snapshot } = await getKpiSnapshot(deps(), {
      workspaceId: WORKSPACE,
      zone: "UTC",
      metric: "new_revenue",
      period: "2026-09",
    });
    expect(snapshot.period.key).toBe("2026-09");
    expect(snapshot.metrics.map((m) => [m.key, m.value, m.previous])).toEqual([["new_revenue", 7500, 1000]]);
    expect(snapshot.metrics[0]?.change).toBeCloseTo(6.5);
  });

  it("resolves aliases, multi-word and in any case", async () => {
    for (const metric of ["cac", "Customer Acquisition Cost", "获客成本"]) {
      const { snapshot } = await getKpiSnapshot(deps(), {
        workspaceId: WORKSPACE,
        zone: "UTC",
        metric,
        period: "2026-09",
      });
      expect(snapshot.metrics.map((m) => m.key)).toEqual(["cac"]);
      // 3,000 marketing spend over one new customer (the upsell is not a new customer)
      expect(snapshot.metrics[0]?.value).toBe(3000);
    }
  });

  it("defaults to the last complete month", async () => {
    const { snapshot } = await getKpiSnapshot(deps(), { workspaceId: WORKSPACE, zone: "UTC", metric: "new_revenue" });
    expect(snapshot.period.key).toBe("2026-09");
    expect(snapshot.metrics[0]?.value).toBe(7500);
  });

  it("treats a blank period as no period", async () => {
    const { snapshot } = await getKpiSnapshot(deps(), { workspaceId: WORKSPACE, zone: "UTC", period: "  " });
    expect(snapshot.period.key).toBe("2026-09");
  });

  it("reads the period in the workspace zone", async () => {
    const { snapshot } = await getKpiSnapshot(deps(), {
      workspaceId: WORKSPACE,
      zone: "America/New_York",
      metric: "new_revenue",
      period: "2026-09",
    });
    expect(new Date(snapshot.period.startMs).toISOString()).toBe("2026-09-01T04:00:00.000Z");
  });

  it("shows all shared metrics without a metric or department", async () => {
    const catalog = buildCatalog(DEFAULT_KPI_SETTINGS);
    const { snapshot } = await getKpiSnapshot(deps(), { workspaceId: WORKSPACE, zone: "UTC", period: "2026-09" });
    const keys = snapshot.metrics.map((m) => m.key);
    expect(keys).toEqual(catalog.shared().map((m) => m.key));
    expect(keys).toContain("cac");
    expect(keys).not.toContain("leads"); // marketing's alone
    for (const metric of snapshot.metrics) expect(metric.owners.length).toBeGreaterThanOrEqual(2);
  });

  it("shows a department's own metrics when a department is named, by key or by name", async () => {
    const catalog = buildCatalog(DEFAULT_KPI_SETTINGS);
    for (const department of ["marketing", "Marketing"]) {
      const result = await getKpiSnapshot(deps(), { workspaceId: WORKSPACE, zone: "UTC", department });
      expect(result.department).toBe("marketing");
      expect(result.snapshot.metrics.map((m) => m.key)).toEqual(catalog.ownedBy("marketing").map((m) => m.key));
      expect(result.snapshot.metrics.map((m) => m.key)).toContain("leads");
    }
  });

  it("uses the department's target over the company's", async () => {
    const settings: KpiSettings = {
      ...DEFAULT_KPI_SETTINGS,
      targets: [
        { metric: "new_revenue", grain: "month", department: null, value: 10_000 },
        { metric: "new_revenue", grain: "month", department: "sales", value: 7000 },
      ],
    };
    const company = await getKpiSnapshot(deps(settings), {
      workspaceId: WORKSPACE,
      zone: "UTC",
      metric: "new_revenue",
    });
    expect(company.snapshot.metrics[0]).toMatchObject({ target: 10_000, status: "off_track" });
    const sales = await getKpiSnapshot(deps(settings), {
      workspaceId: WORKSPACE,
      zone: "UTC",
      metric: "new_revenue",
      department: "sales",
    });
    expect(sales.snapshot.metrics[0]).toMatchObject({ target: 7000, status: "on_track" });
  });

  it("suggests close names for an unknown metric", async () => {
    const error = await rejection(
      getKpiSnapshot(deps(), { workspaceId: WORKSPACE, zone: "UTC", metric: "cca", period: "2026-09" }),
    );
    expect(error.code).toBe(ErrorCode.NotFound);
    expect(error.message).toMatch(/^I don't know the metric “cca”\. Did you mean: .*cac/);
    expect((error.details as { suggestions: string[] }).suggestions).toContain("cac");
  });

  it("refuses an unknown period with the forms it accepts", async () => {
    const error = await rejection(
      getKpiSnapshot(deps(), { workspaceId: WORKSPACE, zone: "UTC", metric: "cac", period: "2026-13" }),
    );
    expect(error.code).toBe(ErrorCode.InvalidInput);
    expect(error.message).toMatch(/not a real month/);
  });

  it("refuses an unknown department, naming the known ones", async () => {
    const error = await rejection(
      getKpiSnapshot(deps(), { workspaceId: WORKSPACE, zone: "UTC", department: "finance" }),
    );
    expect(error.code).toBe(ErrorCode.NotFound);
    expect(error.message).toContain("marketing, sales, product");
  });

  it("takes the metric and the period as typed together", async () => {
    for (const words of ["new revenue 2026-Q3", "new revenue Q3", "Q3 2026 new revenue", "新收入 q3 2026"]) {
      const { snapshot } = await getKpiSnapshot(deps(), { workspaceId: WORKSPACE, zone: "UTC", words });
      expect(snapshot.period.key).toBe("2026-Q3");
      expect(snapshot.metrics.map((m) => [m.key, m.value])).toEqual([["new_revenue", 8500]]);
    }
    const lastMonth = await getKpiSnapshot(deps(), {
      workspaceId: WORKSPACE,
      zone: "UTC",
      words: "customer acquisition cost last month",
    });
    expect(lastMonth.snapshot.period.key).toBe("2026-09");
    expect(lastMonth.snapshot.metrics.map((m) => [m.key, m.value])).toEqual([["cac", 3000]]);
  });

  it("reports a wrong period as a period error, not as an unknown metric", async () => {
    const error = await rejection(getKpiSnapshot(deps(), { workspaceId: WORKSPACE, zone: "UTC", words: "cac Q5" }));
    expect(error.code).toBe(ErrorCode.InvalidInput);
    expect(error.message).toBe("Q5 is not a quarter (quarters are Q1 to Q4): try Q3 or 2026-Q3.");
  });
});
