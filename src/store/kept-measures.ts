// The measure cache's rows a process has already read or computed, kept in memory for as
// long as the workspace's epoch stays the same (the measure cache bumps it on every write
// that could change a kept number). A request reads the epoch first, one small statement,
// so a write committed before it, through any process, is in its answer.
//
// Bounded: the least recently used workspaces are forgotten first, and a workspace's
// values start over once they reach `maxKeys`.

import { perWorkspace } from "./per-workspace.ts";

const DEFAULT_MAX_WORKSPACES = 16;
const DEFAULT_MAX_KEYS = 1_024;

export type KeptValues = {
  has(key: string): boolean;
  /** a copy of the kept value (undefined if none) */
  get(key: string): unknown;
  keep(key: string, value: unknown): void;
};

export function keptMeasures(maxWorkspaces = DEFAULT_MAX_WORKSPACES, maxKeys = DEFAULT_MAX_KEYS) {
  const kept = perWorkspace<Map<string, unknown>>(maxWorkspaces);
  return {
    /** The workspace's values at `epoch`; those kept at another epoch are forgotten. */
    at(workspaceId: number, epoch: string): KeptValues {
      const values = kept.at(workspaceId, epoch, () => new Map());
      return {
        // each caller gets its own copy: none can change what another is given
        has: (key) => values.has(key),
        get: (key) => (values.has(key) ? structuredClone(values.get(key)) : undefined),
        keep(key, value) {
          if (values.size >= maxKeys) values.clear();
          values.set(key, structuredClone(value));
        },
      };
    },
  };
}
