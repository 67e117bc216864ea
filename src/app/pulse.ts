// Pulses and rituals wired to the store, for every surface: the services, a click on a
// choice, the `/kpi rituals` subcommand, the scheduler's tick, and what the digest runner
// calls after a post. The `/pulse` words are in pulse-text.ts.
import { createRespondentKeyer } from "../core/crypto/respondent-key.ts";
import { buildCatalog } from "../core/kpi/catalog.ts";
import type { Message } from "../core/messages/model.ts";
import type { Clock, Logger } from "../core/ports.ts";
import { parsePulseChoiceId } from "../core/pulse/messages.ts";
import type { PulseDeps, PulseMessenger } from "../core/pulse/ports.ts";
import { recordAnswer } from "../core/pulse/record-answer.ts";
import { type PulseTick, runDuePulses } from "../core/pulse/run-due-pulses.ts";
import { listRituals } from "../core/rituals/list-rituals.ts";
import { parseRitualChoiceId } from "../core/rituals/messages.ts";
import { type OpenRitualsRequest, openRitualsForDigest } from "../core/rituals/open-rituals.ts";
import type { RitualDeps } from "../core/rituals/ports.ts";
import { voteWhy } from "../core/rituals/vote-why.ts";
import type { Database } from "../store/database.ts";
import { createKpiSettingsSource } from "../store/kpi-settings.ts";
import { dataDirFor, loadRespondentSecret } from "../store/pulse-key.ts";
import { createPulseStore } from "../store/pulses.ts";
import { createRitualStore } from "../store/rituals.ts";
import type { KpiSubcommand } from "./answer-kpi-command.ts";

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
  /** proactive messengers by platform (the scheduler's and the digest's): slack, teams */
  messengers?: Partial<Record<string, PulseMessenger>>;
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
  const messengers = deps.messengers ?? {};
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

/** The same services with this request's messenger for one platform (Slack's listener client). */
export function withMessenger(services: PulseServices, platform: string, messenger: PulseMessenger): PulseServices {
  const messengers = { ...services.pulses.messengers, [platform]: messenger };
  return {
    ...services,
    pulses: { ...services.pulses, messengers },
    rituals: { ...services.rituals, messengers },
  };
}

/** `/kpi rituals` (KpiSubcommand for answer-kpi-command's `subcommands`). */
export function ritualsSubcommand(services: PulseServices): KpiSubcommand {
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

/**
 * A click on a pulse's or a ritual's choices, on any platform (Teams routes its
 * Action.Execute verb here; Slack's listeners call the same use cases). Returns the
 * private reply, and the pulse whose public count should be refreshed, if any.
 */
export async function handleChoice(
  services: PulseServices,
  click: { choiceId: string; value: string; platform: string; userId: string },
): Promise<{ message: Message; refreshPulseId: number | null } | null> {
  const pulseIds = parsePulseChoiceId(click.choiceId);
  if (pulseIds) {
    const outcome = await recordAnswer(services.pulses, {
      ...pulseIds,
      platform: click.platform,
      userId: click.userId,
      value: click.value,
    });
    const changed = outcome.status === "recorded" && outcome.change !== "same";
    return { message: outcome.message, refreshPulseId: changed ? pulseIds.pulseId : null };
  }
  const ritualId = parseRitualChoiceId(click.choiceId);
  if (ritualId !== null) {
    const { message } = await voteWhy(services.rituals, {
      ritualId,
      platform: click.platform,
      userId: click.userId,
      reason: click.value,
    });
    return { message, refreshPulseId: null };
  }
  return null;
}

export { chatPulseFeature, handlePulseText, type PulseCaller } from "./pulse-text.ts";
