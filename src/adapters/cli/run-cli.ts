// `tandem <command>`: dispatch to one command module each. The table of commands is the
// composition root's (src/main/cli.ts); commands load lazily so `tandem kpi` does not pay
// for Bolt and botbuilder.
import { describeError } from "../../core/describe-error.ts";
import { isAppError } from "../../core/errors.ts";
import { type CliCommand, type CliIo, processIo } from "./io.ts";

export type CliTable = Record<string, { usage: string; summary: string; load: () => Promise<CliCommand> }>;

export function usage(commands: CliTable): string {
  const width = Math.max(...Object.values(commands).map((command) => command.usage.length));
  return [
    "Tandem: shared KPIs for marketing, sales and product.",
    "",
    "Usage:",
    ...Object.values(commands).map((command) => `  ${command.usage.padEnd(width)}  ${command.summary}`),
  ].join("\n");
}

export async function runCli(commands: CliTable, argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    io.out(usage(commands));
    return name === undefined ? 1 : 0;
  }
  const entry = commands[name];
  if (entry === undefined) {
    io.err(`tandem: unknown command ${JSON.stringify(name)}\n\n${usage(commands)}`);
    return 2;
  }
  try {
    const command = await entry.load();
    return await command.run(rest, io);
  } catch (error) {
    return reportError(error, io);
  }
}

/** Exit codes (README, "Command line"): 1 bad input or set-up, 70 a bug, 75 busy: try again later. */
export const EXIT = { input: 1, internal: 70, tempFail: 75 } as const;

export function reportError(error: unknown, io: CliIo): number {
  if (isAppError(error)) {
    io.err(`tandem: ${error.message}`);
    if (error.code === "internal") return EXIT.internal;
    return error.code === "unavailable" ? EXIT.tempFail : EXIT.input;
  }
  io.err(`tandem: unexpected error: ${describeError(error)}`);
  return EXIT.internal;
}
