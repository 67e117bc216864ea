// `tandem serve` as a real process, as `npm start` runs it with an empty environment:
// local mode, /healthz answers, SIGTERM stops it cleanly; a port it cannot have, or half
// a chat set-up, stops start-up with one line.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { baseEnv, spawnTandem } from "../../helpers/tandem-process.ts";

describe("tandem serve as a process", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "tandem-serve-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("starts in local mode on an empty database, answers /healthz, and exits 0 on SIGTERM", async () => {
    const serve = spawnTandem(["serve"], { cwd: dir, env: baseEnv({ PORT: "0" }) });
    const [, port] = await serve.waitForStderr(/local mode .* on http:\/\/127\.0\.0\.1:(\d+)/, 120_000);

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", database: "sqlite" });
    expect(serve.stderr()).toContain("loaded the demo data set");

    serve.child.kill("SIGTERM");
    expect(await serve.exited).toBe(0);
    expect(serve.stderr()).toContain('"msg":"shutting down","signal":"SIGTERM"');
  }, 120_000);

  it("says in one line that the port is taken, with no stack trace, and exits 1", async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, resolve));
    const port = (squatter.address() as { port: number }).port;
    try {
      const serve = spawnTandem(["serve"], { cwd: dir, env: baseEnv({ PORT: String(port), LOG_LEVEL: "silent" }) });
      expect(await serve.exited).toBe(1);
      expect(serve.stderr()).toBe(
        `tandem: 127.0.0.1:${port} is already in use (another Tandem, or another program); set PORT to a free port\n`,
      );
    } finally {
      squatter.close();
    }
  }, 120_000);

  it.each([
    [
      "a Slack bot token without its signing secret",
      { SLACK_BOT_TOKEN: "xoxb-1-2-3" },
      "tandem: Slack: SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET is not; set SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode), or unset SLACK_BOT_TOKEN to run without Slack\n",
    ],
    [
      "a Teams password without its app id",
      { MicrosoftAppPassword: "secret" },
      "tandem: Teams: MicrosoftAppPassword is set but MicrosoftAppId is not; set MicrosoftAppId, or unset MicrosoftAppPassword to run without Teams\n",
    ],
  ])(
    "refuses to start with %s: one line, exit 1, no local mode and nothing written",
    async (_what, vars, line) => {
      const database = path.join(dir, "half.db");
      const serve = spawnTandem(["serve"], {
        cwd: dir,
        env: baseEnv({ PORT: "0", DATABASE_URL: `file:${database}`, ...vars }),
      });
      expect(await serve.exited).toBe(1);
      expect(serve.stderr()).toBe(line);
      expect(existsSync(database)).toBe(false);
    },
    120_000,
  );
});
