// What the console and Teams do with typed text: the same words as Slack's slash
// commands (`kpi cac 2026-09`, `/kpi funnel`, `kpi digest preview`, `pulse "…"`,
// `help`), answered by the same use cases as Slack, as neutral messages.

import type { SchedulerJob } from "../adapters/scheduler/scheduler.ts";
import type { SlackDeps } from "../adapters/slack/slack-app.ts";
import { helpMessage } from "../core/messages/build-kpi-messages.ts";
import type { Message } from "../core/messages/model.ts";
import type { Logger } from "../core/ports.ts";
import { loadConfigAdmins } from "../store/kpi-settings.ts";
import type { WorkspaceRow } from "../store/workspaces.ts";
import { answerKpiCommand, errorAnswer, type KpiCommandEnv, type KpiSubcommand } from "./answer-kpi-command.ts";
import type { AppContext } from "./context.ts";
import { kpiDeps } from "./kpi.ts";

export type ChatCaller = {
  platform: "local" | "teams" | "slack";
  userId: string;
  channelId: string;
  displayName?: string | null;
};

/** Features other than /kpi plug in here (the digest, pulses, rituals). */
export type ChatFeatures = {
  kpiSubcommands?: Record<string, KpiSubcommand>;
  issueToken?: KpiCommandEnv["issueToken"];
  pulse?: (request: {
    workspace: WorkspaceRow;
    caller: ChatCaller;
    args: string;
    /** the same admin rule as /kpi's admin commands */
    isAdmin(): Promise<boolean>;
  }) => Promise<Message>;
  /** extra Slack listeners (`/pulse`, poll buttons) */
  slackListeners?: NonNullable<SlackDeps["register"]>;
  /** jobs the scheduler runs every minute besides the digests (closing pulses, reminders) */
  scheduledJobs?: Record<string, SchedulerJob>;
};

export type ChatCommands = {
  handle(text: string, caller: ChatCaller, workspace?: WorkspaceRow): Promise<Message>;
};

export function createChatCommands(
  ctx: AppContext,
  features: ChatFeatures = {},
  logger: Logger = ctx.logger,
): ChatCommands {
  const env = (prefix: "/kpi" | "kpi"): KpiCommandEnv => ({
    prisma: ctx.db.prisma,
    kpi: kpiDeps(ctx.db, ctx.clock),
    prefix,
    ...(features.issueToken ? { issueToken: features.issueToken } : {}),
    ...(features.kpiSubcommands ? { subcommands: features.kpiSubcommands } : {}),
  });

  return {
    async handle(text, caller, workspace = ctx.workspace) {
      const prefix = caller.platform === "teams" ? "kpi" : "/kpi";
      const trimmed = text.trim().replace(/^\//, "");
      const [head = "", ...rest] = trimmed.split(/\s+/);
      const word = head.toLowerCase();
      const args = rest.join(" ");
      const kpiCaller = {
        platform: caller.platform,
        userId: caller.userId,
        displayName: caller.displayName ?? null,
        channelId: caller.channelId,
        // The console is the operator at the machine; in Teams, admins are the people
        // the metrics config names (Teams has no workspace-admin flag a bot can read).
        isAdmin: async () =>
          caller.platform === "local" || (await loadConfigAdmins(ctx.db.prisma, workspace.id)).includes(caller.userId),
      };
      try {
        if (word === "" || word === "help" || word === "?") return helpMessage(prefix);
        if (word === "pulse") {
          if (!features.pulse) return helpMessage(prefix);
          return await features.pulse({ workspace, caller, args, isAdmin: kpiCaller.isAdmin });
        }
        // `digest preview` is `kpi digest preview`; any other text is tried as a /kpi
        // question (`cac 2026-09`), which answers with suggestions when it is not one.
        const kpiText = word === "kpi" ? args : trimmed;
        return (await answerKpiCommand(env(prefix), workspace, kpiCaller, kpiText)).message;
      } catch (error) {
        return errorAnswer(error, logger, { platform: caller.platform, text: trimmed });
      }
    },
  };
}
