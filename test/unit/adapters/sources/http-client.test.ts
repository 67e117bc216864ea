import { describe, expect, it } from "vitest";
import { createSourceHttp, parseRetryAfter, SourceHttpError } from "../../../../src/adapters/sources/http-client.ts";

type Call = { url: string; init: RequestInit };

function scripted(answers: (Response | Error)[]) {
  const calls: Call[] = [];
  const fetch = (async (url: URL, init: RequestInit) => {
    calls.push({ url: String(url), init });
    const next = answers.shift();
    if (next === undefined) throw new Error("no more answers");
    if (next instanceof Error) throw next;
    return next;
  }) as unknown as typeof globalThis.fetch;
  return { calls, fetch };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

describe("the sources' HTTP client", () => {
  it("keeps requests apart by the vendor's rate, and waits what Retry-After asks on a 429", async () => {
    let now = 0;
    const sleeps: number[] = [];
    const sleep = async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    };
    const { calls, fetch } = scripted([
      json(200, { n: 1 }),
      json(429, { message: "slow down" }, { "retry-after": "7" }),
      json(200, { n: 2 }),
      json(200, { n: 3 }),
    ]);
    const http = createSourceHttp({
      vendor: "Acme",
      requestsPerSecond: 4,
      fetch,
      now: () => now,
      retry: { sleep, randomize: false, minTimeoutMs: 0, maxTimeoutMs: 0 },
    });
    expect(await http.json({ url: "http://x.test/a" })).toEqual({ n: 1 });
    expect(await http.json({ url: "http://x.test/b", json: { q: 1 } })).toEqual({ n: 2 });
    expect(await http.json({ url: "http://x.test/c" })).toEqual({ n: 3 });
    expect(calls.map((c) => c.init.method)).toEqual(["GET", "POST", "POST", "GET"]);
    expect(calls[1]?.init.body).toBe('{"q":1}');
    // 250 ms apart at 4 a second, and the 7 s the 429 asked for
    expect(sleeps).toContain(7000);
    expect(sleeps.filter((ms) => ms === 250).length).toBeGreaterThanOrEqual(1);
    expect(http.requests()).toBe(4);
  });

  it("fails at once on 401 and 403, naming the vendor and path but never the token or query", async () => {
    const { calls, fetch } = scripted([json(401, { message: "bad token" })]);
    const http = createSourceHttp({ vendor: "Acme", requestsPerSecond: 100, fetch });
    const error = await http
      .json({ url: "http://x.test/v1/things?key=s3cret", headers: { authorization: "Bearer s3cret-token" } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceHttpError);
    expect((error as SourceHttpError).message).toBe(
      "Acme answered 401 Unauthorized to GET /v1/things (the token was refused: check the environment variable the config names): bad token",
    );
    expect((error as Error).message).not.toMatch(/s3cret/);
    expect(calls).toHaveLength(1);
  });

  it("retries 5xx and dropped connections, then gives up with the last reason", async () => {
    const reset = Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNRESET" } });
    const { calls, fetch } = scripted([json(502, "bad gateway"), reset, json(200, [1])]);
    const http = createSourceHttp({
      vendor: "Acme",
      requestsPerSecond: 1000,
      fetch,
      retry: { sleep: async () => {}, minTimeoutMs: 0, maxTimeoutMs: 0 },
    });
    expect(await http.json({ url: "http://x.test/" })).toEqual([1]);
    expect(calls).toHaveLength(3);
    const down = scripted([reset, reset]);
    const failing = createSourceHttp({
      vendor: "Acme",
      requestsPerSecond: 1000,
      fetch: down.fetch,
      retry: { sleep: async () => {}, minTimeoutMs: 0, maxTimeoutMs: 0, retries: 1 },
    });
    await expect(failing.text({ url: "http://x.test/p" })).rejects.toThrow(
      "could not reach Acme (GET /p at x.test): ECONNRESET",
    );
  });

  it("says so when an answer is not JSON, and sends forms encoded", async () => {
    const { calls, fetch } = scripted([new Response("<html>", { status: 200 }), json(200, {})]);
    const http = createSourceHttp({ vendor: "Acme", requestsPerSecond: 1000, fetch });
    await expect(http.json({ url: "http://x.test/q" })).rejects.toThrow(
      "Acme answered GET /q with something that is not JSON",
    );
    await http.json({ url: "http://x.test/token", form: { grant_type: "client_credentials", a: "b c" } });
    expect(calls[1]?.init.body).toBe("grant_type=client_credentials&a=b+c");
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    expect(parseRetryAfter("2", 0)).toBe(2000);
    expect(parseRetryAfter("0.5", 0)).toBe(500);
    expect(parseRetryAfter("Wed, 02 Dec 2026 10:00:30 GMT", Date.parse("2026-12-02T10:00:00Z"))).toBe(30_000);
    expect(parseRetryAfter("soon", 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
  });
});
