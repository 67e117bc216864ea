import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configToSettings, type MetricsConfig, validateMetricsConfig } from "../../../src/config/metrics-config.ts";
import { AppError } from "../../../src/core/errors.ts";
import { DEFAULT_KPI_SETTINGS } from "../../../src/core/kpi/types.ts";
import type { Db } from "../../../src/store/database.ts";
import {
  applyMetricsConfig,
  clearTarget,
  createKpiSettingsSource,
  exportMetricsConfig,
  loadConfigAdmins,
  loadKpiSettings,
  setTarget,
} from "../../../src/store/kpi-settings.ts";
import { minGroupSizeFrom } from "../../../src/store/pulses.ts";
import { ensureWorkspace } from "../../../src/store/workspaces.ts";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../../helpers/databases.ts";

const EXAMPLE = readFileSync(new URL("../../../src/config/tandem.config.example.yaml", import.meta.url), "utf8");

function parse(text: string): MetricsConfig {
  const result = validateMetricsConfig(text);
  if (!result.ok) throw new Error(result.errors.join("\n"));
  return result.config;
}

const SMALL = `version: 1
gross_margin: 0.7
departments:
  marketing: Marketing
  sales: Sales
targets:
  - { metric: cac, grain: month, value: 1500 }
`;

describe.each(DIALECTS)("KPI settings on %s", (dialect) => {
  let test: TestDatabase;
  let prisma: Db;
  let nextExternalId = 0;

  beforeAll(async () => {
    test = await createTestDatabase(dialect);
    prisma = test.db.prisma;
  });
  afterAll(async () => {
    await test?.drop();
  });

  /** A fresh workspace with the default departments, as start-up creates it. */
  async function workspace(): Promise<number> {
    nextExternalId += 1;
    const row = await ensureWorkspace(prisma, {
      platform: "local",
      externalId: `w${nextExternalId}`,
      name: "Test",
      timezone: "UTC",
    });
    return row.id;
  }

  it("reads the defaults when nothing has been configured", async () => {
    const id = await workspace();
    expect(await loadKpiSettings(prisma, id)).toEqual(DEFAULT_KPI_SETTINGS);
    expect(await loadConfigAdmins(prisma, id)).toEqual([]);

    const bare = await prisma.workspace.create({ data: { platform: "local", externalId: "bare", timezone: "UTC" } });
    expect(await createKpiSettingsSource(prisma).load(bare.id)).toEqual(DEFAULT_KPI_SETTINGS);
  });

  it("fails clearly for a workspace that does not exist", async () => {
    await expect(loadKpiSettings(prisma, 999_999)).rejects.toThrow(/no workspace 999999/);
  });

  it("applies a config, loads it back, and exports YAML that declares the same settings", async () => {
    const id = await workspace();
    const config = parse(EXAMPLE);
    const report = await applyMetricsConfig(prisma, id, config, EXAMPLE, "cli:alice");
    expect(report).toMatchObject({
      departments: 4,
      targets: config.targets.length,
      customMetrics: 3,
      overrides: 5,
      grossMargin: 0.8,
      admins: 2,
      removedDepartments: [],
      keptDepartments: [],
    });

    const loaded = await loadKpiSettings(prisma, id);
    expect(loaded).toEqual(configToSettings(config));
    expect(await loadConfigAdmins(prisma, id)).toEqual(["U024BE7LH", "U03B2MQ9K1X"]);

    const documents = await prisma.configDocument.findMany({ where: { workspaceId: id } });
    expect(documents).toHaveLength(1);
    expect(documents[0]).toMatchObject({ id: report.documentId, source: EXAMPLE, appliedBy: "cli:alice" });
    const audit = await prisma.auditLog.findMany({ where: { workspaceId: id } });
    expect(audit.map((row) => [row.actor, row.action])).toEqual([["cli:alice", "config.apply"]]);
    expect(JSON.parse(audit[0]?.detail ?? "{}")).toMatchObject({ documentId: report.documentId, targets: 21 });

    const exported = await exportMetricsConfig(prisma, id);
    expect(exported).toMatch(/^# Tandem metrics configuration/);
    expect(exported).toContain("# Last applied by cli:alice at ");
    const reparsed = parse(exported);
    expect(reparsed).toEqual(config);

    // applying the export changes nothing
    await applyMetricsConfig(prisma, id, reparsed, exported, "cli:alice");
    expect(await loadKpiSettings(prisma, id)).toEqual(loaded);
  });

  it("keeps the workspace's other settings when it stores admins, currency and the pulse minimum", async () => {
    const id = await workspace();
    await prisma.workspace.update({
      where: { id },
      data: { settings: JSON.stringify({ pulseMinGroupSize: 5, unrelated: true }) },
    });
    await applyMetricsConfig(prisma, id, parse("version: 1\nadmins: [U1, U1, U2]\ncurrency: gbp\n"), "", "test");
    const row = await prisma.workspace.findUniqueOrThrow({ where: { id } });
    // the file says nothing of the pulse minimum: applying it means the default
    expect(JSON.parse(row.settings)).toEqual({
      unrelated: true,
      pulseMinGroupSize: 3,
      admins: ["U1", "U2"],
      currency: "GBP",
    });
    expect((await loadKpiSettings(prisma, id)).currency).toBe("GBP");
    await applyMetricsConfig(prisma, id, parse("version: 1\npulse_min_group_size: 6\n"), "", "test");
    const exported = await exportMetricsConfig(prisma, id);
    expect(exported).toContain("\ncurrency: USD\n");
    expect(exported).toContain("\npulse_min_group_size: 6\n");
    expect(minGroupSizeFrom((await prisma.workspace.findUniqueOrThrow({ where: { id } })).settings)).toBe(6);
  });

  it("replaces departments by key, keeping the rows members belong to", async () => {
    const id = await workspace();
    await applyMetricsConfig(prisma, id, parse(EXAMPLE), EXAMPLE, "test");
    const before = await prisma.department.findMany({ where: { workspaceId: id } });
    const sales = before.find((d) => d.key === "sales");
    const success = before.find((d) => d.key === "customer_success");
    await prisma.member.create({
      data: { workspaceId: id, platform: "slack", userId: "U1", departmentId: sales?.id ?? 0 },
    });
    await prisma.member.create({
      data: { workspaceId: id, platform: "slack", userId: "U2", departmentId: success?.id ?? 0 },
    });

    const report = await applyMetricsConfig(prisma, id, parse(SMALL), SMALL, "test");
    expect(report.removedDepartments).toEqual(["product"]);
    expect(report.keptDepartments).toEqual([{ key: "customer_success", members: 1 }]);

    const after = await prisma.department.findMany({ where: { workspaceId: id }, orderBy: { id: "asc" } });
    expect(after.map((d) => d.key)).toEqual(["marketing", "sales", "customer_success"]);
    expect(after.find((d) => d.key === "sales")?.id).toBe(sales?.id);
    const member = await prisma.member.findFirstOrThrow({ where: { workspaceId: id, userId: "U1" } });
    expect(member.departmentId).toBe(sales?.id);

    const loaded = await loadKpiSettings(prisma, id);
    expect(loaded.grossMargin).toBe(0.7);
    expect(loaded.targets).toEqual([{ metric: "cac", grain: "month", department: null, value: 1500 }]);
    expect(loaded.customMetrics).toEqual([]);
    expect(loaded.overrides).toEqual({});
  });

  it("leaves the previous config in force when applying fails part-way", async () => {
    const id = await workspace();
    await applyMetricsConfig(prisma, id, parse(EXAMPLE), EXAMPLE, "test");
    const before = await loadKpiSettings(prisma, id);
    const documentsBefore = await prisma.configDocument.count({ where: { workspaceId: id } });
    const auditBefore = await prisma.auditLog.count({ where: { workspaceId: id } });

    // Validation would refuse two identical targets; bypassing it makes the database
    // refuse them only after departments and metric definitions were already replaced.
    const broken = parse(SMALL);
    broken.targets.push({ ...(broken.targets[0] as MetricsConfig["targets"][number]) });
    await expect(applyMetricsConfig(prisma, id, broken, SMALL, "test")).rejects.toThrow();

    expect(await loadKpiSettings(prisma, id)).toEqual(before);
    expect(await loadConfigAdmins(prisma, id)).toEqual(["U024BE7LH", "U03B2MQ9K1X"]);
    expect(await prisma.configDocument.count({ where: { workspaceId: id } })).toBe(documentsBefore);
    expect(await prisma.auditLog.count({ where: { workspaceId: id } })).toBe(auditBefore);
  });

  describe("setTarget", () => {
    it("adds and then updates a target, auditing each change, and export shows it", async () => {
      const id = await workspace();
      await applyMetricsConfig(prisma, id, parse(SMALL), SMALL, "test");

      const spec = { metric: "mql_to_sql_rate", grain: "quarter" as const, department: "sales", value: 0.35 };
      expect(await setTarget(prisma, id, spec, "slack:U1")).toEqual({ previous: null });
      expect(await setTarget(prisma, id, { ...spec, value: 0.4 }, "slack:U2")).toEqual({ previous: 0.35 });
      expect(
        await setTarget(prisma, id, { metric: "cac", grain: "month", department: null, value: 1200 }, "slack:U1"),
      ).toEqual({ previous: 1500 });

      const loaded = await loadKpiSettings(prisma, id);
      expect(loaded.targets).toEqual([
        { metric: "cac", grain: "month", department: null, value: 1200 },
        { metric: "mql_to_sql_rate", grain: "quarter", department: "sales", value: 0.4 },
      ]);
      const audit = await prisma.auditLog.findMany({
        where: { workspaceId: id, action: "target.set" },
        orderBy: { id: "asc" },
      });
      expect(audit.map((row) => [row.actor, JSON.parse(row.detail)])).toEqual([
        ["slack:U1", { metric: "mql_to_sql_rate", grain: "quarter", department: "sales", value: 0.35, previous: null }],
        ["slack:U2", { metric: "mql_to_sql_rate", grain: "quarter", department: "sales", value: 0.4, previous: 0.35 }],
        ["slack:U1", { metric: "cac", grain: "month", department: null, value: 1200, previous: 1500 }],
      ]);

      const exported = await exportMetricsConfig(prisma, id);
      expect(exported).toContain("  - { metric: mql_to_sql_rate, grain: quarter, value: 0.4, department: sales }");
      expect(parse(exported).targets).toHaveLength(2);
    });

    it("refuses targets the config file would refuse, with the same messages", async () => {
      const id = await workspace();
      const set = (metric: string, value: number, department: string | null = null) =>
        setTarget(prisma, id, { metric, grain: "month", department, value }, "slack:U1");
      await expect(set("cacc", 1)).rejects.toThrow('unknown metric "cacc" (did you mean cac?)');
      await expect(set("win_rate", 35)).rejects.toThrow(
        "win_rate is a percent: write it as a fraction from 0 to 1 (35% is 0.35), got 35",
      );
      await expect(set("cac", 1, "ops")).rejects.toThrow(
        'unknown department "ops" (declared: marketing, sales, product)',
      );
      await expect(set("cac", Number.NaN)).rejects.toBeInstanceOf(AppError);
      await expect(
        setTarget(prisma, id, { metric: "cac", grain: "fortnight" as "week", department: null, value: 1 }, "x"),
      ).rejects.toThrow('unknown grain "fortnight"');
      expect((await loadKpiSettings(prisma, id)).targets).toEqual([]);
      expect(await prisma.auditLog.count({ where: { workspaceId: id } })).toBe(0);
    });

    it("accepts a target for a custom metric", async () => {
      const id = await workspace();
      await applyMetricsConfig(prisma, id, parse(EXAMPLE), EXAMPLE, "test");
      await setTarget(prisma, id, { metric: "pipeline_coverage", grain: "month", department: null, value: 5 }, "x");
      expect((await loadKpiSettings(prisma, id)).targets).toContainEqual({
        metric: "pipeline_coverage",
        grain: "month",
        department: null,
        value: 5,
      });
    });

    it("clears a target", async () => {
      const id = await workspace();
      await applyMetricsConfig(prisma, id, parse(SMALL), SMALL, "test");
      expect(await clearTarget(prisma, id, { metric: "cac", grain: "month", department: null }, "slack:U1")).toBe(true);
      expect(await clearTarget(prisma, id, { metric: "cac", grain: "month", department: null }, "slack:U1")).toBe(
        false,
      );
      expect((await loadKpiSettings(prisma, id)).targets).toEqual([]);
      expect(await prisma.auditLog.count({ where: { workspaceId: id, action: "target.clear" } })).toBe(1);
    });
  });
});
