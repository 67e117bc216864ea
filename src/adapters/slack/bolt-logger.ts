// Bolt and its Web API client log through this, so their lines land in the same
// structured log as everything else.
import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { Logger } from "../../core/ports.ts";

function text(parts: unknown[]): string {
  return parts
    .map((part) => (part instanceof Error ? part.message : typeof part === "string" ? part : String(part)))
    .join(" ");
}

export function toBoltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  return {
    debug: (...parts) => logger.debug(text(parts), { source: "bolt" }),
    info: (...parts) => logger.info(text(parts), { source: "bolt" }),
    warn: (...parts) => logger.warn(text(parts), { source: "bolt" }),
    error: (...parts) => logger.error(text(parts), { source: "bolt" }),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
