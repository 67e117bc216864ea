// `tandem kpi [METRIC] [PERIOD] [--department D] [--json]`: the snapshot `/kpi` answers.
import { parseArgs } from "node:util";
import { chosenWorkspace, openContext } from "../../../app/context.ts";
import { kpiDeps } from "../../../app/kpi.ts";
import { errorText } from "../../../core/describe-error.ts";
import { getKpiSnapshot, parseKpiArgs } from "../../../core/kpi/get-kpi-snapshot.ts";
import { toContractJson } from "../../../core/kpi/snapshot-json.ts";
import { renderSnapshotText } from "../../../render/text/snapshot-table.ts";
import type { CliCommand } from "../io.ts";

const USAGE = "tandem kpi [METRIC] [PERIOD] [--department D] [--shared] [--json] [--workspace ID]";

const OPTIONS = {
  department: { type: "string", short: "d" },
  json: { type: "boolean" },
  shared: { type: "boolean" },
  workspace: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function parseKpiFlags(args: string[]) {
  return parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
}

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
    if (parsed.values.help) {
      io.out(`Usage: ${USAGE}\n\nMETRIC is a metric key or alias (cac, "customer acquisition cost", …);
PERIOD is 2026-09-14, 2026-W38, 2026-09, 2026-Q3, 2026, week, month, quarter, year (the last complete one),
today, this-week, this-month, this-quarter or this-year. Without a period: the last complete month.
Without a metric: every metric, shared ones first (--shared: only the shared ones, as /kpi shows them;
--department D: the metrics D owns).`);
      return 0;
    }
    // Parsed before the database opens, so a typo costs nothing.
    const { metric, period } = parseKpiArgs(parsed.positionals);

    const ctx = await openContext();
    try {
      const workspace = await chosenWorkspace(ctx, parsed.values.workspace);
      const result = await getKpiSnapshot(kpiDeps(ctx.db, ctx.clock), {
        workspaceId: workspace.id,
        zone: workspace.timezone,
        metric,
        period,
        department: parsed.values.department ?? null,
        scope: parsed.values.shared ? "shared" : "all",
      });
      io.out(
        parsed.values.json
          ? JSON.stringify(toContractJson(result.snapshot), null, 2)
          : renderSnapshotText(result.snapshot, result.catalog),
      );
      return 0;
    } finally {
      await ctx.close();
    }
  },
};
