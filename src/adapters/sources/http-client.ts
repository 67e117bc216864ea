// The polite HTTP client every source reader uses (SOURCES.md, "Polite"): at most
// the vendor's request rate, 429 (waiting at least its Retry-After) and 5xx or network
// failures retried with jittered backoff through the project's one retry routine
// (withDeliveryRetries), anything else failing at once. Errors name the vendor, the
// status, the path and the vendor's own message, never a header or a query string.
import { STATUS_CODES } from "node:http";
import { DeliveryError } from "../../core/delivery/delivery-error.ts";
import { DEFAULT_RETRY_POLICY, type RetryPolicy, withDeliveryRetries } from "../../core/delivery/retries.ts";
import { errorText } from "../../core/describe-error.ts";

export type HttpRequest = {
  method?: "GET" | "POST";
  url: string | URL;
  headers?: Record<string, string>;
  /** a JSON body */
  json?: unknown;
  /** a form body (OAuth token requests) */
  form?: Record<string, string>;
  /** follow redirects (a published file's link); only for requests that carry no credentials */
  followRedirects?: boolean;
};

export type SourceHttp = {
  json<T = unknown>(request: HttpRequest): Promise<T>;
  text(request: HttpRequest): Promise<string>;
  /** requests sent so far, retries included */
  requests(): number;
};

export type SourceHttpOptions = {
  /** the vendor as errors name it ("HubSpot") */
  vendor: string;
  /** at most this many requests a second */
  requestsPerSecond: number;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
};

/** A vendor's answer or a network failure; `retryable` says whether another try may help. */
export class SourceHttpError extends DeliveryError {
  override name = "SourceHttpError";
}

// Sources sync in the background: they may wait longer than a chat post, but a run must
// still end well within its claim's lease (src/core/sources/sync-source.ts).
export const SOURCE_RETRY_POLICY: RetryPolicy = {
  ...DEFAULT_RETRY_POLICY,
  retries: 6,
  minTimeoutMs: 1_000,
  maxTimeoutMs: 30_000,
  budgetMs: 5 * 60_000,
};
const DEFAULT_TIMEOUT_MS = 60_000;
const MAX_VENDOR_MESSAGE = 200;

export function createSourceHttp(options: SourceHttpOptions): SourceHttp {
  const policy: RetryPolicy = { ...SOURCE_RETRY_POLICY, ...options.retry };
  const send = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const spacingMs = 1000 / options.requestsPerSecond;
  let nextSlot = 0;
  let sent = 0;

  // Each request takes the next free slot, so requests stay `spacingMs` apart.
  const waitTurn = async () => {
    const at = now();
    const slot = Math.max(at, nextSlot);
    nextSlot = slot + spacingMs;
    if (slot > at) await policy.sleep(slot - at);
  };

  const once = async (request: HttpRequest): Promise<string> => {
    await waitTurn();
    sent++;
    const url = new URL(request.url);
    const method = request.method ?? (request.json !== undefined || request.form !== undefined ? "POST" : "GET");
    const where = `${method} ${url.pathname}`;
    const headers: Record<string, string> = { accept: "application/json", ...request.headers };
    let body: string | undefined;
    if (request.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(request.json);
    } else if (request.form !== undefined) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(request.form).toString();
    }
    let response: Response;
    try {
      response = await send(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
        redirect: request.followRedirects === true && request.headers?.authorization === undefined ? "follow" : "error",
      });
    } catch (error) {
      throw new SourceHttpError(
        `could not reach ${options.vendor} (${where} at ${url.host}): ${networkReason(error)}`,
        {
          status: 0,
          cause: error,
        },
      );
    }
    const text = await response.text().catch(() => "");
    if (response.ok) return text;
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), now());
    throw new SourceHttpError(
      `${options.vendor} answered ${response.status} ${response.statusText || (STATUS_CODES[response.status] ?? "")}`.trimEnd() +
        ` to ${where}${advice(response.status)}${vendorMessage(text)}`,
      { status: response.status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
    );
  };

  const text = (request: HttpRequest) => withDeliveryRetries(() => once(request), policy);
  return {
    text,
    async json<T>(request: HttpRequest): Promise<T> {
      const answer = await text(request);
      try {
        return JSON.parse(answer) as T;
      } catch {
        throw new SourceHttpError(
          `${options.vendor} answered ${request.method ?? "GET"} ${new URL(request.url).pathname} with something that is not JSON`,
          { status: 502, retryable: false },
        );
      }
    },
    requests: () => sent,
  };
}

function advice(status: number): string {
  if (status === 401) return " (the token was refused: check the environment variable the config names)";
  if (status === 403) return " (the token lacks a permission this source needs: see docs/sources.md)";
  return "";
}

/** The vendor's own words, if it sent any: JSON `message`/`error.message`/`error`, else the text. */
function vendorMessage(text: string): string {
  let message: unknown = text;
  try {
    // Salesforce answers a list of errors: its first one speaks for it.
    const json = JSON.parse(text) as unknown;
    const parsed = (Array.isArray(json) ? (json[0] ?? {}) : json) as Record<string, unknown>;
    const error = parsed.error as Record<string, unknown> | string | undefined;
    message =
      parsed.message ??
      (typeof error === "object" && error !== null ? error.message : error) ??
      parsed.error_description ??
      "";
  } catch {
    // not JSON: the text itself
  }
  const words = String(message).replace(/\s+/g, " ").trim();
  if (words === "") return "";
  return `: ${words.length > MAX_VENDOR_MESSAGE ? `${words.slice(0, MAX_VENDOR_MESSAGE)}…` : words}`;
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === "string") return cause.code;
  if ((error as { name?: unknown } | null)?.name === "TimeoutError") return "no answer in time";
  return errorText(cause ?? error);
}

/** Retry-After as seconds or an HTTP date, in milliseconds from now. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
