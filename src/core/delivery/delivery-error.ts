// The one error every messenger throws. The messenger that saw the failure classifies it
// (`retryable`), since only it knows its platform's transient answers; withRetries
// (retries.ts) only reads the classification.

export type DeliveryErrorOptions = {
  /** HTTP-like: 429 rate limited, 5xx the platform failed, 0 the network, 4xx refused for good */
  status: number;
  /** the platform's own error code (`not_in_channel`, `channel_not_found`, …); default `http_<status>` */
  code?: string;
  /** how long the platform asked us to wait (Retry-After) */
  retryAfterMs?: number;
  /** whether trying again may help; default: by status (see isTransientStatus) */
  retryable?: boolean;
  cause?: unknown;
};

/** 429, 5xx and network failures may pass; 501 (a platform this Tandem does not serve) and 4xx will not. */
export function isTransientStatus(status: number): boolean {
  return status === 429 || status === 0 || (status >= 500 && status !== 501);
}

export class DeliveryError extends Error {
  readonly status: number;
  readonly code: string;
  readonly retryAfterMs: number | undefined;
  readonly retryable: boolean;

  constructor(message: string, options: DeliveryErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "DeliveryError";
    this.status = options.status;
    this.code = options.code ?? `http_${options.status}`;
    this.retryAfterMs = options.retryAfterMs;
    this.retryable = options.retryable ?? isTransientStatus(options.status);
  }
}

export function isDeliveryError(error: unknown): error is DeliveryError {
  return error instanceof DeliveryError;
}
