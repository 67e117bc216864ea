// `tandem serve` as a real process, as `npm start` runs it with an empty environment:
// local mode, /healthz answers, SIGTERM stops it cleanly.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const bin = path.resolve(import.meta.dirname, "../../../src/bin/tandem.mjs");

describe("tandem serve as a process", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "tandem-serve-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("starts in local mode on an empty database, answers /healthz, and exits 0 on SIGTERM", async () => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: "0", LOG_LEVEL: "info" };
    const child = spawn(process.execPath, [bin, "serve"], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

    const port = await new Promise<number>((resolve, reject) => {
      const timer = setInterval(() => {
        const match = /local mode .* on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr);
        if (match) {
          clearInterval(timer);
          resolve(Number(match[1]));
        }
      }, 100);
      child.on("exit", () => {
        clearInterval(timer);
        reject(new Error(`serve exited early:\n${stderr}`));
      });
    });

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", database: "sqlite" });
    expect(stderr).toContain("loaded the demo data set");

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stderr).toContain('"msg":"shutting down","signal":"SIGTERM"');
  }, 120_000);
});
