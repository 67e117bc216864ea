// `tandem` as real processes, for tests about processes: servers and imports sharing one
// database, start-up failures, exit codes.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import path from "node:path";

const bin = path.resolve(import.meta.dirname, "../../src/bin/tandem.mjs");

export type TandemProcess = {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** the exit code (null when killed by a signal) */
  exited: Promise<number | null>;
  /** true until the process has exited */
  running(): boolean;
  /** resolves with the first match of `pattern` in stderr; rejects if the process exits first */
  waitForStderr(pattern: RegExp, ms?: number): Promise<RegExpExecArray>;
};

/** The environment a process gets: nothing from the test runner's but PATH and HOME. */
export function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "info", ...extra };
}

export function spawnTandem(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): TandemProcess {
  const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd, env: options.env });
  let stdout = "";
  let stderr = "";
  let done = false;
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  // A test that ends stdin early must not crash on EPIPE.
  child.stdin.on("error", () => {});
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => {
      done = true;
      resolve(code);
    }),
  );
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    running: () => !done,
    waitForStderr: (pattern, ms = 60_000) =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const timer = setInterval(() => {
          const match = pattern.exec(stderr);
          if (match) {
            clearInterval(timer);
            resolve(match);
          } else if (done || Date.now() - started > ms) {
            clearInterval(timer);
            reject(
              new Error(`no ${pattern} in stderr of tandem ${args.join(" ")}${done ? " (exited)" : ""}:\n${stderr}`),
            );
          }
        }, 50);
      }),
  };
}

export type ServeProcess = TandemProcess & { url: string; stop(): Promise<number | null> };

/** `tandem serve` on a free port; resolves once it listens (its JSON "tandem listening" line). */
export async function startServe(options: {
  cwd: string;
  env: Record<string, string>;
  /** how long it may take to listen (default 60 s) */
  readyMs?: number;
}): Promise<ServeProcess> {
  const serve = spawnTandem(["serve"], { cwd: options.cwd, env: baseEnv({ PORT: "0", ...options.env }) });
  const match = await serve.waitForStderr(/"msg":"tandem listening","port":(\d+)/, options.readyMs);
  return {
    ...serve,
    url: `http://127.0.0.1:${match[1]}`,
    stop: async () => {
      if (serve.running()) serve.child.kill("SIGTERM");
      return serve.exited;
    },
  };
}
