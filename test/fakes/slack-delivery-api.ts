// A small fake of Slack's Web API for proactive posts: chat.postMessage, the external
// upload sequence (files.getUploadURLExternal → POST to upload_url →
// files.completeUploadExternal) and conversations.info, with failures on demand
// (HTTP 429 with Retry-After, HTTP 5xx, or an `ok: false` error code).
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** `failed`: the fake answered it with a failure asked for by fail() */
export type DeliveryCall = {
  method: string;
  token: string | null;
  args: Record<string, unknown>;
  bytes?: number;
  failed?: boolean;
};
export type Failure = { status: 429; retryAfterSeconds: number } | { status: number } | { error: string };

export type FakeSlackDelivery = {
  apiUrl: string;
  calls: DeliveryCall[];
  callsTo(method: string): DeliveryCall[];
  /** the next calls to `method` fail like this, one failure each */
  fail(method: string, ...failures: Failure[]): void;
  /** channels conversations.info reports the bot is not a member of */
  notMemberOf: Set<string>;
  close(): Promise<void>;
};

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseArgs(req: IncomingMessage, raw: Buffer): Record<string, unknown> {
  const type = req.headers["content-type"] ?? "";
  const text = raw.toString("utf8");
  if (type.includes("application/json")) return text ? JSON.parse(text) : {};
  if (type.includes("application/x-www-form-urlencoded")) {
    const args: Record<string, unknown> = {};
    for (const [key, value] of new URLSearchParams(text)) {
      try {
        args[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
      } catch {
        args[key] = value;
      }
    }
    return args;
  }
  return {};
}

export async function startFakeSlackDelivery(): Promise<FakeSlackDelivery> {
  const calls: DeliveryCall[] = [];
  const failures = new Map<string, Failure[]>();
  const notMemberOf = new Set<string>();
  let counter = 0;
  let base = "";

  const server = createServer(async (req, res) => {
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
      res.end(JSON.stringify(body));
    };
    const raw = await readBody(req);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const auth = req.headers.authorization;
    const token = auth?.startsWith("Bearer ") ? auth.slice(7) : null;
    if (url.pathname.startsWith("/upload/")) {
      calls.push({ method: "upload", token, args: { file_id: url.pathname.slice(8) }, bytes: raw.length });
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("OK - uploaded");
      return;
    }
    const method = url.pathname.replace(/^\/api\//, "");
    const args = parseArgs(req, raw);
    const call: DeliveryCall = { method, token: token ?? (typeof args.token === "string" ? args.token : null), args };
    calls.push(call);
    const failure = failures.get(method)?.shift();
    if (failure) {
      call.failed = true;
      if ("error" in failure) return reply(200, { ok: false, error: failure.error });
      if (failure.status === 429 && "retryAfterSeconds" in failure) {
        return reply(429, { ok: false, error: "ratelimited" }, { "retry-after": String(failure.retryAfterSeconds) });
      }
      return reply(failure.status, { ok: false, error: "server_error" });
    }
    counter += 1;
    switch (method) {
      case "chat.postMessage":
        return reply(200, { ok: true, channel: args.channel, ts: `1700000000.${String(counter).padStart(6, "0")}` });
      case "files.getUploadURLExternal": {
        const fileId = `F${counter}`;
        return reply(200, { ok: true, upload_url: `${base}/upload/${fileId}`, file_id: fileId });
      }
      case "files.completeUploadExternal":
        return reply(200, { ok: true, files: (args.files as { id: string }[]).map((f) => ({ id: f.id })) });
      case "conversations.info": {
        const channel = String(args.channel ?? "");
        if (channel.startsWith("G")) return reply(200, { ok: false, error: "channel_not_found" });
        return reply(200, { ok: true, channel: { id: channel, is_member: !notMemberOf.has(channel) } });
      }
      default:
        return reply(200, { ok: true });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiUrl: `${base}/api/`,
    calls,
    callsTo: (method) => calls.filter((call) => call.method === method),
    fail(method, ...more) {
      failures.set(method, [...(failures.get(method) ?? []), ...more]);
    },
    notMemberOf,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
