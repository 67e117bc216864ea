// `/kpi digest …` as a chat verb: a channel's digest subscription, from whichever
// surface it was typed on.
import { type DigestCommandDeps, handleDigestCommand } from "../core/digest/manage-subscriptions.ts";
import type { ChatVerb } from "./chat/types.ts";

export function digestSubcommand(deps: DigestCommandDeps): ChatVerb {
  return ({ workspace, caller, args }) =>
    handleDigestCommand(
      [args],
      {
        platform: caller.platform,
        userId: caller.userId,
        channelId: caller.channelId ?? null,
        workspaceId: workspace.id,
        zone: workspace.timezone,
      },
      deps,
    );
}
