// Who may change targets, members and tokens from Slack: the Slack workspace's
// admins and owners (users.info), anyone the Tandem config lists under `admins`,
// and members whose role is admin.
import type { webApi } from "@slack/bolt";
import type { Db } from "../../store/database.ts";
import { loadConfigAdmins } from "../../store/kpi-settings.ts";

export async function isSlackAdmin(deps: {
  client: webApi.WebClient;
  prisma: Db;
  workspaceId: number;
  userId: string;
}): Promise<boolean> {
  if ((await loadConfigAdmins(deps.prisma, deps.workspaceId)).includes(deps.userId)) return true;
  const member = await deps.prisma.member.findUnique({
    where: { workspaceId_platform_userId: { workspaceId: deps.workspaceId, platform: "slack", userId: deps.userId } },
  });
  if (member?.role === "admin") return true;
  const info = await deps.client.users.info({ user: deps.userId });
  const user = info.user;
  return Boolean(user?.is_admin || user?.is_owner || user?.is_primary_owner);
}
