// A fake Meta Marketing API: the ad account insights edge with time_increment=1,
// paged by cursors with `paging.next` a full URL, behind an access token (header or
// access_token parameter). Errors are shaped as the Graph API's:
// {error: {message, type, code, fbtrace_id}}; a bad token is code 190.
import { randomBytes } from "node:crypto";
import { metaInsight } from "./examples.ts";
import { startVendorServer, type VendorCall, type VendorServer } from "./vendor-server.ts";

export type FakeMetaAds = VendorServer & {
  accountId: string;
  tokens: Set<string>;
  /** entries per page at most, whatever limit the request asks for */
  pageSize: number;
  /** sets a day's spend ("123.45"); "0" removes the day */
  setSpend(date: string, spend: string): void;
};

const graphError = (status: number) => ({
  error:
    status === 429 || status === 400
      ? { message: "(#17) User request limit reached", type: "OAuthException", code: 17, fbtrace_id: "AbCdEfGh" }
      : status === 401
        ? {
            message: "Invalid OAuth access token - Cannot parse access token",
            type: "OAuthException",
            code: 190,
            fbtrace_id: "AbCdEfGh",
          }
        : { message: "An unknown error occurred", type: "OAuthException", code: 1, fbtrace_id: "AbCdEfGh" },
});

function tokenOf(call: VendorCall): string | undefined {
  const auth = call.headers.authorization;
  if (typeof auth === "string" && auth.startsWith("Bearer ")) return auth.slice(7);
  return call.url.searchParams.get("access_token") ?? undefined;
}

export async function startFakeMetaAds(): Promise<FakeMetaAds> {
  const days = new Map<string, string>();
  const tokens = new Set(["EAAfake-system-user-token"]);
  const fake = (await startVendorServer(
    (method, url) =>
      method === "GET" && /^\/v\d+\.\d+\/act_\d+\/insights$/.test(url.pathname) ? "insights" : undefined,
    (call, reply) => {
      const token = tokenOf(call);
      if (token === undefined || !tokens.has(token)) return reply(401, graphError(401));
      if (!call.url.pathname.includes(`/act_${fake.accountId}/`))
        return reply(400, {
          error: { message: "(#100) Missing permissions", type: "OAuthException", code: 100, fbtrace_id: "AbCd" },
        });
      const params = call.url.searchParams;
      let range: { since?: string; until?: string };
      try {
        range = JSON.parse(params.get("time_range") ?? "");
      } catch {
        return reply(400, {
          error: { message: "(#100) time_range must be a JSON object", type: "OAuthException", code: 100 },
        });
      }
      if (params.get("time_increment") !== "1" || params.get("level") !== "account")
        return reply(400, { error: { message: "(#100) this fake serves daily account insights", code: 100 } });
      const since = range.since ?? "";
      const until = range.until ?? "";
      const entries = [...days]
        .filter(([date]) => date >= since && date <= until)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([date, spend]) => metaInsight(date, spend));
      const limit = Math.min(Number(params.get("limit") ?? 25), fake.pageSize);
      const after = params.get("after");
      const at = after === null ? 0 : Number(Buffer.from(after, "base64url").toString("utf8"));
      const page = entries.slice(at, at + limit);
      const cursor = (n: number) => Buffer.from(String(n)).toString("base64url");
      const nextUrl = new URL(call.url.pathname, fake.url);
      for (const [name, value] of params) if (name !== "after") nextUrl.searchParams.set(name, value);
      nextUrl.searchParams.set("after", cursor(at + page.length));
      return reply(200, {
        data: page,
        paging: {
          cursors: { before: cursor(at), after: cursor(at + page.length) },
          ...(at + page.length < entries.length ? { next: nextUrl.toString() } : {}),
        },
      });
    },
    graphError,
  )) as FakeMetaAds;
  return Object.assign(fake, {
    accountId: "1234567890123",
    tokens,
    pageSize: 25,
    setSpend(date: string, spend: string) {
      if (Number(spend) === 0) days.delete(date);
      else days.set(date, spend);
    },
  });
}

/** A fresh token the fake accepts. */
export function metaToken(fake: FakeMetaAds): string {
  const token = `EAA${randomBytes(8).toString("hex")}`;
  fake.tokens.add(token);
  return token;
}
