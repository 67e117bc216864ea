// Where `tandem serve` listens, as a real process: local mode (no chat credentials) stays
// on 127.0.0.1 unless HOST says otherwise, the banner names the address actually bound,
// and the unauthenticated Teams mode is not served once the server is reachable from
// other machines.
import { mkdtempSync, rmSync } from "node:fs";
import { networkInterfaces, tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { baseEnv, spawnTandem } from "../../helpers/tandem-process.ts";

/** An IPv4 address of this machine that is not loopback, if it has one. */
const outside = Object.values(networkInterfaces())
  .flat()
  .find((address) => address && address.family === "IPv4" && !address.internal)?.address;

/** The outcome of GET /healthz: the status, or the connection error's code. */
async function probe(url: string): Promise<number | string> {
  try {
    return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(10_000) })).status;
  } catch (error) {
    return ((error as { cause?: { code?: string } }).cause?.code ?? String(error)) as string;
  }
}

describe("tandem serve binds", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "tandem-bind-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("127.0.0.1 in local mode, says so, and cannot be reached from another interface", async () => {
    const serve = spawnTandem(["serve"], { cwd: dir, env: baseEnv({ PORT: "0" }) });
    try {
      const [, port] = await serve.waitForStderr(/local mode .* on http:\/\/127\.0\.0\.1:(\d+)/, 120_000);
      expect(serve.stderr()).toMatch(/"msg":"tandem listening","port":\d+,"host":"127\.0\.0\.1"/);
      expect(await probe(`http://127.0.0.1:${port}`)).toBe(200);
      if (outside) expect(await probe(`http://${outside}:${port}`)).toBe("ECONNREFUSED");
    } finally {
      serve.child.kill("SIGTERM");
      await serve.exited;
    }
  }, 120_000);

  it("where HOST says, names that address in the banner, and then serves no unauthenticated Teams", async () => {
    const serve = spawnTandem(["serve"], { cwd: dir, env: baseEnv({ PORT: "0", HOST: "0.0.0.0" }) });
    try {
      const [, port] = await serve.waitForStderr(/local mode .* on http:\/\/0\.0\.0\.0:(\d+)/, 120_000);
      expect(serve.stderr()).toContain('"teams":"off"');
      if (outside) expect(await probe(`http://${outside}:${port}`)).toBe(200);
      const teams = await fetch(`http://127.0.0.1:${port}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          type: "message",
          serviceUrl: "http://127.0.0.1:9/",
          from: { id: "29:someone", aadObjectId: "aad-someone" },
          conversation: { id: "a:1personal" },
          recipient: { id: "28:tandem" },
          text: "kpi token exfil",
        }),
      });
      expect(teams.status).toBe(401);
    } finally {
      serve.child.kill("SIGTERM");
      await serve.exited;
    }
  }, 120_000);
});
