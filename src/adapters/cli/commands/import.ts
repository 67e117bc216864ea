// `tandem import FILE [--skip-invalid]`: load facts from CSV, NDJSON or a JSON
// document. All-or-nothing unless --skip-invalid; every bad row is named on stderr.
import { constants } from "node:fs";
import { access, open, stat } from "node:fs/promises";
import { chosenWorkspace, openContext } from "../../../app/context.ts";
import { AppError, ErrorCode, isAppError } from "../../../core/errors.ts";
import { type ImportReport, importFacts, type RawRow } from "../../../core/facts/import-facts.ts";
import { readFacts } from "../../../core/facts/read-facts.ts";
import { createFactSink } from "../../../store/fact-repository.ts";
import type { CliCommand, CliIo } from "../io.ts";

const USAGE = "tandem import FILE [--skip-invalid] [--wait SECONDS] [--workspace ID]";
/** how long an import waits, by default, for another import to finish */
export const DEFAULT_WAIT_SECONDS = 60;

type ImportArgs = { file: string; skipInvalid: boolean; waitSeconds: number; workspaceId?: number };

export function parseImportArgs(args: string[]): ImportArgs {
  let file: string | undefined;
  let skipInvalid = false;
  let waitSeconds = DEFAULT_WAIT_SECONDS;
  let workspaceId: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--skip-invalid") skipInvalid = true;
    else if (arg === "--wait") {
      const text = args[++i] ?? "";
      if (!/^\d{1,5}$/.test(text))
        throw new AppError(ErrorCode.InvalidInput, `--wait expects a number of seconds, 0 to 99999\nusage: ${USAGE}`);
      waitSeconds = Number(text);
    } else if (arg === "--workspace") {
      const id = Number(args[++i]);
      if (!Number.isInteger(id) || id <= 0)
        throw new AppError(ErrorCode.InvalidInput, `--workspace expects a workspace id\nusage: ${USAGE}`);
      workspaceId = id;
    } else if (arg.startsWith("--"))
      throw new AppError(ErrorCode.InvalidInput, `unknown option ${arg}\nusage: ${USAGE}`);
    else if (file === undefined) file = arg;
    else
      throw new AppError(ErrorCode.InvalidInput, `one file at a time, got ${JSON.stringify(arg)} too\nusage: ${USAGE}`);
  }
  if (file === undefined) throw new AppError(ErrorCode.InvalidInput, `which file?\nusage: ${USAGE}`);
  return { file, skipInvalid, waitSeconds, workspaceId };
}

/** Fails early, with a plain message, when the file cannot be read; returns its size. */
async function checkReadable(file: string): Promise<number> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new AppError(ErrorCode.InvalidInput, `cannot import ${file}: not a file`);
    await access(file, constants.R_OK);
    return info.size;
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : String(error);
    throw new AppError(ErrorCode.InvalidInput, `cannot read ${file}: ${reason}`);
  }
}

async function rowsOf(file: string): Promise<AsyncIterable<RawRow>> {
  if (file === "-") return readFacts(process.stdin);
  const handle = await open(file, "r");
  return readFacts(handle.createReadStream({ highWaterMark: 256 * 1024 }), { name: file });
}

/**
 * Prints the counts, each problem, and what happened. An empty file (no bytes, or a CSV
 * header and nothing under it) is not an error: exit 0 with one line saying there was
 * nothing to import, so a scheduled export with nothing new stays green.
 */
export function printReport(
  report: ImportReport,
  io: CliIo,
  skipInvalid: boolean,
  nothing = "the input holds no facts",
): void {
  for (const error of report.errors) io.err(`line ${error.line}: ${error.field}: ${error.message}`);
  if (report.omittedErrors > 0) io.err(`… and ${report.omittedErrors} more problems not listed`);
  const counts = `inserted ${report.inserted}, duplicates ${report.duplicates}, rejected ${report.rejected}`;
  if (report.committed && report.valid === 0 && report.rejected === 0) {
    io.out(`nothing to import: ${nothing} (${counts})`);
    return;
  }
  io.out(counts);
  if (!report.committed) {
    const fatal = report.errors.some((error) => error.field === "header" || error.field === "document");
    io.err(
      fatal || skipInvalid
        ? "nothing was written: the file cannot be read as facts"
        : `nothing was written: ${report.rejected} invalid row${report.rejected === 1 ? "" : "s"} ` +
            `(${report.valid} valid). Fix them, or use --skip-invalid to write the valid rows only.`,
    );
  }
}

export const importCommand: CliCommand = {
  name: "import",
  usage: USAGE,
  summary: "load facts from CSV or NDJSON (all-or-nothing unless --skip-invalid)",
  async run(args, io) {
    const options = parseImportArgs(args);
    const size = options.file === "-" ? null : await checkReadable(options.file);
    const nothing =
      size === null ? "standard input holds no facts" : `${options.file} ${size === 0 ? "is empty" : "holds no facts"}`;
    const rows = await rowsOf(options.file);
    const waitMs = options.waitSeconds * 1000;
    const ctx = await openContext({ writeWaitMs: waitMs });
    try {
      const workspace = await chosenWorkspace(ctx, options.workspaceId);
      // One writer at a time (SQLite), or one per external_id (PostgreSQL's row locks): a
      // second import waits for the first, saying so once, for at most --wait seconds.
      const busyMessage = `another import is still writing to this database (waited ${options.waitSeconds} s); try again when it has finished, or give it longer with --wait SECONDS`;
      const wait = {
        waitMs,
        busyMessage,
        ...(waitMs > 0
          ? {
              onWait: () =>
                io.err(
                  `tandem: another import (or another Tandem process) is writing to this database; waiting up to ${options.waitSeconds} s for it to finish…`,
                ),
            }
          : {}),
      };
      const report = await importFacts(
        rows,
        // The CLI is the bulk path: straight through the driver on SQLite (see fact-repository.ts).
        {
          sink: createFactSink(ctx.db, workspace.id, { origin: "import", via: "driver", wait }),
          zone: workspace.timezone,
        },
        { skipInvalid: options.skipInvalid },
      ).catch((error: unknown) => {
        if (isAppError(error) && error.code === ErrorCode.Unavailable)
          throw new AppError(ErrorCode.Unavailable, busyMessage, error.details);
        throw error;
      });
      printReport(report, io, options.skipInvalid, nothing);
      return report.committed ? 0 : 1;
    } finally {
      await ctx.close();
    }
  },
};
