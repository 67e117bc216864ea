// `tandem demo [--workspace ID]`: load the demo company's facts (and a few targets).
import { parseArgs } from "node:util";
import { chosenWorkspace, openContext } from "../../../app/context.ts";
import { loadDemo } from "../../../app/load-demo.ts";
import { errorText } from "../../../core/describe-error.ts";
import { AppError, ErrorCode } from "../../../core/errors.ts";
import type { CliCommand } from "../io.ts";

const USAGE = "tandem demo [--workspace ID]";

function parseDemoArgs(args: string[]): { workspace: string | undefined } {
  try {
    const { values } = parseArgs({ args, options: { workspace: { type: "string" } }, strict: true });
    return { workspace: values.workspace };
  } catch (error) {
    throw new AppError(ErrorCode.InvalidInput, `${errorText(error)}\nusage: ${USAGE}`);
  }
}

export const demoCommand: CliCommand = {
  name: "demo",
  usage: USAGE,
  summary: "load the demo data set",
  async run(args, io) {
    const { workspace: workspaceId } = parseDemoArgs(args);
    const ctx = await openContext();
    try {
      const workspace = await chosenWorkspace(ctx, workspaceId);
      const { inserted, duplicates } = await loadDemo({ db: ctx.db, workspace, clock: ctx.clock });
      io.out(`demo data: inserted ${inserted} facts (${duplicates} already there)`);
      return 0;
    } finally {
      await ctx.close();
    }
  },
};
