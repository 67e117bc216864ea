// `tandem serve` writes every line through its logger (one JSON object a line, LOG_LEVEL
// obeyed), including what it does not write itself: libraries' console.* calls
// (botbuilder prints a stack trace for every token it refuses, Prisma its warnings),
// Node's process warnings, and the last words of a crash.
import { formatWithOptions } from "node:util";
import { EXIT } from "../adapters/cli/run-cli.ts";
import { describeError } from "../core/describe-error.ts";
import type { Logger } from "../core/ports.ts";

const MAX_LINE = 1_000;

/** A library's console arguments as one line: errors by name and message (our own logs carry the stacks that matter). */
function oneLine(parts: unknown[]): string {
  const shown = parts.map((part) => (part instanceof Error ? `${part.name}: ${part.message}` : part));
  const text = formatWithOptions({ breakLength: Number.POSITIVE_INFINITY, compact: true }, ...shown);
  return text.length > MAX_LINE ? `${text.slice(0, MAX_LINE)}…` : text;
}

/**
 * Routes console.*, process warnings and uncaught errors to `logger` for the rest of the
 * process's life. A library's error is its own view of something our code handles and
 * logs (a refused token, say), and can be caused by any caller: it is logged as a warning.
 */
export function logProcessOutput(logger: Logger): void {
  const library =
    (level: "debug" | "warn") =>
    (...parts: unknown[]) =>
      logger[level](oneLine(parts), { source: "console" });
  console.error = library("warn");
  console.warn = library("warn");
  console.log = library("debug");
  console.info = library("debug");
  console.debug = library("debug");
  console.trace = library("debug");

  // Node's own printer of warnings writes plain text
  process.removeAllListeners("warning");
  process.on("warning", (warning) => logger.warn("process warning", { name: warning.name, warning: warning.message }));

  const crash = (what: string) => (error: unknown) => {
    logger.error(what, { error: describeError(error) });
    process.exit(EXIT.internal);
  };
  process.on("uncaughtException", crash("uncaught exception"));
  process.on("unhandledRejection", crash("unhandled promise rejection"));
}
