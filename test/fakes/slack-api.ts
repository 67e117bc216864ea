// A fake Slack on 127.0.0.1: the Web API (point SLACK_API_URL at `apiUrl`) and
// response_url endpoints, recording every call so tests can read what the app said.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export type SlackApiCall = { method: string; token: string | null; args: Record<string, unknown> };
export type ResponseUrlPost = { id: string; body: Record<string, unknown> };
export type FakeUser = { id: string; is_admin?: boolean; is_owner?: boolean; real_name?: string; tz?: string };
export type FakeTeam = { id: string; name: string };

export type FakeSlack = {
  apiUrl: string;
  /** a fresh response_url; posts to it land in `responses` under `id` */
  responseUrl(id?: string): string;
  calls: SlackApiCall[];
  responses: ResponseUrlPost[];
  users: Map<string, FakeUser>;
  /** oauth.v2.access: code → the team (and installing user) it installs into */
  oauthCodes: Map<string, { team: FakeTeam; userId: string; botToken: string }>;
  callsTo(method: string): SlackApiCall[];
  /** resolves once `check` finds something (polls; gives up after `ms`) */
  waitFor<T>(check: () => T | undefined | null | false, ms?: number): Promise<T>;
  reset(): void;
  close(): Promise<void>;
};

async function readJsonOrForm(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  if ((req.headers["content-type"] ?? "").includes("application/json")) return raw ? JSON.parse(raw) : {};
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    // the Web API client JSON-encodes object arguments (blocks, view) in form bodies
    args[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return args;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: SlackApiCall[] = [];
  const responses: ResponseUrlPost[] = [];
  const users = new Map<string, FakeUser>();
  const oauthCodes = new Map<string, { team: FakeTeam; userId: string; botToken: string }>();
  const tokenTeams = new Map<string, FakeTeam>();
  let counter = 0;

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify(body));
    };
    try {
      const args = await readJsonOrForm(req);
      if (url.pathname.startsWith("/respond/")) {
        responses.push({ id: url.pathname.slice("/respond/".length), body: args });
        reply(200, { ok: true });
        return;
      }
      if (!url.pathname.startsWith("/api/")) {
        reply(404, { ok: false, error: "unknown_path" });
        return;
      }
      const method = url.pathname.slice("/api/".length);
      const auth = req.headers.authorization;
      const token = auth?.startsWith("Bearer ") ? auth.slice(7) : typeof args.token === "string" ? args.token : null;
      calls.push({ method, token, args });
      counter += 1;
      const ts = `${Math.floor(Date.now() / 1000)}.${String(counter).padStart(6, "0")}`;
      switch (method) {
        case "auth.test": {
          const team = (token && tokenTeams.get(token)) || { id: "T0001", name: "Tandem Test" };
          reply(200, { ok: true, user_id: "UBOT", bot_id: "BBOT", team_id: team.id, team: team.name, user: "tandem" });
          return;
        }
        case "users.info": {
          const id = String(args.user ?? "");
          const user = users.get(id) ?? { id, is_admin: false, is_owner: false };
          reply(200, { ok: true, user: { name: id.toLowerCase(), real_name: id, tz: "UTC", ...user } });
          return;
        }
        case "chat.postMessage":
        case "chat.postEphemeral":
          reply(200, { ok: true, channel: args.channel, ts, message_ts: ts });
          return;
        case "views.publish":
          reply(200, { ok: true, view: { id: `V${counter}`, ...(args.view as object) } });
          return;
        case "oauth.v2.access": {
          const grant = oauthCodes.get(String(args.code ?? ""));
          if (!grant) {
            reply(200, { ok: false, error: "invalid_code" });
            return;
          }
          tokenTeams.set(grant.botToken, grant.team);
          reply(200, {
            ok: true,
            app_id: "A0001",
            authed_user: { id: grant.userId },
            scope: "commands,chat:write,users:read",
            token_type: "bot",
            access_token: grant.botToken,
            bot_user_id: "UBOT",
            team: grant.team,
            enterprise: null,
            is_enterprise_install: false,
          });
          return;
        }
        default:
          reply(200, { ok: true });
      }
    } catch (error) {
      reply(400, { ok: false, error: String(error) });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiUrl: `${base}/api/`,
    responseUrl: (id = `r${++counter}`) => `${base}/respond/${id}`,
    calls,
    responses,
    users,
    oauthCodes,
    callsTo: (method) => calls.filter((call) => call.method === method),
    async waitFor(check, ms = 10_000) {
      const until = Date.now() + ms;
      for (;;) {
        const found = check();
        if (found) return found;
        if (Date.now() > until) throw new Error("fake Slack: the expected call never came");
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    reset() {
      calls.length = 0;
      responses.length = 0;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
