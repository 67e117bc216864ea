// The bundle `npm install` builds (src/bin/build.mjs) as real processes: it answers as the
// sources do, finds the migrations from where it lives, and `tandem kpi` loads none of the
// platforms' packages. Built into its own folder so the suite never touches dist/cli.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Metafile } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCli } from "../../../src/bin/build.mjs";
import { runCli } from "../../../src/main/cli.ts";
import { captureIo } from "../../helpers/cli-io.ts";
import { baseEnv } from "../../helpers/tandem-process.ts";

const run = promisify(execFile);
const RUN_ENTRY =
  "const { runCli } = await import(process.argv[1]); process.exitCode = await runCli(process.argv.slice(2));";

/** The packages a chunk loads before it runs: its static imports and theirs, transitively. */
function staticPackages(metafile: Metafile, chunk: string): string[] {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const todo = [chunk];
  for (let output = todo.pop(); output !== undefined; output = todo.pop()) {
    if (seen.has(output)) continue;
    seen.add(output);
    for (const imported of metafile.outputs[output]?.imports ?? []) {
      if (imported.kind === "dynamic-import") continue;
      if (imported.external) packages.add(imported.path);
      else todo.push(imported.path);
    }
  }
  return [...packages];
}

describe("the built tandem command", () => {
  const buildDir = `dist/cli-test-${process.pid}`;
  const dir = mkdtempSync(path.join(tmpdir(), "tandem-built-"));
  const env = baseEnv({
    DATABASE_URL: `file:${path.join(dir, "tandem.db")}`,
    TANDEM_TIMEZONE: "UTC",
    LOG_LEVEL: "error",
  });
  let entry: string;
  let metafile: Metafile;

  const built = (args: string[]) =>
    run(process.execPath, ["--input-type=module", "-e", RUN_ENTRY, "--", entry, ...args], { cwd: dir, env });

  beforeAll(async () => {
    const build = await buildCli(buildDir);
    entry = path.join(build.outdir, "cli.js");
    metafile = build.metafile;
  }, 120_000);
  afterAll(() => {
    rmSync(path.resolve(import.meta.dirname, "../../..", buildDir), { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints the same help as the sources", async () => {
    const io = captureIo();
    expect(await runCli(["--help"], io)).toBe(0);
    const { stdout } = await built(["--help"]);
    expect(stdout.trimEnd()).toBe(io.stdout.trimEnd());
    expect(stdout).toContain("tandem kpi [METRIC] [PERIOD]");
  });

  it("migrates a new database, loads the demo and answers /kpi as the sources do", async () => {
    const demo = await built(["demo"]);
    expect(demo.stdout).toMatch(/demo data: inserted [1-9]\d* facts/);
    const { stdout } = await built(["kpi", "new_revenue", "last", "month", "--json"]);

    const saved = { url: process.env.DATABASE_URL, zone: process.env.TANDEM_TIMEZONE, level: process.env.LOG_LEVEL };
    Object.assign(process.env, { DATABASE_URL: env.DATABASE_URL, TANDEM_TIMEZONE: "UTC", LOG_LEVEL: "error" });
    try {
      const io = captureIo();
      expect(await runCli(["kpi", "new_revenue", "last", "month", "--json"], io)).toBe(0);
      expect(JSON.parse(stdout)).toEqual(JSON.parse(io.stdout));
      expect(JSON.parse(stdout).metrics[0].value).toBeGreaterThan(0);
    } finally {
      for (const [key, value] of [
        ["DATABASE_URL", saved.url],
        ["TANDEM_TIMEZONE", saved.zone],
        ["LOG_LEVEL", saved.level],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  }, 120_000);

  it("loads no platform, chart or PostgreSQL package for `tandem kpi`, and nothing but itself for --help", () => {
    const chunkOf = (name: string) =>
      Object.keys(metafile.outputs).find((file) => path.basename(file).startsWith(name) && file.endsWith(".js"));
    const cli = chunkOf("cli.js");
    const kpi = chunkOf("kpi-");
    expect(cli && kpi).toBeTruthy();
    expect(staticPackages(metafile, cli as string).filter((name) => !name.startsWith("node:"))).toEqual([]);
    const kpiPackages = staticPackages(metafile, kpi as string);
    expect(kpiPackages).toContain("@prisma/client/runtime/client");
    for (const heavy of ["@slack/bolt", "botbuilder", "@napi-rs/canvas", "chart.js", "pg", "mathjs", "prom-client"]) {
      expect(kpiPackages).not.toContain(heavy);
    }
  });
});
