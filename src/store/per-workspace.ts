// What a process keeps per workspace at one version of it (a generation, the measure
// cache's epoch): replaced as soon as the version read differs, the least recently used
// workspaces forgotten past `maxWorkspaces`.

export type PerWorkspace<E> = {
  /** The workspace's entry at `version`, made by `fresh` if the one kept is of another version. */
  at(workspaceId: number, version: string, fresh: () => E): E;
  /** Forgets the workspace's entry if it is still `entry` (a load that failed). */
  forget(workspaceId: number, entry: E): void;
};

export function perWorkspace<E>(maxWorkspaces: number): PerWorkspace<E> {
  const kept = new Map<number, { version: string; entry: E }>();
  return {
    at(workspaceId, version, fresh) {
      let slot = kept.get(workspaceId);
      if (slot?.version !== version) slot = { version, entry: fresh() };
      kept.delete(workspaceId); // most recently used last
      kept.set(workspaceId, slot);
      while (kept.size > maxWorkspaces) kept.delete(kept.keys().next().value as number);
      return slot.entry;
    },
    forget(workspaceId, entry) {
      if (kept.get(workspaceId)?.entry === entry) kept.delete(workspaceId);
    },
  };
}
