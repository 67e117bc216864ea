// A Bolt receiver that is one route of the shared HTTP server: POST /slack/events
// carries slash commands, interactivity and events. Nothing reaches Bolt until the
// signature checks out; a body that is not one of Slack's shapes is a 400.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { App, Receiver, ReceiverEvent } from "@slack/bolt";
import { describeError } from "../../core/describe-error.ts";
import type { Logger } from "../../core/ports.ts";
import { MB, readBody, sendJson } from "../http/body.ts";
import type { RouteHandler } from "../http/server.ts";
import { verifySlackSignature } from "./verify-signature.ts";

type Body = Record<string, unknown>;

export type RouteReceiverOptions = {
  signingSecret: string;
  logger: Logger;
  /** wall-clock for the replay window; real time even when the app's Clock is fixed */
  nowMs?: () => number;
  bodyLimitBytes?: number;
  /** a request nobody acknowledged by then gets an empty 200, inside Slack's 3 s */
  unackedAfterMs?: number;
};

export class RouteReceiver implements Receiver {
  private app: App | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly options: Required<RouteReceiverOptions>;

  constructor(options: RouteReceiverOptions) {
    this.options = { nowMs: Date.now, bodyLimitBytes: MB, unackedAfterMs: 2_500, ...options };
  }

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}

  /** Lets work that continues after an ack (respond, views.publish) finish. */
  async stop(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  readonly handler: RouteHandler = async (req, res) => {
    const raw = await readBody(req, this.options.bodyLimitBytes);
    const contentType = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    if (
      contentType === "application/x-www-form-urlencoded" &&
      new URLSearchParams(raw.toString("utf8")).get("ssl_check") === "1"
    ) {
      // Slack's SSL probe is unsigned; answer it and do nothing else
      res.writeHead(200).end();
      return;
    }
    const check = verifySlackSignature({
      signingSecret: this.options.signingSecret,
      signature: req.headers["x-slack-signature"],
      timestamp: req.headers["x-slack-request-timestamp"],
      rawBody: raw,
      nowMs: this.options.nowMs(),
    });
    if (!check.ok) {
      this.options.logger.warn("slack request refused", { reason: check.reason });
      sendJson(res, 401, { error: "invalid signature" });
      return;
    }
    const body = parseSlackBody(contentType, raw.toString("utf8"));
    if (!body) {
      this.options.logger.warn("slack request with a malformed body", { contentType });
      sendJson(res, 400, { error: "malformed body" });
      return;
    }
    if (body.type === "url_verification") {
      sendJson(res, 200, { challenge: body.challenge });
      return;
    }
    const work = this.dispatch(req, res, body);
    this.inFlight.add(work);
    try {
      await work;
    } finally {
      this.inFlight.delete(work);
    }
  };

  private async dispatch(req: IncomingMessage, res: ServerResponse, body: Body): Promise<void> {
    const app = this.app;
    if (!app) throw new Error("RouteReceiver used before Bolt initialised it");
    let acked = false;
    const timer = setTimeout(() => {
      if (acked) return;
      acked = true;
      this.options.logger.warn("slack request not acknowledged in time", { kind: describe(body) });
      res.writeHead(200).end();
    }, this.options.unackedAfterMs);
    timer.unref();
    const event: ReceiverEvent = {
      body,
      retryNum: numberHeader(req, "x-slack-retry-num"),
      retryReason: stringHeader(req, "x-slack-retry-reason"),
      ack: async (response?: unknown) => {
        if (acked) return;
        acked = true;
        clearTimeout(timer);
        if (response === undefined || response === "") res.writeHead(200).end();
        else if (typeof response === "string")
          res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end(response);
        else sendJson(res, 200, response);
      },
    };
    try {
      await app.processEvent(event);
    } catch (error) {
      this.options.logger.error("slack request failed", {
        kind: describe(body),
        error: describeError(error),
      });
      if (!acked) {
        acked = true;
        sendJson(res, 500, { error: "internal error" });
      }
    } finally {
      clearTimeout(timer);
      if (!acked) {
        acked = true;
        res.writeHead(200).end();
      }
    }
  }
}

/** A slash command (form fields), an interactivity payload (form `payload=<json>`) or an event (JSON). */
export function parseSlackBody(contentType: string, text: string): Body | null {
  try {
    let body: unknown;
    if (contentType === "application/x-www-form-urlencoded") {
      const form = new URLSearchParams(text);
      const payload = form.get("payload");
      body = payload !== null ? JSON.parse(payload) : Object.fromEntries(form);
    } else if (contentType === "application/json") {
      body = JSON.parse(text);
    } else {
      return null;
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) return null;
    const record = body as Body;
    if (typeof record.command === "string" || typeof record.type === "string") return record;
    return null;
  } catch {
    return null;
  }
}

function describe(body: Body): string {
  return typeof body.command === "string" ? body.command : String(body.type);
}

function stringHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === "string" ? value : undefined;
}

function numberHeader(req: IncomingMessage, name: string): number | undefined {
  const value = Number(stringHeader(req, name));
  return Number.isInteger(value) ? value : undefined;
}
