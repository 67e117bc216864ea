// The local-mode console: a person types what they would type in chat (`/kpi`,
// `/kpi cac 2026-09`, `/pulse …`, `digest preview`) and reads the answer as it would
// render, in plain text. It goes through the same command handling as Slack and Teams.
// Beyond chat: `as NAME …` types as someone else, and an answer on its own (`4`,
// `vote 4`) answers the open pulse, so one person can try a pulse's anonymity and group
// minimums with a few made-up colleagues.
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { ChatCommands } from "../../app/chat/chat-commands.ts";
import { chatCommandLabel } from "../../app/chat/command-label.ts";
import type { AppContext } from "../../app/context.ts";
import { describeError } from "../../core/describe-error.ts";
import { toPlainText } from "../../render/text/render.ts";
import type { HttpMetrics } from "../http/metrics.ts";

export const CONSOLE_USER = "console";
const CONSOLE_CHANNEL = "console";
const AS = /^as\s+(\S+)(?:\s+(.*))?$/i;
/** a line of answers only: `4`, `yes`, `4 8 yes` */
const ANSWERS = /^(\d+|yes|no|y|n)(\s+(\d+|yes|no|y|n))*$/i;
const NAME = /^[\w.-]{1,40}$/;

export const CONSOLE_HELP =
  'Type what you would type in chat: /kpi, /kpi cac 2026-09, /kpi funnel, /kpi help, digest preview, /pulse "…". ' +
  "`4` (or `vote 4`) answers the open pulse as you; `as alice 4` as alice, `as alice /kpi join sales` puts alice in sales. Ctrl-D quits.";

/** Who a console line speaks as, and the chat text it stands for. */
export function readConsoleLine(line: string): { userId: string; text: string } | { error: string } {
  let userId = CONSOLE_USER;
  let text = line.trim();
  const as = AS.exec(text);
  if (as) {
    const [, name = "", rest = ""] = as;
    if (!NAME.test(name)) return { error: "A name is letters, digits, dots, dashes or underscores: `as alice 4`." };
    if (rest.trim() === "")
      return { error: `What should ${name} type? For example \`as ${name} 4\` answers the open pulse.` };
    userId = name.toLowerCase();
    text = rest.trim();
  }
  if (ANSWERS.test(text)) text = `/pulse vote ${text}`;
  else if (/^vote(\s|$)/i.test(text)) text = `/pulse ${text}`;
  return { userId, text };
}

export async function runConsole(
  ctx: AppContext,
  chat: ChatCommands,
  io: { input: Readable; output: Writable },
  metrics?: Pick<HttpMetrics, "chatCommands">,
): Promise<void> {
  // line editing and echo on a terminal; piped input is read as it comes
  const terminal = Boolean((io.output as { isTTY?: boolean }).isTTY);
  const rl = createInterface({ input: io.input, output: io.output, prompt: "tandem> ", terminal });
  io.output.write(`${CONSOLE_HELP}\n`);
  rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (text === "exit" || text === "quit") break;
    if (text !== "") io.output.write(`${await answerLine(ctx, chat, text, metrics)}\n`);
    rl.prompt();
  }
  rl.close();
}

/** One console line's answer, as plain text. */
export async function answerLine(
  ctx: Pick<AppContext, "logger">,
  chat: ChatCommands,
  line: string,
  metrics?: Pick<HttpMetrics, "chatCommands">,
): Promise<string> {
  const read = readConsoleLine(line);
  if ("error" in read) return read.error;
  metrics?.chatCommands.inc({ platform: "local", command: chatCommandLabel(read.text) });
  try {
    const message = await chat.handle(read.text, {
      platform: "local",
      userId: read.userId,
      channelId: CONSOLE_CHANNEL,
    });
    return toPlainText(message);
  } catch (error) {
    ctx.logger.error("console command failed", { error: describeError(error) });
    return "Something went wrong answering that; the log has the details.";
  }
}
