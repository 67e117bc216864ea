// The features beyond /kpi, wired once for every chat surface (Slack, Teams, the
// console): the digest and ritual subcommands, pulses, ingest tokens from chat.

import { pulseRegistration } from "../adapters/slack/listeners/pulse-listeners.ts";
import { handleDigestCommand } from "../core/digest/manage-subscriptions.ts";
import type { Messenger } from "../core/ports.ts";
import { createSubscriptionStore } from "../store/digest-subscriptions.ts";
import type { ChatFeatures } from "./chat-commands.ts";
import type { AppContext } from "./context.ts";
import { kpiDeps } from "./kpi.ts";
import { chatPulseFeature, type PulseServices, pulseJob, ritualsSubcommand } from "./pulse.ts";

export function createFeatures(ctx: AppContext, deps: { messenger?: Messenger; pulses: PulseServices }): ChatFeatures {
  const subscriptions = createSubscriptionStore(ctx.db.prisma);
  const kpi = kpiDeps(ctx.db, ctx.clock);
  return {
    pulse: chatPulseFeature(deps.pulses),
    slackListeners: [pulseRegistration(deps.pulses)],
    scheduledJobs: { pulses: pulseJob(deps.pulses) },
    kpiSubcommands: {
      rituals: ritualsSubcommand(deps.pulses),
      digest: ({ workspace, caller, args }) =>
        handleDigestCommand(
          [args],
          {
            platform: caller.platform,
            userId: caller.userId,
            channelId: caller.channelId ?? null,
            workspaceId: workspace.id,
            zone: workspace.timezone,
          },
          { subscriptions, kpi, clock: ctx.clock, ...(deps.messenger ? { messenger: deps.messenger } : {}) },
        ),
    },
  };
}
