// `tandem kpi [METRIC] [PERIOD] [--department D] [--json]`: what `/kpi` answers, in the
// same words: `tandem kpi cac last month`, `tandem kpi funnel Q3`, `tandem kpi marketing`,
// `tandem kpi compare marketing sales`. `--json` prints the public snapshot JSON (docs/metrics.md).
import { parseArgs } from "node:util";
import { chosenWorkspace, openContext } from "../../../app/context.ts";
import { cacheBound, kpiDeps } from "../../../app/kpi.ts";
import { errorText } from "../../../core/describe-error.ts";
import { AppError, ErrorCode } from "../../../core/errors.ts";
import { compareDepartments } from "../../../core/kpi/compare-departments.ts";
import { getFunnel } from "../../../core/kpi/get-funnel.ts";
import { getKpiSnapshot, type KpiSnapshotRequest } from "../../../core/kpi/get-kpi-snapshot.ts";
import {
  checkCommandLength,
  type KpiCommand,
  MAX_COMMAND_CHARS,
  parseKpiCommand,
} from "../../../core/kpi/parse-kpi-command.ts";
import { looksLikePeriod } from "../../../core/kpi/period-words.ts";
import { PERIOD_FORMS_HELP } from "../../../core/kpi/periods.ts";
import { toContractJson } from "../../../core/kpi/snapshot-json.ts";
import type { MetricResult, Period } from "../../../core/kpi/types.ts";
import { compareMessage, funnelMessage } from "../../../core/messages/build-kpi-messages.ts";
import { toPlainText } from "../../../render/text/render.ts";
import { renderSnapshotText } from "../../../render/text/snapshot-table.ts";
import type { CliCommand } from "../io.ts";

const USAGE = "tandem kpi [METRIC] [PERIOD] [--department D] [--shared] [--json] [--workspace ID]";

const HELP = `Usage: ${USAGE}
       tandem kpi funnel [PERIOD] | tandem kpi DEPARTMENT [PERIOD] | tandem kpi compare DEPT DEPT [PERIOD]

The same words as /kpi in chat. METRIC is a metric key or alias (cac, customer acquisition cost, …);
PERIOD is ${PERIOD_FORMS_HELP}.
Without a period: the last complete month. Without a metric: every metric, shared ones first
(--shared: only the shared ones, as /kpi shows them; --department D: the metrics D owns).
Commands are read up to ${MAX_COMMAND_CHARS.toLocaleString("en-US")} characters.`;

const OPTIONS = {
  department: { type: "string", short: "d" },
  json: { type: "boolean" },
  shared: { type: "boolean" },
  workspace: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** chat commands that change something or answer one person: nothing to print here */
const CHAT_ONLY: ReadonlySet<KpiCommand["kind"]> = new Set(["join", "target", "member", "token"]);

function parseKpiFlags(args: string[]) {
  return parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
}

type Answer = { period: Period; metrics: MetricResult[]; text: string };

export const kpiCommand: CliCommand = {
  name: "kpi",
  usage: USAGE,
  summary: "the KPI snapshot /kpi answers",
  async run(args, io) {
    let parsed: ReturnType<typeof parseKpiFlags>;
    try {
      parsed = parseKpiFlags(args);
    } catch (error) {
      io.err(`tandem kpi: ${errorText(error)}\nUsage: ${USAGE}`);
      return 2;
    }
    const text = parsed.positionals.join(" ");
    // Checked before the database opens, so a pasted novel costs nothing.
    checkCommandLength(text);
    if (parsed.values.help) {
      io.out(HELP);
      return 0;
    }

    const ctx = await openContext();
    try {
      const workspace = await chosenWorkspace(ctx, parsed.values.workspace);
      const deps = kpiDeps(ctx.db, ctx.clock, undefined, cacheBound(ctx.env));
      const settings = await deps.settingsSource.load(workspace.id);
      const command = parseKpiCommand(text, { departments: settings.departments, looksLikePeriod });
      if (command.kind === "help") {
        io.out(HELP);
        return 0;
      }
      if (command.kind === "invalid") throw new AppError(ErrorCode.InvalidInput, command.message);
      if (CHAT_ONLY.has(command.kind)) {
        throw new AppError(
          ErrorCode.InvalidInput,
          `\`kpi ${command.kind}\` is a chat command: type it to Tandem in Slack, Teams or the local console.`,
        );
      }
      const base = { workspaceId: workspace.id, zone: workspace.timezone };
      const snapshot = async (request: Partial<KpiSnapshotRequest>): Promise<Answer> => {
        const result = await getKpiSnapshot(deps, {
          ...base,
          department: parsed.values.department ?? null,
          scope: parsed.values.shared ? "shared" : "all",
          ...request,
        });
        return { ...result.snapshot, text: renderSnapshotText(result.snapshot, result.catalog) };
      };

      let answer: Answer;
      switch (command.kind) {
        case "funnel": {
          const funnel = await getFunnel(deps, { ...base, period: command.period });
          answer = { period: funnel.period, metrics: funnel.metrics, text: toPlainText(funnelMessage(funnel)) };
          break;
        }
        case "compare": {
          const comparison = await compareDepartments(deps, {
            ...base,
            a: command.a,
            b: command.b,
            period: command.period,
          });
          const name = (key: string) => settings.departments.find((d) => d.key === key)?.name ?? key;
          const message = compareMessage({ ...comparison, a: name(comparison.a), b: name(comparison.b) });
          answer = { period: comparison.period, metrics: comparison.shared, text: toPlainText(message) };
          break;
        }
        case "department":
          answer = await snapshot({ period: command.period, department: command.department });
          break;
        case "shared":
          answer = await snapshot({ period: command.period, scope: "shared" });
          break;
        case "scorecard":
          answer = await snapshot({ period: command.period });
          break;
        default:
          answer = await snapshot({ words: command.kind === "metric" ? command.words : text });
      }
      io.out(
        parsed.values.json
          ? JSON.stringify(toContractJson({ period: answer.period, metrics: answer.metrics }), null, 2)
          : answer.text,
      );
      return 0;
    } finally {
      await ctx.close();
    }
  },
};
