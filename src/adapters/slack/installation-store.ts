// Bolt's InstallationStore over the installations table. Each Slack team gets its
// own workspace (platform "slack", external id = team id); the installation, bot
// token included, is stored sealed under TANDEM_ENCRYPTION_KEY.
import type { Installation, InstallationQuery, InstallationStore } from "@slack/bolt";
import type { SecretBox } from "../../core/crypto/secret-box.ts";
import { recordAudit } from "../../store/audit-log.ts";
import type { Db } from "../../store/database.ts";
import { deleteInstallation, loadInstallation, saveInstallation } from "../../store/installations.ts";
import { ensureWorkspace, type WorkspaceRow } from "../../store/workspaces.ts";

/** The key a team's installation and workspace are filed under. */
export function teamKey(query: { teamId?: string; enterpriseId?: string; isEnterpriseInstall?: boolean }) {
  if (query.isEnterpriseInstall && query.enterpriseId) return { teamId: "", enterpriseId: query.enterpriseId };
  if (!query.teamId) throw new Error("Slack request without a team id");
  return { teamId: query.teamId, enterpriseId: query.enterpriseId ?? "" };
}

export async function workspaceForTeam(
  prisma: Db,
  spec: { teamId: string; enterpriseId?: string; name?: string; timezone: string },
): Promise<WorkspaceRow> {
  return ensureWorkspace(prisma, {
    platform: "slack",
    externalId: spec.teamId || `enterprise:${spec.enterpriseId}`,
    name: spec.name ?? "",
    timezone: spec.timezone,
    syncTimezone: false,
  });
}

export function createInstallationStore(deps: { prisma: Db; box: SecretBox; timezone: string }): InstallationStore {
  return {
    async storeInstallation(installation) {
      const key = teamKey({
        teamId: installation.team?.id,
        enterpriseId: installation.enterprise?.id,
        isEnterpriseInstall: installation.isEnterpriseInstall,
      });
      const workspace = await workspaceForTeam(deps.prisma, {
        ...key,
        name: installation.team?.name ?? installation.enterprise?.name,
        timezone: deps.timezone,
      });
      await saveInstallation(deps.prisma, deps.box, {
        platform: "slack",
        ...key,
        workspaceId: workspace.id,
        botUserId: installation.bot?.userId ?? null,
        installedBy: installation.user?.id ?? null,
        data: JSON.stringify(installation),
      });
      await recordAudit(deps.prisma, {
        workspaceId: workspace.id,
        actor: `slack:${installation.user?.id ?? "unknown"}`,
        action: "slack.installed",
        detail: { teamId: key.teamId, enterpriseId: key.enterpriseId, scopes: installation.bot?.scopes ?? [] },
      });
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const key = teamKey(query);
      const stored = await loadInstallation(deps.prisma, deps.box, { platform: "slack", ...key });
      if (!stored) throw new Error(`Tandem is not installed in Slack team ${key.teamId || key.enterpriseId}`);
      return JSON.parse(stored.data) as Installation;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      await deleteInstallation(deps.prisma, { platform: "slack", ...teamKey(query) });
    },
  };
}
