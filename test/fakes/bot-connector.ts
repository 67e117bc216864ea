// A fake Bot Connector service on 127.0.0.1: the `serviceUrl` of test activities.
// It records every activity the bot sends (replies and proactive posts).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type ConnectorCall = { method: string; path: string; body: Record<string, unknown> };

export type FakeConnector = {
  url: string;
  calls: ConnectorCall[];
  /** activities posted to conversations (replies and proactive messages) */
  activities(): Record<string, unknown>[];
  /** make the next N calls answer with this status (e.g. 429) */
  failNext(count: number, status: number, headers?: Record<string, string>): void;
  close(): Promise<void>;
};

export async function startFakeConnector(): Promise<FakeConnector> {
  const calls: ConnectorCall[] = [];
  let failures: { count: number; status: number; headers: Record<string, string> } = {
    count: 0,
    status: 500,
    headers: {},
  };
  let nextId = 1;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      body = { raw: text };
    }
    if (failures.count > 0) {
      failures.count--;
      res.writeHead(failures.status, { "content-type": "application/json", ...failures.headers });
      res.end(JSON.stringify({ error: { code: "Throttled", message: "fake failure" } }));
      return;
    }
    calls.push({ method: req.method ?? "", path: req.url ?? "", body });
    res.writeHead(200, { "content-type": "application/json" });
    if (/\/v3\/conversations\/?$/.test(req.url ?? ""))
      res.end(JSON.stringify({ id: `conv-${nextId++}`, activityId: `act-${nextId++}` }));
    else res.end(JSON.stringify({ id: `act-${nextId++}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    activities: () =>
      calls.filter((call) => /\/v3\/conversations\/.+\/activities/.test(call.path)).map((call) => call.body),
    failNext(count, status, headers = {}) {
      failures = { count, status, headers };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
