// When alert rules are evaluated: as soon as a workspace's facts change (its "facts
// changed" version moves, whichever process wrote them), and every workspace at least
// hourly. The versions seen are this process's memory; what was posted is the database's
// (claims), so a restart only means one extra evaluation.
import type { Clock } from "../ports.ts";
import type { AlertReport } from "./run-alerts.ts";

export const FULL_EVALUATION_MS = 60 * 60_000;

export type AlertWatchDeps = {
  /** each workspace's facts version (src/store/alert-rules.ts: factsVersions) */
  versions(): Promise<Map<number, number>>;
  /** evaluates one workspace's rules, or every workspace's */
  evaluate(workspaceId?: number): Promise<AlertReport[]>;
  clock: Clock;
  /** how often every rule is evaluated whether or not facts changed (default hourly) */
  everyMs?: number;
};

export type AlertWatch = {
  /** the scheduler's tick: the workspaces whose facts changed, or all once the hour is up */
  tick(): Promise<AlertReport[]>;
};

export function createAlertWatch(deps: AlertWatchDeps): AlertWatch {
  const seen = new Map<number, number>();
  let lastFull: number | null = null;
  const everyMs = deps.everyMs ?? FULL_EVALUATION_MS;
  return {
    async tick() {
      const now = deps.clock.now().getTime();
      const versions = await deps.versions();
      const changed = [...versions].filter(([workspaceId, version]) => seen.get(workspaceId) !== version);
      for (const [workspaceId, version] of versions) seen.set(workspaceId, version);
      if (lastFull === null || now - lastFull >= everyMs) {
        lastFull = now;
        return deps.evaluate();
      }
      const reports: AlertReport[] = [];
      for (const [workspaceId] of changed) reports.push(...(await deps.evaluate(workspaceId)));
      return reports;
    },
  };
}
