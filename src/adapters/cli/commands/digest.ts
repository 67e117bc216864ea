// `tandem digest preview [PERIOD] [--json]`: the alignment digest without posting it.
// `tandem digest run-due`: post the digests due now (what the scheduler does each minute).
import { parseArgs } from "node:util";
import { type AppContext, chosenWorkspace, openContext } from "../../../app/context.ts";
import { cacheBound, digestDeps, kpiDeps } from "../../../app/kpi.ts";
import { errorText } from "../../../core/describe-error.ts";
import { buildDigest, digestJson, digestMessage } from "../../../core/digest/build-digest.ts";
import { type DigestRunReport, type RunDueDigestsDeps, runDueDigests } from "../../../core/digest/run-due-digests.ts";
import { AppError, ErrorCode } from "../../../core/errors.ts";
import { toPlainText } from "../../../render/text/render.ts";
import type { CliCommand, CliIo } from "../io.ts";

/** What `run-due` posts with: the scheduler's wiring, from the composition root. */
export type DigestCommandDeps = { runDueDeps(ctx: AppContext): Promise<RunDueDigestsDeps> };

const USAGE = "tandem digest preview [PERIOD] [--json] [--workspace ID] | tandem digest run-due [--json]";

const OPTIONS = {
  json: { type: "boolean" },
  workspace: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function parseDigestFlags(args: string[]) {
  return parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
}

const HELP = `Usage: ${USAGE}

preview   the weekly alignment digest for PERIOD (default: the last complete week), printed as
          text, or with --json as data whose metrics have the shape of \`tandem kpi --json\`
run-due   post every subscribed channel's digest that is due now and not yet posted, and print
          what was done (the scheduler in \`tandem serve\` does this every minute)`;

export const digestCommand = (deps: DigestCommandDeps): CliCommand => ({
  name: "digest",
  usage: USAGE,
  summary: "the weekly alignment digest",
  async run(args, io) {
    let parsed: ReturnType<typeof parseDigestFlags>;
    try {
      parsed = parseDigestFlags(args);
    } catch (error) {
      io.err(`tandem digest: ${errorText(error)}\nUsage: ${USAGE}`);
      return 2;
    }
    const [verb, ...rest] = parsed.positionals;
    if (parsed.values.help || verb === "help") {
      io.out(HELP);
      return 0;
    }
    if (verb === "preview") {
      return preview(io, rest.length > 0 ? rest.join(" ") : null, parsed.values.workspace, parsed.values.json === true);
    }
    if (verb === "run-due") {
      if (rest.length > 0) throw new AppError(ErrorCode.InvalidInput, "tandem digest run-due takes no arguments");
      return runDue(deps, io, parsed.values.json === true);
    }
    io.err(
      `tandem digest: ${verb === undefined ? "say what to do" : `unknown action ${JSON.stringify(verb)}`}\nUsage: ${USAGE}`,
    );
    return 2;
  },
});

async function preview(
  io: CliIo,
  period: string | null,
  workspaceId: string | undefined,
  json: boolean,
): Promise<number> {
  const ctx = await openContext();
  try {
    const workspace = await chosenWorkspace(ctx, workspaceId);
    const digest = await buildDigest(digestDeps(kpiDeps(ctx.db, ctx.clock, undefined, cacheBound(ctx.env)), ctx.db), {
      workspaceId: workspace.id,
      zone: workspace.timezone,
      period,
    });
    io.out(json ? JSON.stringify(digestJson(digest), null, 2) : toPlainText(digestMessage(digest)));
    return 0;
  } finally {
    await ctx.close();
  }
}

async function runDue(deps: DigestCommandDeps, io: CliIo, json: boolean): Promise<number> {
  const ctx = await openContext();
  try {
    const reports = await runDueDigests(await deps.runDueDeps(ctx), ctx.clock.now());
    if (json) {
      io.out(
        JSON.stringify(
          reports.map((r) => ({ ...r, dueAt: r.dueAt.toISOString() })),
          null,
          2,
        ),
      );
    } else {
      io.out(
        reports.length === 0
          ? "Nothing is due: every subscribed channel has its digest."
          : reports.map(reportLine).join("\n"),
      );
    }
    return reports.some((r) => r.outcome === "failed" || r.outcome === "exhausted" || r.outcome === "error") ? 1 : 0;
  } finally {
    await ctx.close();
  }
}

function reportLine(report: DigestRunReport): string {
  const where = `${report.platform} channel ${report.channelId}, ${report.periodKey} (due ${report.dueAt.toISOString()})`;
  switch (report.outcome) {
    case "posted":
      return `posted   ${where}: message ${report.messageId}`;
    case "skipped":
      return `skipped  ${where}: ${report.detail === "running" ? "another Tandem process is posting it" : `already ${report.detail}`}`;
    default:
      return `${report.outcome.padEnd(8)} ${where}: ${report.detail ?? ""}`;
  }
}
