// Chat users and the department each works in (one row per workspace, platform, user).
import type { MemberChange, MemberDepartment } from "../core/admin/ports.ts";
import { AppError, ErrorCode } from "../core/errors.ts";
import type { Platform } from "../core/platform.ts";
import { recordAudit } from "./audit-log.ts";
import type { Database, Db } from "./database.ts";
import { keptByKey } from "./generations.ts";

export type { MemberDepartment };

export async function findMemberDepartment(
  prisma: Db,
  workspaceId: number,
  platform: Platform,
  userId: string,
): Promise<MemberDepartment | null> {
  const member = await prisma.member.findUnique({
    where: { workspaceId_platform_userId: { workspaceId, platform, userId } },
    include: { department: true },
  });
  return member?.department ? { key: member.department.key, name: member.department.name } : null;
}

/** findMemberDepartment, kept per process until a member or department of the workspace is written. */
export function keptMemberDepartment(
  db: Database,
): (workspaceId: number, platform: Platform, userId: string) => Promise<MemberDepartment | null> {
  const kept = keptByKey(db, "members", (workspaceId, key) => {
    const [platform, userId] = JSON.parse(key) as [Platform, string];
    return findMemberDepartment(db.prisma, workspaceId, platform, userId);
  });
  return (workspaceId, platform, userId) => kept(workspaceId, JSON.stringify([platform, userId]));
}

export async function listDepartments(prisma: Db, workspaceId: number): Promise<MemberDepartment[]> {
  const rows = await prisma.department.findMany({ where: { workspaceId }, orderBy: { key: "asc" } });
  return rows.map((row) => ({ key: row.key, name: row.name }));
}

/** Places a user in a department (creating the member row), and audits the change. */
export async function setMemberDepartment(
  prisma: Db,
  spec: MemberChange,
): Promise<{ previous: string | null; department: MemberDepartment }> {
  return prisma.$transaction(async (tx) => {
    const department = await tx.department.findUnique({
      where: { workspaceId_key: { workspaceId: spec.workspaceId, key: spec.departmentKey } },
    });
    if (!department) throw new AppError(ErrorCode.NotFound, `no department ${spec.departmentKey}`);
    const where = {
      workspaceId_platform_userId: { workspaceId: spec.workspaceId, platform: spec.platform, userId: spec.userId },
    };
    const before = await tx.member.findUnique({ where, include: { department: true } });
    await tx.member.upsert({
      where,
      create: {
        workspaceId: spec.workspaceId,
        platform: spec.platform,
        userId: spec.userId,
        departmentId: department.id,
        displayName: spec.displayName ?? null,
      },
      update: { departmentId: department.id, ...(spec.displayName ? { displayName: spec.displayName } : {}) },
    });
    const previous = before?.department?.key ?? null;
    await recordAudit(tx, {
      workspaceId: spec.workspaceId,
      actor: spec.actor,
      action: "member.department",
      detail: { platform: spec.platform, userId: spec.userId, from: previous, to: department.key },
    });
    return { previous, department: { key: department.key, name: department.name } };
  });
}
