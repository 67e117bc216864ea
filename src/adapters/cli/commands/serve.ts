// `tandem serve` (what `npm start` runs). Without any chat credentials it runs in
// local mode: demo data into an empty database, and a console on a terminal.
import { openContext } from "../../../app/context.ts";
import { isDatabaseEmpty, loadDemo } from "../../../app/load-demo.ts";
import { hasChatCredentials, startServer } from "../../../app/server-app.ts";
import { isAppError } from "../../../core/errors.ts";
import { SERVER_WRITE_WAIT_MS } from "../../../store/busy.ts";
import { runConsole } from "../../console/console.ts";
import type { CliCommand } from "../io.ts";

export const serveCommand: CliCommand = {
  name: "serve",
  usage: "tandem serve",
  summary: "run the bot (what npm start runs)",
  async run(_args, io) {
    // The server never waits long for SQLite's write lock (store/busy.ts).
    const ctx = await openContext({ writeWaitMs: SERVER_WRITE_WAIT_MS });
    const local = !hasChatCredentials(ctx.env);
    if (local && (await isDatabaseEmpty(ctx.db, ctx.workspace.id))) {
      try {
        const loaded = await loadDemo(ctx);
        ctx.logger.info("local mode: loaded the demo data set", { inserted: loaded.inserted });
      } catch (error) {
        // An import is writing to the empty database: serve it as it is.
        if (!isAppError(error) || error.code !== "unavailable") throw error;
        ctx.logger.warn("local mode: the demo data set was not loaded, the database is busy", {
          error: error.message,
        });
      }
    }
    const server = await startServer(ctx).catch(async (error: unknown) => {
      // e.g. the port is taken: nothing must keep the process alive after the one-line error
      await ctx.close();
      throw error;
    });
    if (local) {
      io.err(
        `Tandem is running in local mode (no Slack or Teams credentials) on http://127.0.0.1:${server.port}\n` +
          "  GET /healthz · GET /metrics · POST /api/v1/facts · POST /api/messages",
      );
    }

    let stopping: Promise<void> | null = null;
    const shutdown = (signal: string) => {
      stopping ??= (async () => {
        ctx.logger.info("shutting down", { signal });
        await server.stop();
        await ctx.close();
      })();
      return stopping;
    };
    const interactive = local && process.stdin.isTTY === true;
    await new Promise<void>((resolve) => {
      const stop = (reason: string) => void shutdown(reason).then(resolve);
      process.once("SIGTERM", () => stop("SIGTERM"));
      process.once("SIGINT", () => stop("SIGINT"));
      if (interactive)
        void runConsole(ctx, server.chat, { input: process.stdin, output: process.stdout }).then(() =>
          stop("console closed"),
        );
    });
    return 0;
  },
};
