// The local-mode console: a person types what they would type in chat (`/kpi`,
// `/kpi cac 2026-09`, `/pulse …`, `digest preview`) and reads the answer as it would
// render, in plain text. It goes through the same command handling as Slack and Teams.
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { ChatCommands } from "../../app/chat/chat-commands.ts";
import type { AppContext } from "../../app/context.ts";
import { describeError } from "../../core/describe-error.ts";
import { toPlainText } from "../../render/text/render.ts";

const CONSOLE_USER = "console";

export async function runConsole(
  ctx: AppContext,
  chat: ChatCommands,
  io: { input: Readable; output: Writable },
): Promise<void> {
  const rl = createInterface({ input: io.input, output: io.output, prompt: "tandem> ", terminal: true });
  io.output.write(
    'Type what you would type in chat: /kpi, /kpi cac 2026-09, /kpi funnel, /kpi help, digest preview, /pulse "…". Ctrl-D quits.\n',
  );
  rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (text === "exit" || text === "quit") break;
    if (text !== "") {
      try {
        const message = await chat.handle(text, { platform: "local", userId: CONSOLE_USER, channelId: "console" });
        io.output.write(`${toPlainText(message)}\n`);
      } catch (error) {
        ctx.logger.error("console command failed", { error: describeError(error) });
        io.output.write("Something went wrong answering that; the log has the details.\n");
      }
    }
    rl.prompt();
  }
  rl.close();
}
