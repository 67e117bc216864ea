// Pulses and rituals wired to the store, for every surface: the services, the `pulse …`
// and `/kpi rituals` verbs, the scheduler's tick, and what the digest runner calls after
// a post. The `/pulse` words are in pulse-text.ts.
import { createRespondentKeyer } from "../core/crypto/respondent-key.ts";
import type { Messenger } from "../core/delivery/ports.ts";
import { PROMPT_RETRY_POLICY, type RetryPolicy, withRetries } from "../core/delivery/retries.ts";
import { buildCatalog } from "../core/kpi/catalog.ts";
import { commandPrefix, type Platform } from "../core/platform.ts";
import type { Clock, Logger } from "../core/ports.ts";
import type { PulseDeps } from "../core/pulse/ports.ts";
import { type PulseTick, runDuePulses } from "../core/pulse/run-due-pulses.ts";
import { listRituals } from "../core/rituals/list-rituals.ts";
import { type OpenRitualsRequest, openRitualsForDigest } from "../core/rituals/open-rituals.ts";
import type { RitualDeps } from "../core/rituals/ports.ts";
import type { Database } from "../store/database.ts";
import { createKpiSettingsSource } from "../store/kpi-settings.ts";
import { dataDirFor, loadRespondentSecret } from "../store/pulse-key.ts";
import { createPulseStore } from "../store/pulses.ts";
import { createRitualStore } from "../store/rituals.ts";
import type { ChatVerb } from "./chat/types.ts";
import { handlePulseText } from "./pulse-text.ts";

export type PulseServices = {
  pulses: PulseDeps;
  rituals: RitualDeps;
  /** metric key → display name, from the workspace's catalog */
  metricName(workspaceId: number, key: string): Promise<string>;
  /** where the respondent-key secret came from (for the start-up log; never the secret) */
  keySource: string;
};

export function createPulseServices(deps: {
  db: Database;
  clock: Clock;
  logger: Logger;
  env: { DATABASE_URL: string; TANDEM_ENCRYPTION_KEY?: string | undefined };
  /** each platform's messenger (the composition root's); a platform without one posts nothing */
  messengers?: Partial<Record<Platform, Messenger>>;
  /** how posts are retried (default: briefly, someone is often waiting on them) */
  retry?: RetryPolicy;
  /** tests: the respondent-key secret itself */
  secret?: Buffer;
}): PulseServices {
  const loaded = deps.secret
    ? { secret: deps.secret, source: "given" as const }
    : loadRespondentSecret({
        encryptionKey: deps.env.TANDEM_ENCRYPTION_KEY,
        dataDir: dataDirFor(deps.env.DATABASE_URL),
      });
  const keyer = createRespondentKeyer(loaded.secret);
  const retrying = ([platform, messenger]: [string, Messenger]) => [
    platform,
    withRetries(messenger, deps.retry ?? PROMPT_RETRY_POLICY, (error, waitMs, operation) =>
      deps.logger.warn("pulse delivery failed; retrying", { platform, operation, status: error.status, waitMs }),
    ),
  ];
  const messengers: Partial<Record<Platform, Messenger>> = Object.fromEntries(
    Object.entries(deps.messengers ?? {}).map(retrying),
  );
  const settings = createKpiSettingsSource(deps.db.prisma);
  return {
    pulses: { store: createPulseStore(deps.db), keyer, clock: deps.clock, logger: deps.logger, messengers },
    rituals: { store: createRitualStore(deps.db), keyer, clock: deps.clock, logger: deps.logger, messengers },
    async metricName(workspaceId, key) {
      return buildCatalog(await settings.load(workspaceId)).get(key)?.name ?? key;
    },
    keySource: "file" in loaded && loaded.file ? `key file ${loaded.file}` : loaded.source,
  };
}

/** `pulse …` (and Slack's `/pulse …`) as a chat verb. */
export function pulseVerb(services: PulseServices): ChatVerb {
  return ({ workspace, caller, args }) =>
    handlePulseText(
      args,
      {
        workspace,
        platform: caller.platform,
        userId: caller.userId,
        channelId: caller.channelId ?? "",
        isAdmin: caller.isAdmin,
      },
      services.pulses,
      { prefix: commandPrefix(caller.platform, "pulse") },
    );
}

/** `/kpi rituals`: the workspace's open and decided rituals. */
export function ritualsSubcommand(services: PulseServices): ChatVerb {
  return async ({ workspace }) => {
    const names = new Map<string, string>();
    const rituals = await services.rituals.store.list(workspace.id, 30);
    for (const key of new Set(rituals.map((r) => r.metricKey)))
      names.set(key, await services.metricName(workspace.id, key));
    return listRituals(services.rituals, {
      workspaceId: workspace.id,
      zone: workspace.timezone,
      nameOf: (key) => names.get(key) ?? key,
    });
  };
}

/** What the digest runner calls after posting a digest (Slack or Teams). */
export function openRituals(services: PulseServices, request: OpenRitualsRequest) {
  return openRitualsForDigest(services.rituals, request);
}

/** The scheduler's pulse job: `scheduler.add("pulses", pulseJob(services))`. */
export function pulseJob(services: PulseServices): () => Promise<PulseTick> {
  return () => runDuePulses(services.pulses);
}
