// Which Tandem workspace a Slack request belongs to. Single-workspace mode: the
// default one, shared with the CLI, the ingest API and Teams. OAuth mode: one per
// Slack team, so a team only ever reads its own data.
import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import type { Db } from "../../store/database.ts";
import type { WorkspaceRow } from "../../store/workspaces.ts";
import { workspaceForTeam } from "./installation-store.ts";

const KEY = "tandemWorkspace";

export function workspaceOf(context: Record<string, unknown>): WorkspaceRow {
  const workspace = context[KEY] as WorkspaceRow | undefined;
  if (!workspace) throw new Error("no Tandem workspace on the Slack context");
  return workspace;
}

export function workspaceMiddleware(
  mode: { kind: "single"; workspace: WorkspaceRow } | { kind: "oauth"; prisma: Db; timezone: string },
): Middleware<AnyMiddlewareArgs> {
  return async ({ context, next }) => {
    if (mode.kind === "single") {
      context[KEY] = mode.workspace;
    } else {
      const teamId = context.isEnterpriseInstall ? "" : (context.teamId ?? "");
      const enterpriseId = context.enterpriseId ?? "";
      if (!teamId && !enterpriseId) throw new Error("Slack request without a team or enterprise id");
      const existing = await mode.prisma.workspace.findUnique({
        where: { platform_externalId: { platform: "slack", externalId: teamId || `enterprise:${enterpriseId}` } },
      });
      context[KEY] =
        existing ?? (await workspaceForTeam(mode.prisma, { teamId, enterpriseId, timezone: mode.timezone }));
    }
    await next();
  };
}
