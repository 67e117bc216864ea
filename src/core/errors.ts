// Coded errors: adapters map the code to a reply (HTTP status, chat answer, exit code).
export const ErrorCode = {
  InvalidInput: "invalid_input",
  NotFound: "not_found",
  Unauthorized: "unauthorized",
  Forbidden: "forbidden",
  Conflict: "conflict",
  PayloadTooLarge: "payload_too_large",
  Unavailable: "unavailable",
  Internal: "internal",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
