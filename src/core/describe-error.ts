// What Tandem says about a failure. Logs get the stack (where it broke); people and
// stored reasons get the message alone (errorText), never the stack.

/** The error with its stack, for the log. */
export function describeError(error: unknown): string {
  const stack = (error as { stack?: unknown } | null | undefined)?.stack;
  return typeof stack === "string" ? stack : String(error);
}

/** The error's message alone, for a reply or a stored reason. */
export function errorText(error: unknown): string {
  const message = (error as { message?: unknown } | null | undefined)?.message;
  return typeof message === "string" ? message : String(error);
}
