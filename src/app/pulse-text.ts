// `/pulse …` as typed on any surface (Slack's slash command, the console, Teams): the
// grammar of parse-pulse-command.ts, answered by the pulse use cases as neutral messages.
import { AppError, ErrorCode } from "../core/errors.ts";
import { idReference } from "../core/ids.ts";
import { type Message, makeMessage } from "../core/messages/model.ts";
import type { Platform } from "../core/platform.ts";
import { closePulse, pulseResults } from "../core/pulse/close-pulse.ts";
import { createPulse, quickPulseSpec, templateSpec } from "../core/pulse/create-pulse.ts";
import { cancelDraft, type DraftRequest, latestDraft, postDraft } from "../core/pulse/draft-pulse.ts";
import { formatWhen, note } from "../core/pulse/messages.ts";
import { parsePulseCommand } from "../core/pulse/parse-pulse-command.ts";
import type { PulseDeps } from "../core/pulse/ports.ts";
import { recordAnswer } from "../core/pulse/record-answer.ts";
import { TEMPLATES } from "../core/pulse/templates.ts";
import type { Pulse } from "../core/pulse/types.ts";
import type { WorkspaceRow } from "../store/workspaces.ts";
import { answerSlip, answerVote } from "./pulse-guidance.ts";

export type PulseCaller = {
  workspace: WorkspaceRow;
  platform: Platform;
  userId: string;
  channelId: string;
  /** asked only to close or stop someone else's pulse */
  isAdmin(): Promise<boolean>;
};

function help(prefix: string, platform: Platform): Message {
  return makeMessage(
    [
      { type: "header", text: "Pulse surveys" },
      {
        type: "section",
        text: [
          `\`${prefix} "How well did sales and marketing work together this week?"\`: a 1–5 agreement pulse, open 24 h`,
          `\`${prefix} "QUESTION" 48h #communication named\`: options: how long, a tag, not anonymous`,
          `\`${prefix} handoff\`: the reciprocal lead hand-off pulse (\`${prefix} templates\` lists them all)`,
          `\`${prefix}\` alone: the full form (Slack), up to 5 questions, weekly repeats`,
          `Every new pulse is first shown only to you, with Post and Cancel (typed: \`${prefix} post\`, \`${prefix} cancel\`)`,
          `\`${prefix} close [NUMBER]\`: close the open pulse now and post its results`,
          `\`${prefix} results [NUMBER]\`: the results of the last closed pulse, shown to you`,
          `\`${prefix} list\`: the open and scheduled pulses here; \`${prefix} stop [NUMBER]\`: stop weekly repeats`,
          `\`${prefix} answer NUMBER QUESTION ANSWER\`: answer by typing (\`${prefix} answer 12 1 4\`)`,
        ].join("\n"),
      },
      {
        type: "context",
        text: `Pulses are anonymous unless you say \`named\`: nobody, admins included, can see who answered what.${
          platform === "local"
            ? " At this console, `vote 4` answers the open pulse as you and `as NAME 4` as someone else, to try anonymity and group minimums."
            : ""
        }`,
      },
    ],
    { visibility: "private" },
  );
}

function templatesMessage(prefix: string): Message {
  return makeMessage(
    [
      { type: "header", text: "Pulse templates" },
      {
        type: "section",
        text: TEMPLATES.map(
          (t) => `\`${prefix} ${t.key}\`: *${t.title}* (${t.questions.length} questions). ${t.description}`,
        ).join("\n"),
      },
    ],
    { visibility: "private" },
  );
}

async function findPulse(
  deps: PulseDeps,
  caller: PulseCaller,
  pulseId: number | null,
  statuses: Pulse["status"][],
  what: string,
  hint = "",
): Promise<Pulse> {
  if (pulseId !== null) {
    const pulse = await deps.store.get(pulseId);
    if (pulse && pulse.workspaceId === caller.workspace.id && pulse.platform === caller.platform) return pulse;
    throw new AppError(ErrorCode.NotFound, `There is no ${idReference("pulse", pulseId)} here.`);
  }
  const where = { workspaceId: caller.workspace.id, platform: caller.platform, channelId: caller.channelId, statuses };
  const pulse = await deps.store.latestInChannel(where);
  if (!pulse) throw new AppError(ErrorCode.NotFound, `There is no ${what} pulse in this channel.${hint}`);
  return pulse;
}

async function mayManage(caller: PulseCaller, pulse: Pulse, verb: string): Promise<void> {
  if (pulse.createdBy === caller.userId || (await caller.isAdmin())) return;
  throw new AppError(
    ErrorCode.Forbidden,
    `Only the person who created pulse #${pulse.id}, or an admin, can ${verb} it.`,
  );
}

/** What a person asking for results can do when no pulse here has closed yet. */
async function noResultsHint(deps: PulseDeps, caller: PulseCaller, prefix: string): Promise<string> {
  const where = { workspaceId: caller.workspace.id, platform: caller.platform, channelId: caller.channelId };
  const open = await deps.store.latestInChannel({ ...where, statuses: ["open"] });
  if (open) {
    return ` Pulse #${open.id} is still open until ${formatWhen(open.closesAt, caller.workspace.timezone)}: close the open pulse with \`${prefix} close\` to see its results now.`;
  }
  return ` Ask one with \`${prefix} "QUESTION"\`, then close it with \`${prefix} close\` (or let it close on its own) to see results.`;
}

/** A draft's Post or Cancel, typed or clicked: what its author is told. */
export async function answerDraft(
  deps: PulseDeps,
  verb: "post" | "cancel",
  request: DraftRequest,
  options: { prefix: string; zone: string },
): Promise<Message> {
  if (verb === "cancel") return cancelDraft(deps, request);
  const outcome = await postDraft(deps, request);
  if (!outcome.posted) return outcome.message;
  const { created } = outcome;
  // without a messenger (the console) the pulse itself is the answer
  if (!created.posted) return created.message;
  return note(
    `Pulse #${created.pulse.id} is posted. It closes ${formatWhen(created.pulse.closesAt, options.zone)}; \`${options.prefix} close\` closes it sooner.`,
  );
}

/** `/pulse …` typed on any surface; Slack intercepts the bare `/pulse` (its modal) before this. */
export async function handlePulseText(
  text: string,
  caller: PulseCaller,
  deps: PulseDeps,
  options: { prefix?: string } = {},
): Promise<Message> {
  const prefix = options.prefix ?? "/pulse";
  const command = parsePulseCommand(text);
  const zone = caller.workspace.timezone;
  const base = {
    workspaceId: caller.workspace.id,
    platform: caller.platform,
    channelId: caller.channelId,
    createdBy: caller.userId,
  };
  switch (command.kind) {
    case "form":
    case "help":
      return help(prefix, caller.platform);
    case "templates":
      return templatesMessage(prefix);
    case "invalid":
      throw new AppError(ErrorCode.InvalidInput, command.message);
    case "ask":
    case "template": {
      const options = {
        ...(command.durationMs !== undefined ? { durationMs: command.durationMs } : {}),
        ...(command.anonymous !== undefined ? { anonymous: command.anonymous } : {}),
      };
      const spec =
        command.kind === "ask"
          ? quickPulseSpec(command.question, { ...options, ...(command.tag ? { tag: command.tag } : {}) })
          : templateSpec(command.key, options);
      return (await createPulse(deps, { ...base, spec }, { draft: true, prefix })).message;
    }
    case "post":
    case "cancel": {
      const draft = command.pulseId ?? (await latestDraft(deps, { ...base, userId: caller.userId }))?.id ?? null;
      if (draft === null) {
        throw new AppError(
          ErrorCode.NotFound,
          `You have no pulse waiting to be posted in this channel. Ask one with \`${prefix} "QUESTION"\`.`,
        );
      }
      const request = {
        pulseId: draft,
        workspaceId: caller.workspace.id,
        platform: caller.platform,
        userId: caller.userId,
      };
      return answerDraft(deps, command.kind, request, { prefix, zone });
    }
    case "vote":
      return answerVote(command.values, caller, deps, prefix);
    case "slip":
      return answerSlip(command, text, caller, deps, prefix);
    case "close": {
      const pulse = await findPulse(
        deps,
        caller,
        command.pulseId,
        ["open"],
        "open",
        ` \`${prefix} list\` shows the pulses here; \`${prefix} results\` the last closed one's results.`,
      );
      await mayManage(caller, pulse, "close");
      const outcome = await closePulse(deps, { pulseId: pulse.id, actor: `${caller.platform}:${caller.userId}` });
      if (!outcome.closed) return note(`Pulse #${pulse.id} is already closed.`);
      return outcome.posted
        ? note(`Pulse #${pulse.id} is closed; the results are posted in the channel.`)
        : outcome.message;
    }
    case "results": {
      const pulse = await findPulse(
        deps,
        caller,
        command.pulseId,
        ["closed"],
        "closed",
        await noResultsHint(deps, caller, prefix),
      );
      const results = await pulseResults(deps, pulse.id);
      if (!results)
        return note(
          `Pulse #${pulse.id} is still open: results appear when it closes, ${formatWhen(pulse.closesAt, zone)}.`,
        );
      return { ...results.message, visibility: "private" };
    }
    case "list": {
      const where = { workspaceId: caller.workspace.id, platform: caller.platform, channelId: caller.channelId };
      const pulses = await deps.store.listInChannel({ ...where, statuses: ["open", "scheduled"] });
      if (pulses.length === 0)
        return note(`No open pulses in this channel. \`${prefix} help\` shows how to start one.`);
      const lines = await Promise.all(
        pulses.map(async (p) => {
          if (p.status === "scheduled") return `• #${p.id} *${p.title}*: next opens ${formatWhen(p.opensAt, zone)}`;
          const count = await deps.store.countRespondents(p.id);
          return `• #${p.id} *${p.title}*: ${count} answered, closes ${formatWhen(p.closesAt, zone)}${p.recurrence ? " (weekly)" : ""}`;
        }),
      );
      return note(lines.join("\n"));
    }
    case "stop": {
      const pulse = await findPulse(deps, caller, command.pulseId, ["open", "scheduled"], "open or scheduled");
      await mayManage(caller, pulse, "stop");
      const where = { workspaceId: caller.workspace.id, platform: caller.platform, channelId: pulse.channelId };
      const series = (await deps.store.listInChannel({ ...where, statuses: ["open", "scheduled"] })).filter(
        (p) => p.recurrence && p.title === pulse.title,
      );
      const stopped = await deps.store.stopRecurrence(series.map((p) => p.id));
      return note(stopped > 0 ? `“${pulse.title}” won't repeat any more.` : `Pulse #${pulse.id} doesn't repeat.`);
    }
    case "answer": {
      const pulse = await findPulse(deps, caller, command.pulseId, ["open"], "open");
      const question = pulse.questions.find((q) => q.position === command.position);
      if (!question) throw new AppError(ErrorCode.NotFound, `Pulse #${pulse.id} has no question ${command.position}.`);
      const yesNo: Record<string, string> = { yes: "1", y: "1", no: "0", n: "0" };
      const value = question.kind === "yesno" ? (yesNo[command.value.toLowerCase()] ?? command.value) : command.value;
      const outcome = await recordAnswer(deps, {
        pulseId: pulse.id,
        questionId: question.id,
        platform: caller.platform,
        userId: caller.userId,
        ...(question.kind === "text" ? { text: command.value } : { value }),
      });
      return outcome.message;
    }
  }
}
