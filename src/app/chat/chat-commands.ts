// The chat layer every surface goes through: Slack's slash commands and buttons, Teams'
// typed text, the local console. The same words (`kpi cac 2026-09`, `/kpi funnel`,
// `kpi digest preview`, `pulse "…"`, `help`) reach the same handlers and come back as
// neutral messages for the surface to render.

import { helpMessage } from "../../core/messages/build-kpi-messages.ts";
import type { Message } from "../../core/messages/model.ts";
import { commandPrefix } from "../../core/platform.ts";
import type { Logger } from "../../core/ports.ts";
import type { WorkspaceRow } from "../../store/workspaces.ts";
import { answerKpiCommand, type KpiCommandDeps } from "./answer-kpi-command.ts";
import { errorAnswer } from "./error-answer.ts";
import type { ChatCaller, ChatVerb, KnownCaller, KpiAnswer } from "./types.ts";

export type ChatCommandsDeps = KpiCommandDeps & {
  /** the workspace of a one-workspace install (the console, Teams) */
  workspace: WorkspaceRow;
  logger: Logger;
  /** `pulse …` (the pulse feature) */
  pulse?: ChatVerb;
};

export type ChatCommands = {
  /** Anything typed to Tandem (the console, Teams); a failure comes back as a friendly answer. */
  handle(text: string, caller: ChatCaller, workspace?: WorkspaceRow): Promise<Message>;
  /** `/kpi TEXT`, with the command that shares its answer (Slack's slash command and Share button); throws. */
  kpi(text: string, caller: ChatCaller, workspace: WorkspaceRow, options?: { readOnly?: boolean }): Promise<KpiAnswer>;
  /** `/pulse TEXT`; throws. */
  pulse(text: string, caller: ChatCaller, workspace: WorkspaceRow): Promise<Message>;
};

export function createChatCommands(deps: ChatCommandsDeps): ChatCommands {
  /**
   * The platform's admin rule, or else: the operator at the console, and in Teams the
   * people the metrics config names (Teams has no workspace-admin flag a bot can read).
   */
  const known = (caller: ChatCaller, workspace: WorkspaceRow): KnownCaller => ({
    ...caller,
    isAdmin:
      caller.isAdmin ??
      (async () =>
        caller.platform === "local" || (await deps.admin.configAdmins(workspace.id)).includes(caller.userId)),
  });

  const pulse = async (args: string, caller: KnownCaller, workspace: WorkspaceRow): Promise<Message> =>
    deps.pulse ? deps.pulse({ workspace, caller, args }) : helpMessage(commandPrefix(caller.platform));

  return {
    async handle(text, caller, workspace = deps.workspace) {
      const trimmed = text.trim().replace(/^\//, "");
      const [head = "", ...rest] = trimmed.split(/\s+/);
      const word = head.toLowerCase();
      const asker = known(caller, workspace);
      try {
        if (word === "" || word === "help" || word === "?") return helpMessage(commandPrefix(caller.platform));
        if (word === "pulse") return await pulse(rest.join(" "), asker, workspace);
        // `digest preview` is `kpi digest preview`; any other text is tried as a /kpi
        // question (`cac 2026-09`), which answers with suggestions when it is not one.
        const kpiText = word === "kpi" ? rest.join(" ") : trimmed;
        return (await answerKpiCommand(deps, workspace, asker, kpiText)).message;
      } catch (error) {
        return errorAnswer(error, deps.logger, { platform: caller.platform, text: trimmed });
      }
    },
    kpi: (text, caller, workspace, options = {}) =>
      answerKpiCommand(deps, workspace, known(caller, workspace), text, options),
    pulse: (text, caller, workspace) => pulse(text, known(caller, workspace), workspace),
  };
}
