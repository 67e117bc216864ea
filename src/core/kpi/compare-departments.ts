// `/kpi compare DEPT DEPT`: the metrics two departments own together, side by side.
// The values are the company's (a shared metric is one number both teams answer
// for); targets and status are the pair's, when either department has its own.
import { AppError, ErrorCode } from "../errors.ts";
import { buildCatalog, type Catalog } from "./catalog.ts";
import { computeSnapshot } from "./engine.ts";
import { DEFAULT_PERIOD, type KpiSnapshotDeps } from "./get-kpi-snapshot.ts";
import { parsePeriod } from "./periods.ts";
import type { KpiSettings, MetricResult, Period } from "./types.ts";

export type DepartmentComparison = {
  period: Period;
  a: string;
  b: string;
  shared: MetricResult[];
  catalog: Catalog;
};

function resolveDepartment(settings: KpiSettings, text: string): string {
  const wanted = text.trim().toLowerCase();
  const found = settings.departments.find((d) => d.key.toLowerCase() === wanted || d.name.toLowerCase() === wanted);
  if (found) return found.key;
  const keys = settings.departments.map((d) => d.key);
  throw new AppError(ErrorCode.NotFound, `I don't know the department “${text}”. Departments: ${keys.join(", ")}.`, {
    suggestions: keys,
  });
}

export async function compareDepartments(
  deps: KpiSnapshotDeps,
  request: { workspaceId: number; zone: string; a: string; b: string; period?: string | null },
): Promise<DepartmentComparison> {
  const period = parsePeriod(request.period?.trim() || DEFAULT_PERIOD, deps.clock.now(), request.zone);
  const settings = await deps.settingsSource.load(request.workspaceId);
  const a = resolveDepartment(settings, request.a);
  const b = resolveDepartment(settings, request.b);
  if (a === b) throw new AppError(ErrorCode.InvalidInput, `Name two different departments (both were ${a}).`);
  const catalog = buildCatalog(settings);
  const ownedByB = new Set(catalog.ownedBy(b).map((m) => m.key));
  const metricKeys = catalog
    .ownedBy(a)
    .filter((m) => ownedByB.has(m.key))
    .map((m) => m.key);
  if (metricKeys.length === 0) return { period, a, b, shared: [], catalog };
  const snapshot = await computeSnapshot(
    { stats: deps.stats, settings, catalog },
    { workspaceId: request.workspaceId, period, metricKeys, department: null },
  );
  return { period: snapshot.period, a, b, shared: snapshot.metrics, catalog };
}
