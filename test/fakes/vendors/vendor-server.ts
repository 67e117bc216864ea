// What every vendor fake shares: a server on 127.0.0.1 that records each call, and
// failures on demand, one per call, for the next calls to a route: an HTTP status
// (429 with Retry-After, a 5xx) or a dropped connection. A route is a name the fake
// gives its endpoints ("token", "query", "search", "insights", "csv").
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type VendorCall = { route: string; method: string; url: URL; headers: IncomingMessage["headers"]; body: string };
export type VendorFailure = { status: number; retryAfterSeconds?: number; body?: unknown } | { drop: true };
export type Reply = (status: number, body: unknown, headers?: Record<string, string>) => void;
export type VendorHandler = (call: VendorCall, reply: Reply, res: ServerResponse) => void | Promise<void>;

export type VendorServer = {
  url: string;
  calls: VendorCall[];
  callsTo(route: string): VendorCall[];
  /** the next calls to `route` fail like this, one failure each */
  fail(route: string, ...failures: VendorFailure[]): void;
  /** the `n`th call to `route` from now on (1 = the next) fails, the ones before succeed: a failure half-way */
  failAt(route: string, n: number, failure: VendorFailure): void;
  close(): Promise<void>;
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** `routeOf` names the endpoint a request is for (undefined: 404). */
export async function startVendorServer(
  routeOf: (method: string, url: URL) => string | undefined,
  handle: VendorHandler,
  failureBody: (status: number) => unknown,
): Promise<VendorServer> {
  const calls: VendorCall[] = [];
  const failures = new Map<string, (VendorFailure | null)[]>();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const body = await readBody(req);
    const reply: Reply = (status, payload, headers = {}) => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
      res.end(typeof payload === "string" ? payload : JSON.stringify(payload));
    };
    const route = routeOf(req.method ?? "GET", url);
    if (route === undefined) return reply(404, { error: "no such endpoint in this fake" });
    const call = { route, method: req.method ?? "GET", url, headers: req.headers, body };
    calls.push(call);
    const failure = failures.get(route)?.shift();
    if (failure) {
      if ("drop" in failure) return void res.socket?.destroy();
      const headers: Record<string, string> = {};
      if (failure.retryAfterSeconds !== undefined) headers["retry-after"] = String(failure.retryAfterSeconds);
      return reply(failure.status, failure.body ?? failureBody(failure.status), headers);
    }
    try {
      await handle(call, reply, res);
    } catch (error) {
      reply(500, { error: String(error) });
    }
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    callsTo: (route) => calls.filter((call) => call.route === route),
    fail(route, ...more) {
      const queue = failures.get(route) ?? [];
      failures.set(route, [...queue, ...more]);
    },
    failAt(route, n, failure) {
      failures.set(route, [...Array.from({ length: n - 1 }, () => null), failure]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The bearer token of a request, if any. */
export function bearer(call: VendorCall): string | undefined {
  const auth = call.headers.authorization;
  return typeof auth === "string" && auth.startsWith("Bearer ") ? auth.slice(7) : undefined;
}
