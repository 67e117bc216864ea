// The chat surfaces Tandem answers on. "local" is the console of `tandem serve` in local
// mode (and the CLI): it answers commands but is nowhere to post proactively.
export type Platform = "slack" | "teams" | "local";

/** The platforms whose channels Tandem posts in (digests, pulses, rituals). */
export type ChatPlatform = Exclude<Platform, "local">;

export const PLATFORMS: readonly Platform[] = ["slack", "teams", "local"];

export function isPlatform(value: string): value is Platform {
  return (PLATFORMS as readonly string[]).includes(value);
}

/** A platform name read back from storage; an unknown one is a bug or a newer Tandem's row. */
export function asPlatform(value: string): Platform {
  if (!isPlatform(value)) throw new Error(`unknown chat platform ${JSON.stringify(value)}`);
  return value;
}

/**
 * A command as people type it on the platform: Slack's slash commands (`/kpi`, `/pulse`)
 * and the console's imitation of them; in Teams the bare words, as typed to the bot.
 */
export function commandPrefix(platform: Platform): "kpi" | "/kpi";
export function commandPrefix<C extends "kpi" | "pulse">(platform: Platform, command: C): C | `/${C}`;
export function commandPrefix(platform: Platform, command: "kpi" | "pulse" = "kpi"): string {
  return platform === "teams" ? command : `/${command}`;
}
