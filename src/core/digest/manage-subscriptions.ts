// `/kpi digest subscribe|unsubscribe|list|preview`: a channel's digest subscription,
// from any surface. The grammar is platform-free; the caller says who and where.
import { DateTime } from "luxon";
import type { Messenger } from "../delivery/ports.ts";
import { AppError, ErrorCode } from "../errors.ts";
import type { KpiSnapshotDeps } from "../kpi/get-kpi-snapshot.ts";
import { looksLikePeriod } from "../kpi/period-words.ts";
import { type Block, clip, LIMITS, type Message, makeMessage } from "../messages/model.ts";
import { commandPrefix, type Platform } from "../platform.ts";
import type { Clock } from "../ports.ts";
import { type FreshnessOf, withFreshness } from "../sources/freshness.ts";
import { buildDigest, digestMessage } from "./build-digest.ts";
import type { DigestPlatform, DigestSubscription, SubscriptionSpec, SubscriptionStore } from "./ports.ts";
import { type Cadence, nextDueAt } from "./schedule.ts";

export type DigestCaller = {
  platform: Platform;
  userId: string;
  /** the channel the command was typed in; null where there is none (the CLI) */
  channelId: string | null;
  workspaceId: number;
  /** the workspace's zone: the default for a schedule, and the zone of the digest's periods */
  zone: string;
};

export type DigestCommandDeps = {
  subscriptions: SubscriptionStore;
  kpi: KpiSnapshotDeps;
  clock: Clock;
  /** when given, subscribe checks that the bot may post in the channel */
  messenger?: Pick<Messenger, "canPost">;
  /** "data as of …" under a preview when the workspace has sources */
  freshness?: FreshnessOf;
};

export const DIGEST_USAGE =
  "digest subscribe [weekly|biweekly|monthly] [DAY] [HH:MM] [ZONE] | unsubscribe | list | preview [PERIOD]";

const DAYS: Record<string, number> = {
  monday: 1,
  mon: 1,
  tuesday: 2,
  tue: 2,
  tues: 2,
  wednesday: 3,
  wed: 3,
  thursday: 4,
  thu: 4,
  thur: 4,
  thurs: 4,
  friday: 5,
  fri: 5,
  saturday: 6,
  sat: 6,
  sunday: 7,
  sun: 7,
};
const DAY_NAMES = ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const CADENCE_WORDS: Record<string, Cadence> = {
  weekly: "weekly",
  biweekly: "biweekly",
  "bi-weekly": "biweekly",
  fortnightly: "biweekly",
  monthly: "monthly",
};

export const DEFAULT_SUBSCRIPTION: Omit<SubscriptionSpec, "timezone"> = {
  cadence: "weekly",
  dayOfWeek: 1,
  time: "09:00",
};

function invalid(message: string): AppError {
  return new AppError(ErrorCode.InvalidInput, message);
}

function isZone(text: string): boolean {
  return DateTime.now().setZone(text).isValid;
}

/** `subscribe` arguments in any order; absent ones take the defaults (weekly, Monday, 09:00, the workspace zone). */
export function parseSubscription(words: readonly string[], defaultZone: string): SubscriptionSpec {
  const spec: SubscriptionSpec = { ...DEFAULT_SUBSCRIPTION, timezone: defaultZone };
  const seen = new Set<string>();
  const once = (what: string, token: string) => {
    if (seen.has(what)) throw invalid(`Give one ${what}, not two (“${token}”).`);
    seen.add(what);
  };
  for (const token of words) {
    const word = token.toLowerCase().replace(/s$/, "");
    const cadence = CADENCE_WORDS[token.toLowerCase()];
    const day = DAYS[word] ?? DAYS[token.toLowerCase()];
    const time = /^(\d{1,2}):(\d{2})$/.exec(token);
    if (cadence) {
      once("cadence", token);
      spec.cadence = cadence;
    } else if (day) {
      once("day", token);
      spec.dayOfWeek = day;
    } else if (time) {
      const hour = Number(time[1]);
      const minute = Number(time[2]);
      if (hour > 23 || minute > 59)
        throw invalid(`${token} is not a time of day; write it as HH:MM, 24 h (09:00, 16:30).`);
      once("time", token);
      spec.time = `${String(hour).padStart(2, "0")}:${time[2]}`;
    } else if (token.includes("/") || /^utc$/i.test(token) || /^gmt$/i.test(token)) {
      if (!isZone(token))
        throw invalid(
          `I don't know the time zone “${token}”. Use an IANA name such as Europe/Berlin or America/New_York.`,
        );
      once("time zone", token);
      spec.timezone = /^(utc|gmt)$/i.test(token) ? "UTC" : (DateTime.now().setZone(token).zoneName ?? token);
    } else {
      throw invalid(
        `I don't understand “${token}”. Use: ${DIGEST_USAGE.split(" | ")[0]}, e.g. \`digest subscribe weekly Monday 09:00 Europe/Berlin\`.`,
      );
    }
  }
  if (!isZone(spec.timezone)) throw invalid(`The workspace's time zone “${spec.timezone}” is not valid; name one.`);
  return spec;
}

/** "every Monday at 09:00 (Europe/Berlin)", "every other Monday …", "on the first Monday of each month …" */
export function describeSchedule(spec: SubscriptionSpec): string {
  const day = DAY_NAMES[spec.dayOfWeek] ?? `day ${spec.dayOfWeek}`;
  const when =
    spec.cadence === "weekly"
      ? `every ${day}`
      : spec.cadence === "biweekly"
        ? `every other ${day}`
        : `on the first ${day} of each month`;
  return `${when} at ${spec.time} (${spec.timezone})`;
}

function nextRun(spec: SubscriptionSpec, anchor: Date, now: Date): string {
  const next = nextDueAt({ ...spec, anchorMs: anchor.getTime() }, now);
  return DateTime.fromJSDate(next, { zone: spec.timezone }).setLocale("en-US").toFormat("ccc d LLL yyyy, HH:mm");
}

const section = (text: string): Block => ({ type: "section", text: clip(text, LIMITS.textChars) });
const context = (text: string): Block => ({ type: "context", text: clip(text, LIMITS.textChars) });
const privately = (blocks: Block[]) => makeMessage(blocks, { visibility: "private" });

function chatPlatform(caller: DigestCaller): { platform: DigestPlatform; channelId: string } {
  if ((caller.platform !== "slack" && caller.platform !== "teams") || !caller.channelId) {
    throw invalid("Digests are posted in Slack or Teams channels: subscribe from the channel that should get it.");
  }
  return { platform: caller.platform, channelId: caller.channelId };
}

export async function subscribeDigest(
  deps: DigestCommandDeps,
  caller: DigestCaller,
  words: readonly string[],
): Promise<Message> {
  const { platform, channelId } = chatPlatform(caller);
  const spec = parseSubscription(words, caller.zone);
  const now = deps.clock.now();
  const { previous } = await deps.subscriptions.subscribe({
    workspaceId: caller.workspaceId,
    platform,
    channelId,
    userId: caller.userId,
    spec,
    now,
  });
  const prefix = commandPrefix(platform);
  const blocks: Block[] = [
    section(
      `Subscribed: this channel gets the alignment digest ${describeSchedule(spec)}; the next one is due ${nextRun(spec, now, now)}.` +
        (previous ? ` (It was ${describeSchedule(previous)}.)` : ""),
    ),
    context(
      `Each one covers the last complete ${spec.cadence === "monthly" ? "month" : "week"}. ` +
        `\`${prefix} digest preview\` shows it now, privately; \`${prefix} digest unsubscribe\` stops it. ` +
        "If a digest cannot be posted, you'll get a direct message.",
    ),
  ];
  const access = deps.messenger?.canPost
    ? await deps.messenger.canPost({ platform, workspaceId: caller.workspaceId, channelId })
    : { ok: true as const };
  if (!access.ok) blocks.unshift(section(`*I can't post in this channel yet.* ${access.hint}`));
  return privately(blocks);
}

export async function unsubscribeDigest(deps: DigestCommandDeps, caller: DigestCaller): Promise<Message> {
  const { platform, channelId } = chatPlatform(caller);
  const removed = await deps.subscriptions.unsubscribe({
    workspaceId: caller.workspaceId,
    platform,
    channelId,
    userId: caller.userId,
  });
  const prefix = commandPrefix(platform);
  return privately([
    section(
      removed
        ? "Unsubscribed: this channel won't get the alignment digest any more."
        : `This channel has no digest subscription. \`${prefix} digest subscribe\` starts one.`,
    ),
  ]);
}

const LIST_MAX = 30;

export async function listDigests(deps: DigestCommandDeps, caller: DigestCaller): Promise<Message> {
  const subscriptions = await deps.subscriptions.list(caller.workspaceId);
  const prefix = commandPrefix(caller.platform);
  if (subscriptions.length === 0) {
    return privately([
      section(
        `No channel gets the alignment digest yet. \`${prefix} digest subscribe\` in a channel starts one there.`,
      ),
    ]);
  }
  const now = deps.clock.now();
  const line = (s: DigestSubscription) =>
    `• ${s.platform === caller.platform && s.channelId === caller.channelId ? "*this channel*" : `${s.platform} channel ${s.channelId}`}: ` +
    `${describeSchedule(s)}, next ${nextRun(s, s.createdAt, now)} · subscribed by ${s.createdBy}`;
  const shown = subscriptions.slice(0, LIST_MAX).map(line);
  const blocks: Block[] = [section(`*Alignment digests* (${subscriptions.length})\n${shown.join("\n")}`)];
  if (subscriptions.length > shown.length) blocks.push(context(`…and ${subscriptions.length - shown.length} more.`));
  return privately(blocks);
}

export async function previewDigest(
  deps: DigestCommandDeps,
  caller: DigestCaller,
  words: readonly string[],
): Promise<Message> {
  const period = words.length === 0 ? null : words.join(" ");
  if (period !== null && !looksLikePeriod(period)) {
    throw invalid(
      `That is not a period: \`digest preview [PERIOD]\` takes one such as last week, 2026-W38, 2026-09 or month.`,
    );
  }
  const digest = await buildDigest(deps.kpi, { workspaceId: caller.workspaceId, zone: caller.zone, period });
  const prefix = commandPrefix(caller.platform);
  const message = withFreshness(
    digestMessage(digest, { prefix }),
    (await deps.freshness?.(caller.workspaceId)) ?? null,
    { nowMs: deps.clock.now().getTime(), zone: caller.zone, prefix },
  );
  return makeMessage(message.blocks, { visibility: "private" });
}

function helpMessage(caller: DigestCaller): Message {
  const prefix = commandPrefix(caller.platform);
  return privately([
    section(
      [
        `\`${prefix} digest subscribe [weekly|biweekly|monthly] [DAY] [HH:MM] [ZONE]\`: this channel gets the alignment digest (default: weekly, Monday 09:00, ${caller.zone})`,
        `\`${prefix} digest unsubscribe\`: stop it here`,
        `\`${prefix} digest list\`: every channel's digest`,
        `\`${prefix} digest preview [PERIOD]\`: the digest now, only to you (default: the last complete week)`,
      ].join("\n"),
    ),
  ]);
}

/** `digest …` words (after "digest") → the answer, private to the caller. */
export async function handleDigestCommand(
  words: readonly string[],
  caller: DigestCaller,
  deps: DigestCommandDeps,
): Promise<Message> {
  const tokens = words.flatMap((word) => word.trim().split(/\s+/)).filter((token) => token !== "");
  const [verb = "", ...rest] = tokens;
  switch (verb.toLowerCase()) {
    case "subscribe":
      return subscribeDigest(deps, caller, rest);
    case "unsubscribe":
    case "stop":
      if (rest.length > 0) throw invalid("`digest unsubscribe` takes nothing after it.");
      return unsubscribeDigest(deps, caller);
    case "list":
      return listDigests(deps, caller);
    case "preview":
      return previewDigest(deps, caller, rest);
    case "":
    case "help":
      return helpMessage(caller);
    default:
      throw invalid(`I don't know \`digest ${verb}\`. Use ${DIGEST_USAGE}.`);
  }
}
