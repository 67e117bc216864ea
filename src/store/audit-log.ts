// The audit log: who changed what, from which surface. Every change made from chat
// (department membership, targets, tokens, installs) writes one row.
import type { AuditEntry } from "../core/admin/ports.ts";
import type { Db } from "./database.ts";

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
