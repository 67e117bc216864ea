// The demo company's rows: facts with origin "demo" and targets with origin "demo".
// Removing them touches nothing else (not tokens, not other facts or targets).
import type { DemoDataProbe } from "../core/demo/demo-guard.ts";
import { recordAudit } from "./audit-log.ts";
import type { Database } from "./database.ts";

const DEMO = "demo";
/** the demo is some 100,000 facts: more than a default transaction's 5 s on a slow disk */
const TX_OPTIONS = { timeout: 300_000 };

export function demoDataProbe(db: Database): DemoDataProbe {
  return async (workspaceId) => {
    const [fact, target] = await Promise.all([
      db.prisma.fact.findFirst({ where: { workspaceId, origin: DEMO }, select: { id: true } }),
      db.prisma.target.findFirst({ where: { workspaceId, origin: DEMO }, select: { id: true } }),
    ]);
    return fact !== null || target !== null;
  };
}

/** Deletes the workspace's demo facts and demo targets in one transaction, audited. */
export async function removeDemoData(
  db: Database,
  workspaceId: number,
  actor: string,
): Promise<{ facts: number; targets: number }> {
  return db.prisma.$transaction(async (tx) => {
    const facts = await tx.fact.deleteMany({ where: { workspaceId, origin: DEMO } });
    const targets = await tx.target.deleteMany({ where: { workspaceId, origin: DEMO } });
    const removed = { facts: facts.count, targets: targets.count };
    if (removed.facts + removed.targets > 0) {
      await recordAudit(tx, { workspaceId, actor, action: "demo.removed", detail: removed });
    }
    return removed;
  }, TX_OPTIONS);
}
