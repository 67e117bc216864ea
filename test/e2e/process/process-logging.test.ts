// What `tandem serve` routes through its logger besides its own lines, in a real Node
// process: libraries' console.* calls, Node's process warnings, and an uncaught error or
// rejection (logged, then exit 70 as any internal failure). Every stderr line is JSON
// and LOG_LEVEL decides which are written.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const src = (file: string) => pathToFileURL(path.resolve(import.meta.dirname, "../../../src", file)).href;

function script(level: string, ending: string): string {
  return [
    `import { logProcessOutput } from ${JSON.stringify(src("main/process-logging.ts"))};`,
    `import { createLogger } from ${JSON.stringify(src("core/logger.ts"))};`,
    `logProcessOutput(createLogger(${JSON.stringify(level)}));`,
    'console.error(new Error("a library failed"));',
    'console.warn("a library warns", { code: 7 });',
    'console.log("a library chats");',
    'process.emitWarning("something is deprecated", "DeprecationWarning");',
    `setTimeout(() => { ${ending} }, 20);`,
  ].join("\n");
}

async function run(dir: string, name: string, text: string): Promise<{ code: number | null; stderr: string }> {
  const file = path.join(dir, `${name}.ts`);
  writeFileSync(file, text);
  const child = spawn(process.execPath, ["--import", "tsx", file], {
    cwd: path.resolve(import.meta.dirname, "../../.."),
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  child.stdout.on("data", (chunk: Buffer) => {
    stderr += `stdout: ${chunk.toString("utf8")}`;
  });
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { code, stderr };
}

const entries = (stderr: string) =>
  stderr
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe("a process whose output goes through the logger", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "tandem-process-logging-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("logs console calls, warnings and an uncaught exception as JSON at LOG_LEVEL=info, then exits 70", async () => {
    const { code, stderr } = await run(dir, "thrown", script("info", 'throw new Error("nobody caught me");'));
    expect(code).toBe(70);
    const logged = entries(stderr);
    expect(logged.map(({ level, msg }) => [level, msg])).toEqual([
      ["warn", "Error: a library failed"],
      ["warn", "a library warns { code: 7 }"],
      ["warn", "process warning"],
      ["error", "uncaught exception"],
    ]);
    expect(logged[2]).toMatchObject({ name: "DeprecationWarning", warning: "something is deprecated" });
    expect(logged[3]?.error).toMatch(/^Error: nobody caught me\n\s+at /);
  }, 60_000);

  it("logs an unhandled rejection the same way", async () => {
    const { code, stderr } = await run(dir, "rejected", script("error", 'Promise.reject(new Error("nobody waited"));'));
    expect(code).toBe(70);
    expect(entries(stderr)).toEqual([
      expect.objectContaining({ level: "error", msg: "unhandled promise rejection", error: expect.any(String) }),
    ]);
  }, 60_000);

  it("writes nothing at all at LOG_LEVEL=silent", async () => {
    const { code, stderr } = await run(dir, "silent", script("silent", 'throw new Error("nobody caught me");'));
    expect(code).toBe(70);
    expect(stderr).toBe("");
  }, 60_000);
});
