// The KpiAdminStore port over Prisma: members, targets and ingest tokens as chat admins
// change them. The checks and the audit entries are those of the functions it calls,
// so a change made from chat is validated exactly like one made any other way.
import type { KpiAdminStore } from "../core/admin/ports.ts";
import { recordAudit } from "./audit-log.ts";
import type { Db } from "./database.ts";
import { loadConfigAdmins, setTarget } from "./kpi-settings.ts";
import { findMemberDepartment, setMemberDepartment } from "./members.ts";
import { createTokenRepository } from "./token-repository.ts";

export function createKpiAdminStore(prisma: Db): KpiAdminStore {
  const tokens = createTokenRepository(prisma);
  return {
    memberDepartment: (workspaceId, platform, userId) => findMemberDepartment(prisma, workspaceId, platform, userId),
    placeMember: (change) => setMemberDepartment(prisma, change),
    setTarget: (workspaceId, target, actor) => setTarget(prisma, workspaceId, target, actor),
    issueToken: async ({ workspaceId, name }) => (await tokens.create(workspaceId, name)).token,
    configAdmins: (workspaceId) => loadConfigAdmins(prisma, workspaceId),
    audit: (entry) => recordAudit(prisma, entry),
  };
}
