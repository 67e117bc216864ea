// The words of the chat layer every surface shares (Slack, Teams, the console): who asks,
// what a `/kpi` answer is, and how other features add verbs to it.
import type { Message } from "../../core/messages/model.ts";
import type { Platform } from "../../core/platform.ts";
import type { WorkspaceRow } from "../../store/workspaces.ts";

/** Who typed or clicked, and where. */
export type ChatCaller = {
  platform: Platform;
  userId: string;
  displayName?: string | null;
  /** the channel or conversation the command was typed in; null where there is none (a shared answer) */
  channelId?: string | null;
  /**
   * The platform's own rule for admins (Slack asks users.info). Without it: the people the
   * metrics config names as admins, and the operator at the console.
   */
  isAdmin?: () => Promise<boolean>;
};

/** A caller whose admin rule is settled; asked only for admin commands (it may call the chat platform). */
export type KnownCaller = ChatCaller & { isAdmin(): Promise<boolean> };

/** One request to a verb: where, who, and the words after the verb. */
export type ChatRequest = { workspace: WorkspaceRow; caller: KnownCaller; args: string };

/** A verb another feature adds to `/kpi` (`digest`, `rituals`) or to the chat (`pulse`). */
export type ChatVerb = (request: ChatRequest) => Promise<Message>;

export type KpiAnswer = {
  message: Message;
  /** the command that reproduces this answer for the channel, or null when it must stay private */
  share: string | null;
};
