// `tandem <command>`: dispatch to one command module each (src/adapters/cli/commands).
import { AppError, isAppError } from "../../core/errors.ts";
import { type CliCommand, type CliIo, processIo } from "./io.ts";

// Commands are loaded lazily so `tandem kpi` does not pay for Bolt and botbuilder.
const COMMANDS: Record<string, { usage: string; summary: string; load: () => Promise<CliCommand> }> = {
  import: {
    usage: "tandem import FILE [--skip-invalid] [--wait SECONDS]",
    summary: "load facts from CSV or NDJSON (all-or-nothing unless --skip-invalid)",
    load: async () => (await import("./commands/import.ts")).importCommand,
  },
  kpi: {
    usage: "tandem kpi [METRIC] [PERIOD] [--department D] [--json]",
    summary: "the KPI snapshot /kpi answers",
    load: async () => (await import("./commands/kpi.ts")).kpiCommand,
  },
  digest: {
    usage: "tandem digest preview [PERIOD] [--json] | tandem digest run-due",
    summary: "the weekly alignment digest",
    load: async () => (await import("./commands/digest.ts")).digestCommand,
  },
  demo: {
    usage: "tandem demo",
    summary: "load the demo data set",
    load: async () => (await import("./commands/demo.ts")).demoCommand,
  },
  token: {
    usage: "tandem token create NAME | tandem token list | tandem token revoke NAME",
    summary: "ingest API tokens",
    load: async () => (await import("./commands/token.ts")).tokenCommand,
  },
  config: {
    usage: "tandem config apply FILE | validate FILE | export [--workspace ID]",
    summary: "metrics as code: departments, owners, targets, custom metrics",
    load: async () => (await import("./commands/config.ts")).configCommand,
  },
  serve: {
    usage: "tandem serve",
    summary: "run the bot (what npm start runs)",
    load: async () => (await import("./commands/serve.ts")).serveCommand,
  },
};

export function usage(): string {
  const width = Math.max(...Object.values(COMMANDS).map((command) => command.usage.length));
  return [
    "Tandem: shared KPIs for marketing, sales and product.",
    "",
    "Usage:",
    ...Object.values(COMMANDS).map((command) => `  ${command.usage.padEnd(width)}  ${command.summary}`),
  ].join("\n");
}

export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    io.out(usage());
    return name === undefined ? 1 : 0;
  }
  const entry = COMMANDS[name];
  if (entry === undefined) {
    io.err(`tandem: unknown command ${JSON.stringify(name)}\n\n${usage()}`);
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
  io.err(`tandem: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return EXIT.internal;
}

export { AppError };
