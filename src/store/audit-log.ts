// The audit log: who changed what, from which surface. Every change made from chat
// (department membership, targets, tokens, installs) writes one row.
import type { Db } from "./database.ts";

export type AuditEntry = { workspaceId: number; actor: string; action: string; detail?: Record<string, unknown> };

export async function recordAudit(prisma: Pick<Db, "auditLog">, entry: AuditEntry): Promise<void> {
  await prisma.auditLog.create({
    data: {
      workspaceId: entry.workspaceId,
      actor: entry.actor,
      action: entry.action,
      detail: JSON.stringify(entry.detail ?? {}),
    },
  });
}
