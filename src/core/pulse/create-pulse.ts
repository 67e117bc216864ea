// Creates a pulse and posts it in the channel: from `/pulse "QUESTION"` (one 1–5
// agreement question), from a template, or from the full form (up to 5 questions, each
// agree5 / scale10 / yesno / text with a tag; anonymous by default; closing after a
// duration, 24 h by default, or at a time; optionally weekly).

import type { DeliveryTarget } from "../delivery/ports.ts";
import { AppError, ErrorCode } from "../errors.ts";
import type { Message } from "../messages/model.ts";
import { inQuotes } from "../messages/user-text.ts";
import type { Platform } from "../platform.ts";
import { pulseMessage, pulsePreview } from "./messages.ts";
import type { PulseDeps } from "./ports.ts";
import { reminderAtFor } from "./recurrence.ts";
import { findTemplate, TEMPLATES } from "./templates.ts";
import {
  DEFAULT_DURATION_MS,
  MAX_DURATION_MS,
  MIN_DURATION_MS,
  type Pulse,
  type PulseSpec,
  type PulseSpecInput,
  PulseSpecSchema,
} from "./types.ts";

export type CreatePulseRequest = {
  workspaceId: number;
  platform: Platform;
  channelId: string;
  /** the creator's platform user id (creators are not anonymous: they posted the pulse) */
  createdBy: string;
  spec: PulseSpecInput;
};

export type CreatedPulse = {
  pulse: Pulse;
  /** the pulse as posted (or, without a messenger for the platform, to be shown as the reply) */
  message: Message;
  posted: boolean;
};

/** `/pulse "QUESTION"`: one 1–5 agreement question, tagged collaboration unless told otherwise. */
export function quickPulseSpec(
  question: string,
  options: { tag?: string; durationMs?: number; anonymous?: boolean } = {},
): PulseSpecInput {
  const text = question.trim();
  return {
    title: text.length > 150 ? `${text.slice(0, 149)}…` : text,
    questions: [{ text, kind: "agree5", tag: options.tag ?? "collaboration" }],
    ...(options.durationMs !== undefined ? { durationMs: options.durationMs } : {}),
    ...(options.anonymous !== undefined ? { anonymous: options.anonymous } : {}),
  };
}

export function templateSpec(key: string, overrides: Partial<PulseSpecInput> = {}): PulseSpecInput {
  const template = findTemplate(key);
  if (!template) {
    throw new AppError(ErrorCode.NotFound, `There is no pulse template ${inQuotes(key)}.`, {
      suggestions: TEMPLATES.map((t) => t.key),
    });
  }
  return { title: template.title, questions: template.questions, template: template.key, ...overrides };
}

export function parsePulseSpec(input: PulseSpecInput): PulseSpec {
  const result = PulseSpecSchema.safeParse(input);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const [first, index] = issue.path;
    const where = first === "questions" && typeof index === "number" ? `question ${index + 1}: ` : "";
    return `${where}${issue.message}`;
  });
  throw new AppError(ErrorCode.InvalidInput, `That pulse can't be created: ${lines.join("; ")}.`, {
    issues: result.error.issues,
  });
}

/** People asked: the channel's members when the platform can count them, else the people Tandem knows. */
export async function countAsked(deps: PulseDeps, target: DeliveryTarget): Promise<number> {
  const messenger = deps.messengers[target.platform];
  if (messenger?.countAudience) {
    try {
      const count = await messenger.countAudience(target);
      if (count !== null) return count;
    } catch (error) {
      deps.logger.warn("could not count the channel's members; participation uses the known members", {
        platform: target.platform,
        channel: target.channelId,
        error: String(error),
      });
    }
  }
  return deps.store.knownMembers(target.workspaceId, target.platform);
}

/**
 * Creates a pulse. A draft (`draft: true`, what people's commands create) is only stored
 * and previewed to its author; `postDraft` (draft-pulse.ts) opens and posts it. Without
 * `draft` (the scheduler's occurrences, tests) the pulse opens and posts at once.
 */
export async function createPulse(
  deps: PulseDeps,
  request: CreatePulseRequest,
  options: { draft?: boolean; prefix?: string } = {},
): Promise<CreatedPulse> {
  const spec = parsePulseSpec(request.spec);
  const now = deps.clock.now();
  const closesAt = new Date(spec.closesAtMs ?? now.getTime() + (spec.durationMs ?? DEFAULT_DURATION_MS));
  const durationMs = closesAt.getTime() - now.getTime();
  if (durationMs < MIN_DURATION_MS)
    throw new AppError(ErrorCode.InvalidInput, "A pulse must stay open at least 5 minutes.");
  if (durationMs > MAX_DURATION_MS)
    throw new AppError(ErrorCode.InvalidInput, "A pulse can stay open at most 30 days.");
  if (spec.weekly && durationMs > 7 * 24 * 3_600_000) {
    throw new AppError(ErrorCode.InvalidInput, "A weekly pulse can stay open at most 7 days.");
  }
  const departments = await deps.store.departments(request.workspaceId);
  for (const question of spec.questions) {
    if (question.aboutDepartment && !departments.some((d) => d.key === question.aboutDepartment)) {
      throw new AppError(ErrorCode.NotFound, `There is no department “${question.aboutDepartment}” to rate.`, {
        suggestions: departments.map((d) => d.key),
      });
    }
  }
  const target: DeliveryTarget = {
    platform: request.platform,
    workspaceId: request.workspaceId,
    channelId: request.channelId,
  };
  const [minGroupSize, askedCount, zone] = await Promise.all([
    deps.store.minGroupSize(request.workspaceId),
    options.draft ? 0 : countAsked(deps, target),
    deps.store.zone(request.workspaceId),
  ]);
  const pulse = await deps.store.create({
    workspaceId: request.workspaceId,
    platform: request.platform,
    channelId: request.channelId,
    createdBy: request.createdBy,
    title: spec.title,
    template: spec.template,
    anonymous: spec.anonymous,
    status: options.draft ? "draft" : "open",
    opensAt: now,
    closesAt,
    reminderAt: reminderAtFor(closesAt, durationMs, spec.remind),
    askedCount,
    minGroupSize,
    recurrence: spec.weekly ? { weekly: spec.weekly, durationMs, remind: spec.remind } : null,
    questions: spec.questions.map((q, i) => ({
      position: i + 1,
      text: q.text,
      kind: q.kind,
      tag: q.tag,
      aboutDepartment: q.aboutDepartment,
    })),
  });
  if (options.draft) {
    return { pulse, message: pulsePreview(pulse, { zone, prefix: options.prefix ?? "/pulse" }), posted: false };
  }
  return postOpenedPulse(deps, pulse, zone);
}

/** Audits a pulse that just opened and posts it in its channel; a post that fails cancels it. */
export async function postOpenedPulse(deps: PulseDeps, pulse: Pulse, zone: string): Promise<CreatedPulse> {
  const target: DeliveryTarget = {
    platform: pulse.platform,
    workspaceId: pulse.workspaceId,
    channelId: pulse.channelId,
  };
  await deps.store.audit({
    workspaceId: pulse.workspaceId,
    actor: `${pulse.platform}:${pulse.createdBy}`,
    action: "pulse.created",
    detail: {
      pulseId: pulse.id,
      channelId: pulse.channelId,
      questions: pulse.questions.length,
      anonymous: pulse.anonymous,
      closesAt: pulse.closesAt.toISOString(),
      weekly: pulse.recurrence?.weekly ?? null,
      template: pulse.template,
    },
  });
  const message = pulseMessage(pulse, { count: 0, zone });
  const messenger = deps.messengers[pulse.platform];
  if (!messenger) return { pulse, message, posted: false };
  try {
    const { messageId } = await messenger.post(target, message);
    await deps.store.setMessageId(pulse.id, messageId);
    return { pulse: { ...pulse, messageId }, message, posted: true };
  } catch (error) {
    await deps.store.cancel(pulse.id);
    deps.logger.warn("pulse could not be posted", {
      pulseId: pulse.id,
      channel: pulse.channelId,
      error: String(error),
    });
    throw new AppError(
      ErrorCode.Unavailable,
      "I couldn't post the pulse in this channel. If it's a private channel, invite me first (`/invite @Tandem`), then try again.",
    );
  }
}
