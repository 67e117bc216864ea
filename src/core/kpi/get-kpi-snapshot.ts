// The KPI snapshot every surface asks for (`/kpi`, Teams, the console, `tandem kpi`):
// resolve the metric words and the period, pick the metrics, compute them.
import { AppError, ErrorCode } from "../errors.ts";
import type { Clock, FactStats, KpiSettingsSource } from "../ports.ts";
import { buildCatalog, type Catalog } from "./catalog.ts";
import { computeSnapshot } from "./engine.ts";
import { checkCommandLength } from "./parse-kpi-command.ts";
import { parsePeriod } from "./periods.ts";
import { splitMetricAndPeriod } from "./split-metric-period.ts";
import type { KpiSettings, Snapshot } from "./types.ts";

export type KpiSnapshotDeps = { stats: FactStats; settingsSource: KpiSettingsSource; clock: Clock };

export type KpiSnapshotRequest = {
  workspaceId: number;
  /** IANA zone of the workspace: periods are its local midnights */
  zone: string;
  /** a metric key, name or alias (multi-word aliases allowed); absent → a set of metrics */
  metric?: string | null;
  /** a period as people write it; absent → the last complete month */
  period?: string | null;
  /**
   * Instead of `metric` and `period`: both as typed together, in either order
   * (`cac last month`, `2026-Q3 customer acquisition cost`).
   */
  words?: string | null;
  /** a department key or name */
  department?: string | null;
  /**
   * Without a metric or department: "shared" (chat's default, the metrics two or more
   * departments own) or "all" (every metric, shared first: the CLI has no caller whose
   * department could narrow it, and machine readers want every number).
   */
  scope?: "shared" | "all";
};

export type KpiSnapshotResult = {
  snapshot: Snapshot;
  /** for renderers: better direction and decimals of each metric */
  catalog: Catalog;
  /** the department key the request named, if any */
  department: string | null;
};

// Without a period the answer is the last COMPLETE month: the current month is
// partial, and comparing a partial month with a whole previous one would show
// every metric falling until the month ends.
export const DEFAULT_PERIOD = "month";

export async function getKpiSnapshot(deps: KpiSnapshotDeps, request: KpiSnapshotRequest): Promise<KpiSnapshotResult> {
  for (const text of [request.metric, request.period, request.words]) checkCommandLength(text ?? "");
  const settings = await deps.settingsSource.load(request.workspaceId);
  const catalog = buildCatalog(settings);
  const typed =
    request.words === undefined || request.words === null
      ? { metric: request.metric ?? null, period: request.period ?? null }
      : splitMetricAndPeriod(request.words, catalog);
  // The period before the metric: its error is the more fundamental one.
  const period = parsePeriod(blankToNull(typed.period) ?? DEFAULT_PERIOD, deps.clock.now(), request.zone);
  const departmentText = blankToNull(request.department);
  const department = departmentText === null ? null : findDepartment(settings, departmentText);
  const metricText = blankToNull(typed.metric);

  let metricKeys: string[];
  if (metricText !== null) {
    const resolved = catalog.resolve(metricText);
    if (!resolved.ok) throw unknownMetric(metricText, resolved.suggestions);
    metricKeys = [resolved.metric.key];
  } else {
    const shared = catalog.shared();
    const chosen =
      department !== null
        ? catalog.ownedBy(department)
        : request.scope === "all"
          ? [...shared, ...catalog.all.filter((metric) => !shared.includes(metric))]
          : shared;
    metricKeys = chosen.map((metric) => metric.key);
  }

  const snapshot = await computeSnapshot(
    { stats: deps.stats, settings, catalog },
    { workspaceId: request.workspaceId, period, metricKeys, department },
  );
  return { snapshot, catalog, department };
}

function blankToNull(text: string | null | undefined): string | null {
  const trimmed = text?.trim() ?? "";
  return trimmed === "" ? null : trimmed;
}

function findDepartment(settings: KpiSettings, text: string): string {
  const wanted = text.toLowerCase();
  const found = settings.departments.find(
    (department) => department.key.toLowerCase() === wanted || department.name.toLowerCase() === wanted,
  );
  if (found) return found.key;
  const known = settings.departments.map((department) => department.key).join(", ");
  throw new AppError(ErrorCode.NotFound, `I don't know the department “${text}”. Departments: ${known}.`, {
    departments: settings.departments.map((department) => department.key),
  });
}

function unknownMetric(text: string, suggestions: string[]): AppError {
  const hint =
    suggestions.length > 0
      ? ` Did you mean: ${suggestions.join(", ")}?`
      : " Ask without a metric to see the shared metrics.";
  return new AppError(ErrorCode.NotFound, `I don't know the metric “${text}”.${hint}`, { suggestions });
}
