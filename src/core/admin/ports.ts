// The workspace set-up people change from chat: who works in which department, targets
// and ingest tokens (src/store/kpi-admin.ts implements it over Prisma). Each change is
// validated and audited behind this port, the same way whichever surface asks.
import type { TargetSpec } from "../kpi/types.ts";
import type { Platform } from "../platform.ts";

export type MemberDepartment = { key: string; name: string };

/** How a target's value was written in chat: `35%` or a plain `0.35` (checked against the metric's unit). */
export type ValueNotation = "percent" | "number";

export type AuditEntry = { workspaceId: number; actor: string; action: string; detail?: Record<string, unknown> };

/** One person placed in a department, by `actor` (themselves or an admin). */
export type MemberChange = {
  workspaceId: number;
  platform: Platform;
  userId: string;
  departmentKey: string;
  displayName?: string | null;
  actor: string;
};

export type KpiAdminStore = {
  /** the department a person works in, or null */
  memberDepartment(workspaceId: number, platform: Platform, userId: string): Promise<MemberDepartment | null>;
  /** places a person in a department (creating the member), audited */
  placeMember(change: MemberChange): Promise<{ previous: string | null; department: MemberDepartment }>;
  /**
   * Sets one target after the same checks as a target in tandem.config.yaml (and, given
   * `written`, that a percentage was written as one), audited. Throws InvalidInput naming
   * what is wrong.
   */
  setTarget(
    workspaceId: number,
    target: TargetSpec & { written?: ValueNotation },
    actor: string,
  ): Promise<{ previous: number | null }>;
  /** creates an ingest token for `actor` and returns it in the clear, once */
  issueToken(request: { workspaceId: number; name: string; actor: string }): Promise<string>;
  /** chat user ids the metrics config names as admins */
  configAdmins(workspaceId: number): Promise<string[]>;
  audit(entry: AuditEntry): Promise<void>;
};
