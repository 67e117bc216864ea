// The chat layer as every surface gets it (Slack, Teams, the console): the `/kpi`
// handlers with the verbs the digest and rituals add, `pulse …`, and the pulse services
// whose posts go through the platforms' messengers.
import { type ChatCommands, createChatCommands } from "../app/chat/chat-commands.ts";
import type { AppContext } from "../app/context.ts";
import { digestSubcommand } from "../app/digest-command.ts";
import { cacheBound, digestDeps, kpiDeps } from "../app/kpi.ts";
import { createPulseServices, type PulseServices, pulseVerb, ritualsSubcommand } from "../app/pulse.ts";
import { freshnessOf, sourcesSubcommand } from "../app/sources-command.ts";
import type { KpiAdminStore } from "../core/admin/ports.ts";
import { routeMessenger } from "../core/delivery/route-messenger.ts";
import type { KpiSnapshotDeps } from "../core/kpi/get-kpi-snapshot.ts";
import { createAlertRuleStore } from "../store/alert-rules.ts";
import { createSubscriptionStore } from "../store/digest-subscriptions.ts";
import { createKpiAdminStore } from "../store/kpi-admin.ts";
import { keptMemberDepartment } from "../store/members.ts";
import { createSourceStore, keptSourceList } from "../store/sources.ts";
import type { Messengers } from "./delivery.ts";

export type Chat = {
  commands: ChatCommands;
  pulses: PulseServices;
  kpi: KpiSnapshotDeps;
};

export function createChat(
  ctx: AppContext,
  options: {
    /** each platform's messenger: pulses, rituals and the digest's channel check post through them */
    messengers?: Messengers;
    /** the KPI use cases' store (default: kpiDeps) */
    kpi?: KpiSnapshotDeps;
    /** tests: another admin store (an ingest token issuer that mints a known token) */
    admin?: KpiAdminStore;
    /** tests: the respondent-key secret itself */
    secret?: Buffer;
  } = {},
): Chat {
  const messengers = options.messengers ?? {};
  const kpi = options.kpi ?? kpiDeps(ctx.db, ctx.clock, ctx.logger, cacheBound(ctx.env));
  const pulses = createPulseServices({
    db: ctx.db,
    clock: ctx.clock,
    logger: ctx.logger,
    env: ctx.env,
    messengers,
    ...(options.secret ? { secret: options.secret } : {}),
  });
  const sources = createSourceStore(ctx.db);
  const freshness = freshnessOf(keptSourceList(ctx.db, sources), ctx.clock);
  const commands = createChatCommands({
    workspace: ctx.workspace,
    logger: ctx.logger,
    kpi,
    admin: options.admin ?? { ...createKpiAdminStore(ctx.db.prisma), memberDepartment: keptMemberDepartment(ctx.db) },
    alerts: createAlertRuleStore(ctx.db),
    subcommands: {
      digest: digestSubcommand({
        subscriptions: createSubscriptionStore(ctx.db.prisma),
        kpi: digestDeps(kpi, ctx.db),
        clock: ctx.clock,
        messenger: routeMessenger(messengers),
        freshness,
      }),
      rituals: ritualsSubcommand(pulses),
      sources: sourcesSubcommand(sources, ctx.clock),
    },
    freshness,
    pulse: pulseVerb(pulses),
  });
  return { commands, pulses, kpi };
}
