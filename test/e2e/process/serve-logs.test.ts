// Every line `tandem serve` writes to stderr comes from its logger, as JSON, and
// LOG_LEVEL decides which: with a MicrosoftAppId set, unauthorised Teams requests (bad
// signature, expired, garbage) and a failed key fetch must not make botbuilder print its
// own stack traces. At `silent` nothing at all is written; at `info` every line parses.
// The refusals' bodies name no internals.
import { mkdtempSync, rmSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { APP_ID, startFakeBotFrameworkAuth } from "../../fakes/bot-framework-auth.ts";
import { baseEnv, spawnTandem, type TandemProcess } from "../../helpers/tandem-process.ts";

const SERVICE_URL = "http://127.0.0.1:9/teams/";

function activity(text: string) {
  return {
    type: "message",
    id: "activity-1",
    channelId: "msteams",
    serviceUrl: SERVICE_URL,
    from: { id: "29:someone", aadObjectId: "aad-someone" },
    conversation: { id: "a:personal-chat" },
    recipient: { id: `28:${APP_ID}` },
    text,
  };
}

describe.each(["silent", "info"])("tandem serve with a MicrosoftAppId at LOG_LEVEL=%s", (level) => {
  const dir = mkdtempSync(path.join(tmpdir(), "tandem-logs-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("writes only logger lines while refusing unauthorised Teams requests, and answers without internals", async () => {
    const auth = await startFakeBotFrameworkAuth();
    const port = await freePort();
    const run = spawnTandem(["serve"], {
      cwd: dir,
      env: baseEnv({
        PORT: String(port),
        DATABASE_URL: `file:${path.join(dir, "tandem.db")}`,
        HOST: "127.0.0.1",
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: "not-used-by-the-fake",
        ToBotFromChannelOpenIdMetadataUrl: auth.metadataUrl,
        LOG_LEVEL: level,
      }),
    });
    const url = `http://127.0.0.1:${port}`;
    const post = (authorization?: string) =>
      fetch(`${url}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
        body: JSON.stringify(activity("kpi token exfil")),
      });
    try {
      // at `silent` it says nothing: ready once it answers
      await until(
        () =>
          fetch(`${url}/healthz`).then(
            (response) => response.ok,
            () => false,
          ),
        run,
      );
      auth.failKeys();
      const unverified = await post(`Bearer ${auth.token(SERVICE_URL)}`);
      expect(unverified.status).toBe(503);
      expect(await unverified.text()).toBe(
        '{"error":"could not verify the request\'s credentials right now; try again later"}',
      );
      auth.healKeys();

      const now = Math.floor(Date.now() / 1000);
      const refused = {
        none: undefined,
        garbage: "Bearer not-a-token",
        forged: `Bearer ${auth.forged(SERVICE_URL)}`,
        expired: `Bearer ${auth.token(SERVICE_URL, { exp: now - 3600, nbf: now - 7200 })}`,
        "another bot's": `Bearer ${auth.token(SERVICE_URL, { aud: "another-app-id" })}`,
      };
      for (const [name, authorization] of Object.entries(refused)) {
        const response = await post(authorization);
        expect(response.status, name).toBe(401);
        expect(await response.text(), name).toBe('{"error":"unauthorized"}');
      }
      run.child.kill("SIGTERM");
      expect(await run.exited).toBe(0);
    } finally {
      if (run.running()) run.child.kill("SIGTERM");
      await run.exited;
      await auth.close();
    }

    const stderr = run.stderr();
    if (level === "silent") expect(stderr).toBe("");
    else {
      const lines = stderr.trimEnd().split("\n");
      for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
      const refusals = lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === "teams activity refused");
      expect(refusals.map((entry) => entry.status)).toEqual([503, 401, 401, 401, 401, 401]);
    }
  }, 240_000);
});

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function until(check: () => Promise<boolean>, run: TandemProcess, ms = 120_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (!run.running() || Date.now() - started > ms) throw new Error(`tandem serve did not start:\n${run.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
