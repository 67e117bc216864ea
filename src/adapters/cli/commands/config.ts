// `tandem config apply FILE | export | validate FILE`: metrics as code. Apply is all
// or nothing: any error in the file → every error listed, exit 1, nothing stored.
import { readFile, stat } from "node:fs/promises";
import { userInfo } from "node:os";
import { type AppContext, openContext } from "../../../app/context.ts";
import { type ConfigIssue, MAX_CONFIG_BYTES, tooLarge, validateMetricsConfig } from "../../../config/metrics-config.ts";
import { AppError, ErrorCode } from "../../../core/errors.ts";
import { type ApplyReport, applyMetricsConfig, exportMetricsConfig } from "../../../store/kpi-settings.ts";
import type { CliCommand } from "../io.ts";

const USAGE = "tandem config apply FILE | tandem config export | tandem config validate FILE  [--workspace ID]";

export const configCommand: CliCommand = {
  name: "config",
  usage: USAGE,
  summary: "metrics as code: departments, owners, targets, custom metrics",
  async run(args, io) {
    const { positional, workspace } = parseArgs(args);
    const [action, file, ...extra] = positional;
    if (extra.length > 0)
      throw new AppError(ErrorCode.InvalidInput, `unexpected argument ${extra[0]}\nusage: ${USAGE}`);
    switch (action) {
      case "apply":
      case "validate": {
        if (file === undefined) throw new AppError(ErrorCode.InvalidInput, `missing FILE\nusage: ${USAGE}`);
        const text = await readConfigFile(file);
        const result = validateMetricsConfig(text);
        if (!result.ok) {
          const count = result.issues.length;
          io.err(
            [
              `tandem: ${file} is not valid (${count} error${count === 1 ? "" : "s"}); nothing was applied`,
              ...result.issues.map((issue) => `  ${located(file, issue)}`),
            ].join("\n"),
          );
          return 1;
        }
        if (action === "validate") {
          io.out(`${file} is valid.`);
          return 0;
        }
        return withContext(workspace, async (context, workspaceId) => {
          const report = await applyMetricsConfig(context.db.prisma, workspaceId, result.config, text, actor());
          io.out(summary(file, report));
          return 0;
        });
      }
      case "export":
        if (file !== undefined)
          throw new AppError(ErrorCode.InvalidInput, `unexpected argument ${file}\nusage: ${USAGE}`);
        return withContext(workspace, async (context, workspaceId) => {
          io.out(await exportMetricsConfig(context.db.prisma, workspaceId));
          return 0;
        });
      default:
        throw new AppError(
          ErrorCode.InvalidInput,
          `${action === undefined ? "missing the action" : `unknown action ${JSON.stringify(action)}`}: expected apply, export or validate\nusage: ${USAGE}`,
        );
    }
  },
};

function parseArgs(args: string[]): { positional: string[]; workspace: number | undefined } {
  const positional: string[] = [];
  let workspace: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--workspace" || arg.startsWith("--workspace=")) {
      const value = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : args[++i];
      if (value === undefined || !/^[1-9]\d*$/.test(value)) {
        throw new AppError(
          ErrorCode.InvalidInput,
          `--workspace expects a workspace id (a number), got ${value ?? "nothing"}`,
        );
      }
      workspace = Number(value);
    } else if (arg.startsWith("--")) {
      throw new AppError(ErrorCode.InvalidInput, `unknown option ${arg}\nusage: ${USAGE}`);
    } else {
      positional.push(arg);
    }
  }
  return { positional, workspace };
}

/** The file's text, refused before it is read when it is over MAX_CONFIG_BYTES. */
async function readConfigFile(file: string): Promise<string> {
  try {
    const { size } = await stat(file);
    if (size > MAX_CONFIG_BYTES) throw new AppError(ErrorCode.InvalidInput, `${file}: ${tooLarge(size)}`);
    return await readFile(file, "utf8");
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (error as Error).message;
    throw new AppError(ErrorCode.InvalidInput, `cannot read ${file}: ${reason}`);
  }
}

async function withContext(
  workspace: number | undefined,
  body: (context: AppContext, workspaceId: number) => Promise<number>,
): Promise<number> {
  const context = await openContext();
  try {
    if (workspace !== undefined) {
      const found = await context.db.prisma.workspace.findUnique({ where: { id: workspace }, select: { id: true } });
      if (!found) throw new AppError(ErrorCode.NotFound, `no workspace ${workspace}`);
    }
    return await body(context, workspace ?? context.workspace.id);
  } finally {
    await context.close();
  }
}

function located(file: string, issue: ConfigIssue): string {
  const where = issue.path === "" ? "" : `${issue.path}: `;
  return `${file}${issue.line === null ? "" : `:${issue.line}`}: ${where}${issue.message}`;
}

function actor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    // no passwd entry (some containers): the audit row still says it came from the CLI
    return "cli";
  }
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function summary(file: string, report: ApplyReport): string {
  const lines = [
    `Applied ${file}: ${plural(report.departments, "department")}, ${plural(report.targets, "target")}, ${plural(report.customMetrics, "custom metric")}, ${plural(report.overrides, "built-in metric change")}, gross margin ${report.grossMargin}, ${plural(report.admins, "admin")}.`,
  ];
  if (report.sources > 0) lines.push(`${plural(report.sources, "source")}: sync with \`tandem sources sync\`.`);
  if (report.removedSources.length > 0)
    lines.push(
      `Removed sources: ${report.removedSources.join(", ")} (their facts stay until the source is declared again and synced).`,
    );
  if (report.removedDepartments.length > 0) lines.push(`Removed departments: ${report.removedDepartments.join(", ")}.`);
  for (const kept of report.keptDepartments) {
    lines.push(
      `Kept department ${kept.key} although the file no longer declares it: ${plural(kept.members, "member")} still belong${kept.members === 1 ? "s" : ""} to it. Move them to another department, then apply again to remove it.`,
    );
  }
  return lines.join("\n");
}
