// `tandem demo [--workspace ID]`: load the demo company's facts (and a few targets).
// `tandem demo remove [--workspace ID]`: remove exactly those, nothing else.
import { parseArgs } from "node:util";
import { chosenWorkspace, openContext } from "../../../app/context.ts";
import { loadDemo } from "../../../app/load-demo.ts";
import { errorText } from "../../../core/describe-error.ts";
import { AppError, ErrorCode } from "../../../core/errors.ts";
import { removeDemoData } from "../../../store/demo-data.ts";
import type { CliCommand } from "../io.ts";

const USAGE = "tandem demo [remove] [--workspace ID]";

function parseDemoArgs(args: string[]): { remove: boolean; workspace: string | undefined } {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { workspace: { type: "string" } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length > 1 || (positionals[0] !== undefined && positionals[0] !== "remove")) {
      throw new Error(`unknown demo command ${JSON.stringify(positionals.join(" ").slice(0, 40))}`);
    }
    return { remove: positionals[0] === "remove", workspace: values.workspace };
  } catch (error) {
    throw new AppError(ErrorCode.InvalidInput, `${errorText(error)}\nusage: ${USAGE}`);
  }
}

const plural = (n: number, one: string) => `${n.toLocaleString("en-US")} ${one}${n === 1 ? "" : "s"}`;

export const demoCommand: CliCommand = {
  name: "demo",
  usage: USAGE,
  summary: "load the demo data set, or remove it",
  async run(args, io) {
    const { remove, workspace: workspaceId } = parseDemoArgs(args);
    const ctx = await openContext();
    try {
      const workspace = await chosenWorkspace(ctx, workspaceId);
      if (remove) {
        const removed = await removeDemoData(ctx.db, workspace.id, "cli:demo remove");
        io.out(
          removed.facts + removed.targets === 0
            ? "no demo data here: nothing to remove"
            : `removed the demo's ${plural(removed.facts, "fact")} and ${plural(removed.targets, "target")}; your own facts, targets and tokens are untouched`,
        );
        return 0;
      }
      const { inserted, duplicates } = await loadDemo({ db: ctx.db, workspace, clock: ctx.clock });
      io.out(`demo data: inserted ${inserted} facts (${duplicates} already there); \`tandem demo remove\` removes it`);
      return 0;
    } finally {
      await ctx.close();
    }
  },
};
