// The one HTTP server: Slack, Teams, the ingest API, health and metrics share it.
// Routes are plain (req, res) handlers; adapters register theirs at composition.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { describeError } from "../../core/describe-error.ts";
import { AppError, ErrorCode } from "../../core/errors.ts";
import type { Logger } from "../../core/ports.ts";
import { sendJson, statusForError } from "./body.ts";
import type { HttpMetrics } from "./metrics.ts";

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;
export type Route = { method: "GET" | "POST"; path: string; handler: RouteHandler };

export type HttpServer = {
  server: Server;
  listen(port: number, host?: string): Promise<number>;
  /**
   * Stops accepting at once (the listener closes; a request on a kept-alive connection is
   * answered 503 with `Connection: close`, unprocessed), lets in-flight requests finish
   * (up to graceMs, then their connections are cut), and resolves when no connection is left.
   */
  close(graceMs?: number): Promise<void>;
};

/** Why the server cannot listen, in the one line start-up prints; other errors as they are. */
export function listenError(error: Error, port: number, host?: string): Error {
  const where = host ? `${host}:${port}` : `port ${port}`;
  switch ((error as NodeJS.ErrnoException).code) {
    case "EADDRINUSE":
      return new AppError(
        ErrorCode.InvalidInput,
        `${where} is already in use (another Tandem, or another program); set PORT to a free port`,
      );
    case "EACCES":
      return new AppError(
        ErrorCode.InvalidInput,
        `not allowed to listen on ${where}${port < 1024 ? " (ports below 1024 need privileges)" : ""}; set PORT to another port, 1024 or above`,
      );
    case "EADDRNOTAVAIL":
      return new AppError(
        ErrorCode.InvalidInput,
        `cannot listen on ${where}: the address is not one of this machine's`,
      );
    default:
      return error;
  }
}

export function createHttpServer(routes: Route[], deps: { logger: Logger; metrics?: HttpMetrics }): HttpServer {
  const table = new Map(routes.map((route) => [`${route.method} ${route.path}`, route]));
  let closing = false;
  const inFlight = new Set<ServerResponse>();
  const server = createServer(async (req, res) => {
    if (closing) {
      deps.logger.debug("request refused: shutting down");
      res.setHeader("connection", "close");
      sendJson(res, 503, { error: "shutting down" });
      return;
    }
    inFlight.add(res);
    res.on("close", () => {
      inFlight.delete(res);
      // the last answer after close(): its kept-alive connection (and any other idle one) goes now
      if (closing && inFlight.size === 0) server.closeIdleConnections();
    });
    const pathname = (req.url ?? "/").split("?")[0] ?? "/";
    const route = table.get(`${req.method} ${pathname}`);
    const stop = deps.metrics?.startTimer(route ? route.path : "unmatched", req.method ?? "GET");
    res.on("finish", () => stop?.(res.statusCode));
    if (!route) {
      const known = routes.some((candidate) => candidate.path === pathname);
      sendJson(res, known ? 405 : 404, { error: known ? "method not allowed" : "not found" });
      return;
    }
    try {
      await route.handler(req, res);
    } catch (error) {
      const status = statusForError(error);
      if (status >= 500) deps.logger.error("request failed", { path: pathname, error: describeError(error) });
      if (!res.headersSent) {
        // a busy database (store/busy.ts) says when to try again
        const details = error instanceof AppError ? (error.details as { retryAfterSeconds?: unknown } | null) : null;
        if (status === 503 && typeof details?.retryAfterSeconds === "number")
          res.setHeader("retry-after", String(details.retryAfterSeconds));
        sendJson(res, status, { error: error instanceof AppError ? error.message : "internal error" });
      } else res.end();
    }
  });
  // Slack retries a request it did not get an answer to within 3 s; keep sockets short-lived.
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;

  return {
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once("error", (error) => reject(listenError(error, port, host)));
        server.listen(port, host, () => {
          server.off("error", reject);
          resolve((server.address() as AddressInfo).port);
        });
      }),
    close: (graceMs = 10_000) =>
      new Promise((resolve) => {
        closing = true;
        for (const res of inFlight) if (!res.headersSent) res.setHeader("connection", "close");
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        force.unref();
        // closes the listener and the idle connections
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}
