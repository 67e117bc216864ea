// Who administers a workspace, as people Tandem can write to directly: members whose
// role is admin, and the ids the config lists under `admins` (on the platform a member
// row says, else Slack for Slack-shaped ids — U… or W… — and Teams for the rest).
import type { Recipient } from "../core/delivery/ports.ts";
import { asPlatform } from "../core/platform.ts";
import type { Db } from "./database.ts";
import { loadConfigAdmins } from "./kpi-settings.ts";

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

export async function loadAdminRecipients(prisma: Db, workspaceId: number): Promise<Recipient[]> {
  const configured = await loadConfigAdmins(prisma, workspaceId);
  const members = await prisma.member.findMany({
    where: { workspaceId, OR: [{ role: "admin" }, { userId: { in: configured } }] },
    orderBy: { id: "asc" },
  });
  const recipients = new Map<string, Recipient>();
  const add = (recipient: Recipient) => recipients.set(`${recipient.platform}:${recipient.userId}`, recipient);
  for (const member of members)
    if (member.role === "admin" || configured.includes(member.userId))
      add({ platform: asPlatform(member.platform), workspaceId, userId: member.userId });
  for (const userId of configured)
    if (!members.some((member) => member.userId === userId))
      add({ platform: SLACK_USER_ID.test(userId) ? "slack" : "teams", workspaceId, userId });
  // the console is nowhere to write to
  return [...recipients.values()].filter((recipient) => recipient.platform !== "local");
}
