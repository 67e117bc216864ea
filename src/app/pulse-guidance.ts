// What `/pulse` answers when the words were not a question: an answer typed to the
// command (`/pulse 4`, `/pulse vote 4`), a misspelt verb, a word or two. Nothing is
// created; the reply says what to do instead. Typed votes (`vote 4`) count at the
// console only, where there are no buttons to click; in Slack and Teams people vote on
// the pulse itself.
import { AppError, ErrorCode } from "../core/errors.ts";
import type { Message } from "../core/messages/model.ts";
import { makeMessage } from "../core/messages/model.ts";
import { inQuotes } from "../core/messages/user-text.ts";
import type { Platform } from "../core/platform.ts";
import type { PulseCommand } from "../core/pulse/parse-pulse-command.ts";
import type { PulseDeps } from "../core/pulse/ports.ts";
import { recordAnswer } from "../core/pulse/record-answer.ts";
import type { Pulse } from "../core/pulse/types.ts";

/** Who typed, and where (pulse-text.ts's caller is one). */
type PulseCaller = { workspace: { id: number }; platform: Platform; userId: string; channelId: string };

const EXAMPLE_QUESTION = "How well did sales and marketing work together this week?";

function openPulse(deps: PulseDeps, caller: PulseCaller): Promise<Pulse | null> {
  return deps.store.latestInChannel({
    workspaceId: caller.workspace.id,
    platform: caller.platform,
    channelId: caller.channelId,
    statuses: ["open"],
  });
}

const askHint = (prefix: string) => `To ask a new question, put it in quotes: \`${prefix} "${EXAMPLE_QUESTION}"\`.`;

function howToVote(pulse: Pulse, caller: PulseCaller, typed: string): string {
  if (caller.platform === "local") {
    return `To answer pulse #${pulse.id} here, type \`vote ${typed}\`, or \`as NAME ${typed}\` to answer as someone else.`;
  }
  return `To answer pulse #${pulse.id}, click one of its buttons in the channel.`;
}

function reply(lines: string[]): Message {
  return makeMessage([{ type: "section", text: lines.join("\n") }], { visibility: "private" });
}

export async function answerSlip(
  command: Extract<PulseCommand, { kind: "slip" }>,
  text: string,
  caller: PulseCaller,
  deps: PulseDeps,
  prefix: string,
): Promise<Message> {
  const typed = text.trim().replace(/^vote\s+/i, "");
  if (command.reason === "answer") {
    const pulse = await openPulse(deps, caller);
    const first = `${inQuotes(typed)} looks like an answer, not a question, so no pulse was created.`;
    return reply(
      pulse
        ? [first, howToVote(pulse, caller, typed || "4"), askHint(prefix)]
        : [first, "There is no open pulse in this channel to answer.", askHint(prefix)],
    );
  }
  if (command.reason === "verb") {
    return reply([
      `Did you mean \`${prefix} ${command.verb}\`? No pulse was created.`,
      askHint(prefix),
      `\`${prefix} help\` lists every pulse command.`,
    ]);
  }
  return reply([
    `Is ${inQuotes(typed)} meant as a question? No pulse was created.`,
    `${askHint(prefix)} \`${prefix} help\` lists every pulse command.`,
  ]);
}

/** `vote 4` (or `vote 4 8 yes` for several questions): the channel's open pulse, question by question. */
export async function answerVote(
  values: string[],
  caller: PulseCaller,
  deps: PulseDeps,
  prefix: string,
): Promise<Message> {
  const typed = values.join(" ");
  if (caller.platform !== "local") {
    return answerSlip({ kind: "slip", reason: "answer" }, typed, caller, deps, prefix);
  }
  const pulse = await openPulse(deps, caller);
  if (!pulse) {
    throw new AppError(ErrorCode.NotFound, `There is no open pulse here to answer. ${askHint(prefix)}`);
  }
  const questions = pulse.questions;
  // one question takes the whole text (a free-text answer has spaces); several take one word each
  const answers = questions.length === 1 ? [typed] : values;
  if (answers.length > questions.length) {
    throw new AppError(
      ErrorCode.InvalidInput,
      `Pulse #${pulse.id} has ${questions.length} questions; give one answer for each, in order.`,
    );
  }
  const yesNo: Record<string, string> = { yes: "1", y: "1", no: "0", n: "0" };
  const confirmations: Message[] = [];
  for (const [i, given] of answers.entries()) {
    const question = questions[i];
    if (!question) break;
    const outcome = await recordAnswer(deps, {
      pulseId: pulse.id,
      questionId: question.id,
      platform: caller.platform,
      userId: caller.userId,
      ...(question.kind === "text"
        ? { text: given }
        : { value: question.kind === "yesno" ? (yesNo[given.toLowerCase()] ?? given) : given }),
    });
    confirmations.push(outcome.message);
  }
  return makeMessage(
    confirmations.flatMap((m) => m.blocks),
    { visibility: "private" },
  );
}
