// What every entry point (CLI command, server) needs: validated environment, the
// database (migrated), the default workspace, a clock and a logger.
import type { Env } from "../config/env.ts";
import { loadEnv } from "../config/env.ts";
import { AppError, ErrorCode } from "../core/errors.ts";
import { isRecordId } from "../core/ids.ts";
import { createLogger } from "../core/logger.ts";
import { type Clock, type Logger, systemClock } from "../core/ports.ts";
import { type Database, openDatabase } from "../store/database.ts";
import { ensureDefaultWorkspace, type WorkspaceRow } from "../store/workspaces.ts";

export type AppContext = {
  env: Env;
  db: Database;
  workspace: WorkspaceRow;
  clock: Clock;
  logger: Logger;
  close(): Promise<void>;
};

export async function openContext(
  options: {
    env?: Env;
    clock?: Clock;
    logger?: Logger;
    /** how long a write waits for another writer's lock (openDatabase's writeWaitMs) */
    writeWaitMs?: number;
  } = {},
): Promise<AppContext> {
  const env = options.env ?? loadEnv();
  const logger = options.logger ?? createLogger(env.LOG_LEVEL);
  const db = await openDatabase(
    env.DATABASE_URL,
    options.writeWaitMs === undefined ? {} : { writeWaitMs: options.writeWaitMs },
  );
  if (db.migrations.applied.length > 0) logger.info("applied migrations", { migrations: db.migrations.applied });
  const workspace = await ensureDefaultWorkspace(db.prisma, env.TANDEM_TIMEZONE);
  return { env, db, workspace, clock: options.clock ?? systemClock, logger, close: () => db.close() };
}

/** The workspace a `--workspace ID` option names, or the default one without it. */
export async function chosenWorkspace(ctx: AppContext, id: string | number | undefined): Promise<WorkspaceRow> {
  if (id === undefined || id === ctx.workspace.id) return ctx.workspace;
  if (typeof id === "string" && !/^\d+$/.test(id)) {
    throw new AppError(ErrorCode.InvalidInput, `--workspace expects a workspace id, got “${id}”`);
  }
  const found = isRecordId(Number(id)) ? await ctx.db.prisma.workspace.findUnique({ where: { id: Number(id) } }) : null;
  if (found === null) throw new AppError(ErrorCode.NotFound, `no workspace with id ${id}`);
  return found;
}
