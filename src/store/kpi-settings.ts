// A workspace's KPI settings (metrics as code) in the database: departments,
// metric_definitions (built-in overrides have no formula; custom metrics have one),
// targets (department "" = the whole company), workspaces.gross_margin and
// workspaces.settings (admins, currency, pulseMinGroupSize). Applying a config replaces
// them all in one transaction; chat commands and the demo data set change targets one at
// a time through setTarget.

import { configAlertRules } from "../config/alerts-config.ts";
import { configToSettings, DIRECTIONS, type MetricsConfig, settingsToConfig, UNITS } from "../config/metrics-config.ts";
import { checkReferences } from "../config/metrics-config-checks.ts";
import { formatMetricsConfig } from "../config/metrics-config-format.ts";
import { toSourceDefinition } from "../config/sources-config.ts";
import type { ValueNotation } from "../core/admin/ports.ts";
import { AppError, ErrorCode } from "../core/errors.ts";
import { buildCatalog } from "../core/kpi/catalog.ts";
import {
  DEFAULT_CURRENCY,
  DEFAULT_KPI_SETTINGS,
  type Direction,
  GRAINS,
  type Grain,
  type KpiSettings,
  type MetricDef,
  type TargetSpec,
  type Unit,
} from "../core/kpi/types.ts";
import type { KpiSettingsSource } from "../core/ports.ts";
import { replaceConfigAlertRules } from "./alert-rules.ts";
import { recordAudit } from "./audit-log.ts";
import type { Database, Db } from "./database.ts";
import { keptUntilWritten } from "./generations.ts";
import { minGroupSizeFrom } from "./pulses.ts";
import { applySources, loadSourceDefinitions } from "./sources.ts";

export type ApplyReport = {
  documentId: number;
  departments: number;
  targets: number;
  customMetrics: number;
  overrides: number;
  grossMargin: number;
  admins: number;
  /** departments no longer declared, deleted */
  removedDepartments: string[];
  /** departments no longer declared but kept because members still belong to them */
  keptDepartments: { key: string; members: number }[];
  /** sources declared, and those no longer declared (their state removed, their facts kept) */
  sources: number;
  removedSources: string[];
};

export async function loadKpiSettings(prisma: Db, workspaceId: number): Promise<KpiSettings> {
  const workspace = await prisma.workspace.findUnique({
    where: { id: workspaceId },
    select: { grossMargin: true, settings: true },
  });
  if (!workspace) throw new AppError(ErrorCode.NotFound, `no workspace ${workspaceId}`);
  const currency = parseSettings(workspace.settings).currency;
  const pulseMinGroupSize = minGroupSizeFrom(workspace.settings);
  const [departments, definitions, targets] = await Promise.all([
    prisma.department.findMany({ where: { workspaceId }, orderBy: { id: "asc" } }),
    prisma.metricDefinition.findMany({ where: { workspaceId }, orderBy: { id: "asc" } }),
    prisma.target.findMany({ where: { workspaceId }, orderBy: { id: "asc" } }),
  ]);
  const overrides: KpiSettings["overrides"] = {};
  const customMetrics: MetricDef[] = [];
  for (const row of definitions) {
    const owners = parseOwners(row.owners, row.key);
    if (row.formula === null) {
      overrides[row.key] = {
        ...(row.name !== null ? { name: row.name } : {}),
        ...(row.description !== null ? { description: row.description } : {}),
        ...(owners !== undefined ? { owners } : {}),
      };
    } else {
      customMetrics.push({
        key: row.key,
        name: row.name ?? row.key,
        description: row.description ?? "",
        unit: parseChoice<Unit>(UNITS, row.unit, `metric_definitions ${row.key}: unit`),
        better: parseChoice<Direction>(DIRECTIONS, row.better, `metric_definitions ${row.key}: better`),
        owners: owners ?? [],
        aliases: [],
        formula: row.formula,
      });
    }
  }
  return {
    grossMargin: workspace.grossMargin,
    // written only by a validated config; anything else there is not a currency Tandem set
    currency: typeof currency === "string" && /^[A-Z]{3}$/.test(currency) ? currency : DEFAULT_CURRENCY,
    pulseMinGroupSize,
    departments:
      departments.length > 0
        ? departments.map((row) => ({ key: row.key, name: row.name }))
        : DEFAULT_KPI_SETTINGS.departments.map((d) => ({ ...d })),
    targets: targets.map((row) => ({
      metric: row.metricKey,
      grain: parseChoice<Grain>(GRAINS, row.grain, `targets ${row.metricKey}: grain`),
      department: row.department === "" ? null : row.department,
      value: row.value,
    })),
    overrides,
    customMetrics,
  };
}

export function createKpiSettingsSource(prisma: Db): KpiSettingsSource {
  return { load: (workspaceId) => loadKpiSettings(prisma, workspaceId) };
}

/** The settings, read again only after a write to them (by any process: generations.ts). */
export function keptKpiSettingsSource(db: Database): KpiSettingsSource {
  return { load: keptUntilWritten(db, "settings", (workspaceId) => loadKpiSettings(db.prisma, workspaceId)) };
}

/** Chat user ids the config names as admins (besides members with role admin). */
export async function loadConfigAdmins(prisma: Db, workspaceId: number): Promise<string[]> {
  const workspace = await prisma.workspace.findUnique({ where: { id: workspaceId }, select: { settings: true } });
  if (!workspace) throw new AppError(ErrorCode.NotFound, `no workspace ${workspaceId}`);
  const admins = parseSettings(workspace.settings).admins;
  return Array.isArray(admins) ? admins.filter((admin): admin is string => typeof admin === "string") : [];
}

/**
 * Makes a validated config the one in force. All or nothing: if any step fails,
 * the previous settings stay as they were.
 */
export async function applyMetricsConfig(
  prisma: Db,
  workspaceId: number,
  config: MetricsConfig,
  source: string,
  actor: string,
): Promise<ApplyReport> {
  const settings = configToSettings(config);
  const admins = [...new Set(config.admins)];
  return prisma.$transaction(
    async (tx) => {
      const workspace = await tx.workspace.findUnique({ where: { id: workspaceId }, select: { settings: true } });
      if (!workspace) throw new AppError(ErrorCode.NotFound, `no workspace ${workspaceId}`);
      await tx.workspace.update({
        where: { id: workspaceId },
        data: {
          grossMargin: settings.grossMargin,
          settings: JSON.stringify({
            ...parseSettings(workspace.settings),
            admins,
            currency: settings.currency,
            pulseMinGroupSize: settings.pulseMinGroupSize,
          }),
        },
      });

      // Upsert by key so members keep their department row (and its id) across applies.
      const existing = await tx.department.findMany({
        where: { workspaceId },
        select: { id: true, key: true, _count: { select: { members: true } } },
      });
      for (const department of settings.departments) {
        await tx.department.upsert({
          where: { workspaceId_key: { workspaceId, key: department.key } },
          create: { workspaceId, key: department.key, name: department.name },
          update: { name: department.name },
        });
      }
      const declared = new Set(settings.departments.map((d) => d.key));
      const removedDepartments: string[] = [];
      const keptDepartments: { key: string; members: number }[] = [];
      for (const row of existing) {
        if (declared.has(row.key)) continue;
        if (row._count.members > 0) {
          keptDepartments.push({ key: row.key, members: row._count.members });
        } else {
          await tx.department.delete({ where: { id: row.id } });
          removedDepartments.push(row.key);
        }
      }

      await tx.metricDefinition.deleteMany({ where: { workspaceId } });
      const definitions = [
        ...Object.entries(settings.overrides).map(([key, override]) => ({
          workspaceId,
          key,
          name: override.name ?? null,
          description: override.description ?? null,
          formula: null,
          unit: null,
          better: null,
          owners: override.owners ? JSON.stringify(override.owners) : null,
        })),
        ...settings.customMetrics.map((metric) => ({
          workspaceId,
          key: metric.key,
          name: metric.name,
          description: metric.description,
          formula: metric.formula ?? null,
          unit: metric.unit,
          better: metric.better,
          owners: JSON.stringify(metric.owners),
        })),
      ];
      if (definitions.length > 0) await tx.metricDefinition.createMany({ data: definitions });

      await tx.target.deleteMany({ where: { workspaceId } });
      if (settings.targets.length > 0) {
        await tx.target.createMany({
          data: settings.targets.map((target) => ({
            workspaceId,
            metricKey: target.metric,
            grain: target.grain,
            department: target.department ?? "",
            value: target.value,
          })),
        });
      }

      const applied = await applySources(tx, workspaceId, config.sources.map(toSourceDefinition));
      await replaceConfigAlertRules(tx, workspaceId, configAlertRules(config.alerts, buildCatalog(settings)), actor);

      const document = await tx.configDocument.create({ data: { workspaceId, source, appliedBy: actor } });
      const report: ApplyReport = {
        documentId: document.id,
        departments: settings.departments.length,
        targets: settings.targets.length,
        customMetrics: settings.customMetrics.length,
        overrides: Object.keys(settings.overrides).length,
        grossMargin: settings.grossMargin,
        admins: admins.length,
        removedDepartments,
        keptDepartments,
        ...applied,
      };
      await recordAudit(tx, { workspaceId, actor, action: "config.apply", detail: report });
      return report;
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
}

/** The YAML in force, from the stored records (so targets set in chat are included). */
export async function exportMetricsConfig(prisma: Db, workspaceId: number): Promise<string> {
  const [settings, admins, sources, last, alerts] = await Promise.all([
    loadKpiSettings(prisma, workspaceId),
    loadConfigAdmins(prisma, workspaceId),
    loadSourceDefinitions(prisma, workspaceId),
    prisma.configDocument.findFirst({ where: { workspaceId }, orderBy: { id: "desc" } }),
    prisma.alertRule.findMany({ where: { workspaceId, source: "config" }, orderBy: { id: "asc" } }),
  ]);
  const header = [
    "Tandem metrics configuration (tandem.config.yaml): the settings in force.",
    last
      ? `Last applied by ${last.appliedBy} at ${last.createdAt.toISOString()}; targets changed in chat since then are included.`
      : "No config file has been applied yet: these are the defaults.",
    "Edit and apply with: tandem config apply FILE (documented example: src/config/tandem.config.example.yaml)",
  ];
  const configAlerts = alerts.map((row) => ({
    platform: row.platform === "teams" ? ("teams" as const) : ("slack" as const),
    channel: row.channelId,
    rule: row.rule,
  }));
  return formatMetricsConfig(settingsToConfig(settings, admins, sources, configAlerts), header);
}

export type TargetKey = { metric: string; grain: Grain; department: string | null };

/** Sets one target (chat's `/kpi target`), checked like a target in the config file. */
/**
 * Sets one target, audited: the only way targets are written one at a time (chat's
 * `/kpi target`, the demo data set). The checks are a config file's, plus, given `written`,
 * that a percentage was written as one. `keepExisting` leaves a target already set alone.
 */
export async function setTarget(
  prisma: Db,
  workspaceId: number,
  spec: TargetSpec & { written?: ValueNotation },
  actor: string,
  options: { keepExisting?: boolean; origin?: "demo" } = {},
): Promise<{ previous: number | null }> {
  if (!(GRAINS as readonly string[]).includes(spec.grain)) {
    throw new AppError(ErrorCode.InvalidInput, `unknown grain "${spec.grain}" (one of ${GRAINS.join(", ")})`);
  }
  if (!Number.isFinite(spec.value)) throw new AppError(ErrorCode.InvalidInput, "a target is a finite number");
  const settings = await loadKpiSettings(prisma, workspaceId);
  const { written, ...target } = spec;
  const notation = written ? notationProblem(settings, target, written) : null;
  if (notation) throw new AppError(ErrorCode.InvalidInput, notation);
  const problems = targetProblems(settings, target);
  if (problems.length > 0) throw new AppError(ErrorCode.InvalidInput, problems.join("; "));
  const department = target.department ?? "";
  const origin = options.origin ?? "user";
  return prisma.$transaction(async (tx) => {
    const where = {
      workspaceId_metricKey_grain_department: {
        workspaceId,
        metricKey: target.metric,
        grain: target.grain,
        department,
      },
    };
    const before = await tx.target.findUnique({ where });
    if (before && options.keepExisting) return { previous: before.value };
    await tx.target.upsert({
      where,
      create: { workspaceId, metricKey: target.metric, grain: target.grain, department, value: target.value, origin },
      // a target someone sets over the demo's is theirs from then on
      update: { value: target.value, origin },
    });
    await recordAudit(tx, {
      workspaceId,
      actor,
      action: "target.set",
      detail: { ...target, department: target.department, previous: before?.value ?? null },
    });
    return { previous: before?.value ?? null };
  });
}

/** Removes one target; returns whether there was one. */
export async function clearTarget(prisma: Db, workspaceId: number, key: TargetKey, actor: string): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const removed = await tx.target.deleteMany({
      where: { workspaceId, metricKey: key.metric, grain: key.grain, department: key.department ?? "" },
    });
    if (removed.count > 0) await recordAudit(tx, { workspaceId, actor, action: "target.clear", detail: { ...key } });
    return removed.count > 0;
  });
}

/** In chat a percentage is written `35%` or `0.35`: a bare `35` is ambiguous, a `%` on a count is a mistake. */
function notationProblem(settings: KpiSettings, spec: TargetSpec, written: ValueNotation): string | null {
  const def = buildCatalog(settings).get(spec.metric);
  if (!def) return null; // an unknown metric is targetProblems' to name
  if (written === "percent" && def.unit !== "percent") {
    return `${def.name} is not a percentage; give the target as a plain number.`;
  }
  if (def.unit === "percent" && written === "number" && Math.abs(spec.value) > 1) {
    return `${def.name} is a percentage: write the target as ${spec.value}% or ${spec.value / 100}.`;
  }
  return null;
}

// The same checks (and messages) as a target in tandem.config.yaml.
function targetProblems(settings: KpiSettings, spec: TargetSpec): string[] {
  const config = settingsToConfig(settings, []);
  const problems: string[] = [];
  checkReferences({ ...config, targets: [{ ...spec }] }, (path, message) => {
    if (path[0] === "targets") problems.push(message);
  });
  return problems;
}

function parseSettings(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AppError(ErrorCode.Internal, `workspaces.settings is not JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new AppError(ErrorCode.Internal, "workspaces.settings is not a JSON object");
  }
  return value as Record<string, unknown>;
}

function parseOwners(text: string | null, key: string): string[] | undefined {
  if (text === null) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (!Array.isArray(value) || !value.every((owner) => typeof owner === "string")) {
    throw new AppError(ErrorCode.Internal, `metric_definitions ${key}: owners is not a JSON array of department keys`);
  }
  return value;
}

function parseChoice<T extends string>(choices: readonly string[], value: string | null, what: string): T {
  if (value === null || !choices.includes(value)) {
    throw new AppError(
      ErrorCode.Internal,
      `${what} is ${JSON.stringify(value)}, expected one of ${choices.join(", ")}`,
    );
  }
  return value as T;
}
