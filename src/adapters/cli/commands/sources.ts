// `tandem sources list` and `tandem sources sync [NAME] [--full]` (SOURCES.md):
// list each source's kind, freshness, last failure and facts; sync the named source
// (or every one), one line per failure, exit 1 when any failed. On a terminal a
// progress line shows records read, facts written and the rate.
import { hostname } from "node:os";
import { parseArgs } from "node:util";
import { type AppContext, chosenWorkspace, openContext } from "../../../app/context.ts";
import { suggestion } from "../../../config/metrics-config-checks.ts";
import { formatEvery } from "../../../config/sources-config.ts";
import { errorText } from "../../../core/describe-error.ts";
import { AppError, ErrorCode } from "../../../core/errors.ts";
import type { SourceState } from "../../../core/sources/ports.ts";
import type { SourceReader } from "../../../core/sources/reader.ts";
import { type SyncProgress, type SyncReport, syncSource } from "../../../core/sources/sync-source.ts";
import { loadKpiSettings } from "../../../store/kpi-settings.ts";
import { createSourceStore } from "../../../store/sources.ts";
import type { WorkspaceRow } from "../../../store/workspaces.ts";
import type { CliCommand, CliIo } from "../io.ts";

const USAGE = "tandem sources list | tandem sources sync [NAME] [--full] [--workspace ID]";
const MAX_SKIPS_SHOWN = 20;
const PROGRESS_EVERY_MS = 250;

export type SourcesCliDeps = {
  /** the reader for a source (src/main/sources.ts knows every kind's) */
  readerFor(source: SourceState, workspace: { timezone: string; currency: string }): SourceReader;
  /** a status line that replaces the previous one (a terminal's stderr), or none */
  progress?: ((line: string) => void) | undefined;
};

type Args = { verb: string; name: string | undefined; full: boolean; workspace: string | undefined };

function parseSourcesArgs(args: string[]): Args {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { full: { type: "boolean", default: false }, workspace: { type: "string" } },
      allowPositionals: true,
      strict: true,
    });
    const [verb, name, extra] = positionals;
    if (verb !== "list" && verb !== "sync")
      throw new Error(verb === undefined ? "list or sync?" : `unknown verb ${verb}`);
    if (verb === "list" && (name !== undefined || values.full)) throw new Error("list takes no source name or --full");
    if (extra !== undefined) throw new Error("one source at a time (or none for all)");
    return { verb, name, full: values.full ?? false, workspace: values.workspace };
  } catch (error) {
    throw new AppError(ErrorCode.InvalidInput, `${errorText(error)}\nusage: ${USAGE}`);
  }
}

export function sourcesCommand(deps: SourcesCliDeps): CliCommand {
  return {
    name: "sources",
    usage: USAGE,
    summary: "the configured sources: list them, sync them",
    async run(args, io) {
      const options = parseSourcesArgs(args);
      const ctx = await openContext();
      try {
        const workspace = await chosenWorkspace(ctx, options.workspace);
        const sources = await createSourceStore(ctx.db).list(workspace.id);
        if (sources.length === 0) {
          io.out(
            "no sources configured: declare them under `sources:` in tandem.config.yaml and apply it (docs/sources.md)",
          );
          return 0;
        }
        if (options.verb === "list") {
          for (const line of listLines(sources, ctx.clock.now())) io.out(line);
          return 0;
        }
        return await sync(ctx, workspace, sources, options, deps, io);
      } finally {
        await ctx.close();
      }
    },
  };
}

async function sync(
  ctx: AppContext,
  workspace: WorkspaceRow,
  sources: SourceState[],
  options: Args,
  deps: SourcesCliDeps,
  io: CliIo,
): Promise<number> {
  const chosen = options.name === undefined ? sources : sources.filter((source) => source.name === options.name);
  if (chosen.length === 0) {
    const names = sources.map((source) => source.name);
    const close = suggestion(options.name ?? "", names);
    io.err(
      `no source named ${options.name}${close ? ` (did you mean ${close}?)` : ""}; configured: ${names.join(", ")}`,
    );
    return 1;
  }
  const { currency } = await loadKpiSettings(ctx.db.prisma, workspace.id);
  const store = createSourceStore(ctx.db);
  const holder = `${hostname()}:${process.pid}`;
  let failed = 0;
  for (const source of chosen) {
    const progress = deps.progress;
    let lastShown = -PROGRESS_EVERY_MS;
    try {
      const reader = deps.readerFor(source, { timezone: workspace.timezone, currency });
      const report = await syncSource(
        source,
        { full: options.full },
        {
          store,
          reader,
          clock: ctx.clock,
          holder,
          ...(progress
            ? {
                onProgress: (p: SyncProgress) => {
                  if (p.elapsedMs - lastShown < PROGRESS_EVERY_MS) return;
                  lastShown = p.elapsedMs;
                  progress(progressLine(source.name, p));
                },
              }
            : {}),
        },
      );
      progress?.("");
      for (const line of reportLines(report)) io.out(line);
    } catch (error) {
      progress?.("");
      failed++;
      io.err(`${source.name}: sync failed: ${errorText(error)}`);
    }
  }
  return failed === 0 ? 0 : 1;
}

const count = (n: number) => n.toLocaleString("en-US");

export function progressLine(name: string, p: SyncProgress): string {
  const rate = p.elapsedMs > 0 ? Math.round((p.records * 1000) / p.elapsedMs) : 0;
  return `${name}: ${count(p.records)} records read, ${count(p.written)} facts written, ${count(rate)} records/s`;
}

function reportLines(report: SyncReport): string[] {
  const parts = [
    `${count(report.records)} records read`,
    `${count(report.written)} facts written`,
    `${count(report.removed)} removed`,
  ];
  if (report.skippedCount > 0) parts.push(`${count(report.skippedCount)} skipped`);
  if (report.conflicts > 0)
    parts.push(`${count(report.conflicts)} not written: their external_id is already used by facts from elsewhere`);
  const lines = [`${report.source}: synced${report.full ? " in full" : ""}: ${parts.join(", ")}`];
  for (const skip of report.skipped.slice(0, MAX_SKIPS_SHOWN)) lines.push(`  skipped ${skip.key}: ${skip.reason}`);
  if (report.skippedCount > MAX_SKIPS_SHOWN)
    lines.push(`  … and ${count(report.skippedCount - MAX_SKIPS_SHOWN)} more skipped`);
  return lines;
}

function when(date: Date | null, now: Date): string {
  if (date === null) return "never";
  const minutes = Math.round((now.getTime() - date.getTime()) / 60_000);
  const ago = minutes < 1 ? "just now" : minutes < 120 ? `${minutes} min ago` : `${Math.round(minutes / 60)} h ago`;
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC (${ago})`;
}

export function listLines(sources: SourceState[], now: Date): string[] {
  return sources.flatMap((source) => {
    const lines = [
      `${source.name} (${source.kind}, every ${formatEvery(source.everyMs)}): last success ${when(source.lastSuccessAt, now)}, ${count(source.factsOwned)} facts`,
    ];
    const failing =
      source.lastFailureAt !== null &&
      (source.lastSuccessAt === null || source.lastFailureAt.getTime() > source.lastSuccessAt.getTime());
    if (source.lastFailureAt !== null)
      lines.push(
        `  ${failing ? "failing: last attempt" : "last failure"} ${when(source.lastFailureAt, now)}: ${source.lastFailure ?? "unknown"}`,
      );
    return lines;
  });
}
