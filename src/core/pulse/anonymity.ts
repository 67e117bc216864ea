// The one rule for showing pulse answers apart by group (department), used by pulse
// results and by the collaboration_score breakdown of /kpi and the digest. A group is
// shown only when at least `min` answers stand behind it, AND what is left over is either
// nothing or at least `min` answers too: otherwise the published total minus the shown
// groups would give the small remainder away. The smallest shown groups go back into the
// remainder until that holds.

/** The keys of the groups that may be shown apart, largest first. */
export function publishableGroups<K>(counts: Iterable<[K, number]>, min: number): K[] {
  const all = [...counts];
  const total = all.reduce((sum, [, count]) => sum + count, 0);
  const shown = all.filter(([, count]) => count >= min).sort((a, b) => b[1] - a[1]);
  const rest = () => total - shown.reduce((sum, [, count]) => sum + count, 0);
  while (shown.length > 0 && rest() > 0 && rest() < min) shown.pop();
  return shown.map(([key]) => key);
}
