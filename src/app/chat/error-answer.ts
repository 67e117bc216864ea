// Any failure of a chat command as a friendly, private answer: a coded refusal says what
// was wrong (with the alternatives it knows); anything else is logged with its stack and
// answered without internals.
import { describeError } from "../../core/describe-error.ts";
import { ErrorCode, isAppError } from "../../core/errors.ts";
import { errorMessage } from "../../core/messages/build-kpi-messages.ts";
import type { Message } from "../../core/messages/model.ts";
import type { Logger } from "../../core/ports.ts";

export function errorAnswer(error: unknown, logger: Logger, context: Record<string, unknown> = {}): Message {
  if (isAppError(error) && error.code !== ErrorCode.Internal) {
    const details = (error.details ?? {}) as { suggestions?: unknown; departments?: unknown };
    const list = Array.isArray(details.suggestions)
      ? details.suggestions
      : Array.isArray(details.departments)
        ? details.departments
        : [];
    const suggestions = list.filter((s): s is string => typeof s === "string");
    // messages that already name the alternatives are not repeated underneath
    const named = suggestions.some((s) => error.message.includes(s));
    return errorMessage(error.message, named ? [] : suggestions);
  }
  logger.error("chat command failed", { ...context, error: describeError(error) });
  return errorMessage("Sorry, something went wrong answering that. The details are in Tandem's log.");
}
