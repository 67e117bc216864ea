// The HTTP part every vendor fake shares: a server on 127.0.0.1, a log of the
// requests it answered, and faults to inject (429 with Retry-After, 5xx, a network
// drop, or "every request after the nth fails": a failure half-way through a sync).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export type VendorRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  /** parsed JSON (or form fields), or null */
  body: unknown;
};
export type VendorAnswer = { status: number; body: unknown; headers?: Record<string, string> };
export type Fault = {
  status: number;
  /** Retry-After header value, in seconds */
  retryAfter?: string;
  body?: unknown;
  /** how many requests in a row get it (default 1) */
  times?: number;
  /** only requests whose path contains this */
  path?: string;
};

export type VendorServer = {
  url: string;
  requests: VendorRequest[];
  /** the next matching request(s) get this answer instead */
  fail(fault: Fault): void;
  /** after `ok` more requests, every request fails with `status` until `heal()` */
  failAfter(ok: number, status?: number): void;
  heal(): void;
  close(): Promise<void>;
};

export async function startVendorServer(handle: (request: VendorRequest) => VendorAnswer): Promise<VendorServer> {
  const requests: VendorRequest[] = [];
  const faults: Fault[] = [];
  let okLeft = Number.POSITIVE_INFINITY;
  let brokenStatus = 500;

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    let body: unknown = null;
    if (raw !== "") {
      body = (req.headers["content-type"] ?? "").includes("json")
        ? JSON.parse(raw)
        : Object.fromEntries(new URLSearchParams(raw));
    }
    const request: VendorRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
    };
    requests.push(request);
    const send = (answer: VendorAnswer) => {
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
      res.end(JSON.stringify(answer.body));
    };
    const fault = faults.find((f) => f.path === undefined || request.path.includes(f.path));
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0) faults.splice(faults.indexOf(fault), 1);
      if (fault.status === 0) {
        req.socket.destroy();
        return;
      }
      send({
        status: fault.status,
        body: fault.body ?? { message: `injected ${fault.status}` },
        ...(fault.retryAfter ? { headers: { "retry-after": fault.retryAfter } } : {}),
      });
      return;
    }
    if (okLeft <= 0) {
      send({ status: brokenStatus, body: { message: "injected outage" } });
      return;
    }
    okLeft--;
    try {
      send(handle(request));
    } catch (error) {
      send({ status: 500, body: { message: `fake failed: ${(error as Error).message}` } });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    fail: (fault) => faults.push({ ...fault }),
    failAfter(ok, status = 500) {
      okLeft = ok;
      brokenStatus = status;
    },
    heal() {
      okLeft = Number.POSITIVE_INFINITY;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The bearer token a request carried, or null. */
export function bearer(request: VendorRequest): string | null {
  const header = request.headers.authorization;
  const value = Array.isArray(header) ? header[0] : header;
  return value?.startsWith("Bearer ") ? value.slice(7) : null;
}
