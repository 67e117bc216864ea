// One answer per person per question, changeable until the pulse closes. The store
// upserts on (question, respondent key) with the open check in the same transaction,
// so concurrent clicks are never lost or counted twice and nothing lands after the
// close. Nothing here logs who answered.
import { AppError, ErrorCode } from "../errors.ts";
import type { Message } from "../messages/model.ts";
import type { Platform } from "../platform.ts";
import { answerLabel, closedRefusal, confirmationMessage } from "./messages.ts";
import type { PulseDeps } from "./ports.ts";
import { scaleOf } from "./results.ts";
import { type Pulse, type Question, TEXT_ANSWER_CHARS } from "./types.ts";

export type AnswerRequest = {
  pulseId: number;
  questionId: number;
  platform: Platform;
  userId: string;
  /** the button's value for scale and yes/no questions */
  value?: string | number;
  /** free-text questions */
  text?: string;
};

export type AnswerOutcome =
  | {
      status: "recorded";
      change: "new" | "changed" | "same";
      pulse: Pulse;
      question: Question;
      /** the private confirmation for the person who answered */
      message: Message;
    }
  | { status: "closed"; pulse: Pulse; message: Message };

/** The respondent key: pseudonymous for anonymous pulses, the platform user otherwise. */
export function respondentOf(deps: Pick<PulseDeps, "keyer">, pulse: Pulse, platform: Platform, userId: string): string {
  return pulse.anonymous ? deps.keyer({ kind: "pulse", id: pulse.id }, { platform, userId }) : `${platform}:${userId}`;
}

function parseAnswer(question: Question, request: AnswerRequest): { value: number | null; text: string | null } {
  if (question.kind === "text") {
    const text = (request.text ?? "").trim();
    if (text === "") throw new AppError(ErrorCode.InvalidInput, "Write a few words, or leave the question unanswered.");
    if (Array.from(text).length > TEXT_ANSWER_CHARS) {
      throw new AppError(ErrorCode.InvalidInput, `Keep it under ${TEXT_ANSWER_CHARS} characters, please.`);
    }
    return { value: null, text };
  }
  const value = Number(request.value);
  if (!scaleOf(question.kind).some((option) => option.value === value)) {
    throw new AppError(ErrorCode.InvalidInput, "That isn't one of this question's answers.");
  }
  return { value, text: null };
}

export async function recordAnswer(deps: PulseDeps, request: AnswerRequest): Promise<AnswerOutcome> {
  const pulse = await deps.store.definition(request.pulseId);
  const question = pulse?.questions.find((q) => q.id === request.questionId);
  if (!pulse || !question || pulse.platform !== request.platform || pulse.status === "cancelled") {
    throw new AppError(ErrorCode.NotFound, "I can't find that pulse any more.");
  }
  if (pulse.status === "draft") {
    throw new AppError(
      ErrorCode.InvalidInput,
      `Pulse #${pulse.id} is a preview: it takes answers once its author posts it.`,
    );
  }
  const zone = await deps.store.zone(pulse.workspaceId);
  const now = deps.clock.now();
  if (pulse.status !== "open" || now >= pulse.closesAt) {
    return { status: "closed", pulse, message: closedRefusal(pulse, zone) };
  }
  const answer = parseAnswer(question, request);
  const respondent = respondentOf(deps, pulse, request.platform, request.userId);
  const department = await deps.store.memberDepartment(pulse.workspaceId, request.platform, request.userId);
  const outcome = await deps.store.recordAnswer({
    pulseId: pulse.id,
    questionId: question.id,
    respondent,
    department,
    ...answer,
    at: pulse.opensAt,
  });
  if (!outcome.ok) {
    const closed = (await deps.store.get(pulse.id)) ?? pulse;
    return { status: "closed", pulse: closed, message: closedRefusal(closed, zone) };
  }
  const previous = outcome.previous;
  const change =
    previous === null ? "new" : previous.value === answer.value && previous.text === answer.text ? "same" : "changed";
  const label = answerLabel(question.kind, answer.value, answer.text);
  return {
    status: "recorded",
    change,
    pulse,
    question,
    message: confirmationMessage({ pulse, question, label, change, zone }),
  };
}
