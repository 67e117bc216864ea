// The `tandem` command's table: each command loads its module only when it runs. The
// commands that need the platforms' messengers or the whole server get them from here,
// the composition root, so no adapter has to know the others.
import type { CliIo } from "../adapters/cli/io.ts";
import { type CliTable, runCli as run } from "../adapters/cli/run-cli.ts";

const COMMANDS: CliTable = {
  import: {
    usage: "tandem import FILE [--skip-invalid] [--wait SECONDS]",
    summary: "load facts from CSV or NDJSON (all-or-nothing unless --skip-invalid)",
    load: async () => (await import("../adapters/cli/commands/import.ts")).importCommand,
  },
  kpi: {
    usage: "tandem kpi [METRIC] [PERIOD] [--department D] [--json]",
    summary: "the KPI snapshot /kpi answers",
    load: async () => (await import("../adapters/cli/commands/kpi.ts")).kpiCommand,
  },
  digest: {
    usage: "tandem digest preview [PERIOD] [--json] | tandem digest run-due",
    summary: "the weekly alignment digest",
    load: async () =>
      (await import("../adapters/cli/commands/digest.ts")).digestCommand({
        runDueDeps: async (ctx) => {
          const [{ digestRunDeps }, { platformMessenger }] = await Promise.all([
            import("./digest-job.ts"),
            import("./delivery.ts"),
          ]);
          return digestRunDeps(ctx, { messenger: platformMessenger(ctx) });
        },
      }),
  },
  demo: {
    usage: "tandem demo",
    summary: "load the demo data set",
    load: async () => (await import("../adapters/cli/commands/demo.ts")).demoCommand,
  },
  token: {
    usage: "tandem token create NAME | tandem token list | tandem token revoke NAME",
    summary: "ingest API tokens",
    load: async () => (await import("../adapters/cli/commands/token.ts")).tokenCommand,
  },
  config: {
    usage: "tandem config apply FILE | validate FILE | export [--workspace ID]",
    summary: "metrics as code: departments, owners, targets, custom metrics",
    load: async () => (await import("../adapters/cli/commands/config.ts")).configCommand,
  },
  sources: {
    usage: "tandem sources list | tandem sources sync [NAME] [--full]",
    summary: "the configured sources (HubSpot, Stripe, …): list them, sync them now",
    load: async () => {
      const [{ sourcesCommand }, { createSourceReader }] = await Promise.all([
        import("../adapters/cli/commands/sources.ts"),
        import("./sources.ts"),
      ]);
      return sourcesCommand({
        readerFor: (source, workspace) => createSourceReader(source, workspace),
        // a terminal gets one status line, rewritten in place; a pipe or a log gets none
        progress: process.stderr.isTTY ? (line) => process.stderr.write(`\r\x1b[2K${line}`) : undefined,
      });
    },
  },
  serve: {
    usage: "tandem serve",
    summary: "run the bot (what npm start runs)",
    load: async () => (await import("./serve.ts")).serveCommand,
  },
};

export function runCli(argv: string[], io?: CliIo): Promise<number> {
  return run(COMMANDS, argv, io);
}
