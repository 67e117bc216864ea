// A fake Meta Marketing API: the ad account insights edge with time_increment=1,
// paged by cursors with `paging.next` a full URL, behind an access token (header or
// access_token parameter). Errors are shaped as the Graph API's:
// {error: {message, type, code, fbtrace_id}}; a bad token is code 190.
import { metaInsight } from "./examples.ts";
import { startVendorServer, type VendorRequest, type VendorServer } from "./vendor-server.ts";

export type FakeMetaAds = VendorServer & {
  accountId: string;
  tokens: Set<string>;
  /** entries per page at most, whatever limit the request asks for */
  pageSize: number;
  days: Map<string, { spend: string; currency: string }>;
  /** sets a day's spend ("123.45"; "0" removes the day), in the account's currency unless given */
  setSpend(date: string, spend: string, currency?: string): void;
};

const graphError = (code: number, message: string) => ({
  error: { message, type: "OAuthException", code, fbtrace_id: "AbCdEfGhIjK" },
});
export const BAD_TOKEN = graphError(190, "Invalid OAuth access token - Cannot parse access token");

function tokenOf(request: VendorRequest): string | undefined {
  const auth = request.headers.authorization;
  if (typeof auth === "string" && auth.startsWith("Bearer ")) return auth.slice(7);
  return request.query.get("access_token") ?? undefined;
}

const cursor = (n: number) => Buffer.from(String(n)).toString("base64url");

export async function startFakeMetaAds(): Promise<FakeMetaAds> {
  const days = new Map<string, { spend: string; currency: string }>();
  const tokens = new Set(["EAAfake-system-user-token"]);
  const fake = (await startVendorServer((request) => {
    if (request.method !== "GET" || !/^\/v\d+\.\d+\/act_\d+\/insights$/.test(request.path))
      return { status: 400, body: graphError(100, "Unsupported get request.") };
    const token = tokenOf(request);
    if (token === undefined || !tokens.has(token)) return { status: 401, body: BAD_TOKEN };
    if (!request.path.includes(`/act_${fake.accountId}/`))
      return { status: 400, body: graphError(100, "(#100) Missing permissions") };
    const params = request.query;
    let range: { since?: string; until?: string };
    try {
      range = JSON.parse(params.get("time_range") ?? "");
    } catch {
      return { status: 400, body: graphError(100, "(#100) time_range must be a JSON object") };
    }
    if (params.get("time_increment") !== "1" || params.get("level") !== "account")
      return { status: 400, body: graphError(100, "(#100) this fake serves daily account insights") };
    const since = range.since ?? "";
    const until = range.until ?? "";
    const entries = [...days]
      .filter(([date]) => date >= since && date <= until)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([date, day]) => metaInsight(date, day.spend, day.currency));
    const limit = Math.min(Number(params.get("limit") ?? 25), fake.pageSize);
    const after = params.get("after");
    const at = after === null ? 0 : Number(Buffer.from(after, "base64url").toString("utf8"));
    const page = entries.slice(at, at + limit);
    const next = new URL(request.path, fake.url);
    for (const [name, value] of params) if (name !== "after") next.searchParams.set(name, value);
    next.searchParams.set("after", cursor(at + page.length));
    return {
      status: 200,
      body: {
        data: page,
        paging: {
          cursors: { before: cursor(at), after: cursor(at + page.length) },
          ...(at + page.length < entries.length ? { next: next.toString() } : {}),
        },
      },
    };
  })) as FakeMetaAds;
  return Object.assign(fake, {
    accountId: "1234567890123",
    tokens,
    days,
    pageSize: 25,
    setSpend(date: string, spend: string, currency = "USD") {
      if (Number(spend) === 0) days.delete(date);
      else days.set(date, { spend, currency });
    },
  });
}
