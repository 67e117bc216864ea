// Workspace resolution. Without Slack's OAuth install there is one workspace
// (platform "local", external id "default") that the CLI, ingest API, Slack and
// Teams all share; its time zone follows TANDEM_TIMEZONE.
import type { Db } from "./database.ts";

export type WorkspaceRow = {
  id: number;
  platform: string;
  externalId: string;
  timezone: string;
  grossMargin: number;
  settings: string;
};

export const DEFAULT_DEPARTMENTS = [
  { key: "marketing", name: "Marketing" },
  { key: "sales", name: "Sales" },
  { key: "product", name: "Product" },
];

export async function ensureDefaultWorkspace(prisma: Db, timezone: string): Promise<WorkspaceRow> {
  return ensureWorkspace(prisma, { platform: "local", externalId: "default", name: "Default", timezone });
}

export async function ensureWorkspace(
  prisma: Db,
  spec: { platform: string; externalId: string; name: string; timezone: string; syncTimezone?: boolean },
): Promise<WorkspaceRow> {
  const where = { platform_externalId: { platform: spec.platform, externalId: spec.externalId } };
  // Read first: every process start and CLI command comes through here, and a write would
  // have to wait for an import holding SQLite's write lock.
  const found = await prisma.workspace.findUnique({ where });
  const current = spec.syncTimezone === false || found?.timezone === spec.timezone;
  const workspace =
    found && current
      ? found
      : await prisma.workspace.upsert({
          where,
          create: { platform: spec.platform, externalId: spec.externalId, name: spec.name, timezone: spec.timezone },
          update: spec.syncTimezone === false ? {} : { timezone: spec.timezone },
        });
  const existing = await prisma.department.count({ where: { workspaceId: workspace.id } });
  if (existing === 0) {
    for (const department of DEFAULT_DEPARTMENTS) {
      await prisma.department.upsert({
        where: { workspaceId_key: { workspaceId: workspace.id, key: department.key } },
        create: { workspaceId: workspace.id, ...department },
        update: {},
      });
    }
  }
  return workspace;
}
