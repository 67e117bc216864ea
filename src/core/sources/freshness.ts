// How fresh a workspace's synced numbers are: per source ok / stale / failing, and the
// "data as of" instant answers and digests print (docs/sources.md, "Freshness").
import { DateTime } from "luxon";
import { appendBlocks, type Message } from "../messages/model.ts";
import { isFailing } from "./failure-notice.ts";
import type { SourceState } from "./ports.ts";

export type SourceHealth = "ok" | "stale" | "failing" | "never synced";

/** A source is stale after two intervals without a success (SOURCES.md). */
export const STALE_INTERVALS = 2;

export function sourceHealth(
  source: Pick<SourceState, "everyMs" | "lastSuccessAt" | "lastFailureAt">,
  nowMs: number,
): SourceHealth {
  if (isFailing(source)) return "failing";
  const success = source.lastSuccessAt?.getTime() ?? null;
  if (success === null) return "never synced";
  return nowMs - success > STALE_INTERVALS * source.everyMs ? "stale" : "ok";
}

export type Freshness = {
  /** the oldest last success among the sources: every synced number is at least this fresh */
  asOf: Date | null;
  /** sources whose numbers may be old, with why */
  warnings: { name: string; health: Exclude<SourceHealth, "ok"> }[];
};

/** Null when the workspace has no sources: answers then say nothing about freshness. */
export function workspaceFreshness(sources: SourceState[], nowMs: number): Freshness | null {
  if (sources.length === 0) return null;
  const successes = sources.map((source) => source.lastSuccessAt?.getTime() ?? null);
  const asOf = successes.includes(null) ? null : new Date(Math.min(...(successes as number[])));
  const warnings = sources.flatMap((source) => {
    const health = sourceHealth(source, nowMs);
    return health === "ok" ? [] : [{ name: source.name, health }];
  });
  return { asOf, warnings };
}

/** "12 min ago", "3 h ago", "2 days ago": how people say an age in chat. */
export function ageWords(fromMs: number, nowMs: number): string {
  const minutes = Math.max(0, Math.round((nowMs - fromMs) / 60_000));
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

/** "2026-12-02 09:15 Europe/Berlin": an instant as the workspace reads it. */
export function instantWords(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toFormat("yyyy-MM-dd HH:mm ZZZZ");
}

/** The line under an answer: "Data as of …", and a warning where numbers may be old. */
export function freshnessLine(freshness: Freshness, nowMs: number, zone: string, prefix: string): string {
  const asOf = freshness.asOf
    ? `Data as of ${instantWords(freshness.asOf, zone)} (${ageWords(freshness.asOf.getTime(), nowMs)})`
    : "Some sources have not synced yet";
  if (freshness.warnings.length === 0) return asOf;
  const warning = freshness.warnings.map(({ name, health }) => `${name} ${health}`).join(", ");
  return `⚠️ ${asOf}. Numbers may be old: ${warning} — see \`${prefix} sources\`.`;
}

/** Adds the "data as of" line to an answer or digest when the workspace has sources. */
export function withFreshness(
  message: Message,
  freshness: Freshness | null,
  options: { nowMs: number; zone: string; prefix: string },
): Message {
  if (!freshness) return message;
  return appendBlocks(message, [
    { type: "context", text: freshnessLine(freshness, options.nowMs, options.zone, options.prefix) },
  ]);
}

/** How fresh a workspace's synced numbers are (null without sources): what answers and digests ask. */
export type FreshnessOf = (workspaceId: number) => Promise<Freshness | null>;
