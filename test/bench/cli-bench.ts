// `npm run bench -- cli`: how long the `tandem` command takes to start, as a user runs it.
// `tandem --help` and `tandem kpi` on the demo database, median of N runs (hyperfine when
// installed, else a loop), next to `node -e 0` in the same run, and the old start-up
// (the sources through tsx) for comparison. Peak RSS and CPU time from one more run of
// each, reported by the process itself on exit. Targets (issue 14): --help < 0.5 s,
// kpi < 1 s. `--runs N` sets N (default 10).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { buildCli } from "../../src/bin/build.mjs";
import { freshBuild } from "../../src/bin/fresh-build.mjs";
import { countOption } from "./bench-options.ts";

const root = path.resolve(import.meta.dirname, "..", "..");
const launcher = path.join(root, "src/bin/tandem.mjs");
/** What src/bin/tandem.mjs did before the build: every run transpiles the sources. */
const FROM_SOURCES = `(await import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))})).register();
const { runCli } = await import(${JSON.stringify(path.join(root, "src/main/cli.ts"))});
process.exitCode = await runCli(process.argv.slice(2));`;

type Case = { name: string; args: string[]; target?: number };
type Figures = { median: number; min: number; max: number; rssMb: number; cpuMs: number };

function hasHyperfine(): boolean {
  return spawnSync("hyperfine", ["--version"], { stdio: "ignore" }).status === 0;
}

function shellWord(word: string): string {
  return /^[\w./:=-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function timeWithHyperfine(cases: Case[], runs: number, env: NodeJS.ProcessEnv, dir: string): number[][] {
  const out = path.join(dir, "hyperfine.json");
  const commands = cases.map((c) => [process.execPath, ...c.args].map(shellWord).join(" "));
  execFileSync("hyperfine", ["-N", "--warmup", "1", "--runs", String(runs), "--export-json", out, ...commands], {
    env,
    cwd: dir,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const results = JSON.parse(readFileSync(out, "utf8")).results as { times: number[] }[];
  return results.map((result) => result.times.map((s) => s * 1000));
}

/** Interleaved, so a noisy neighbour slows every case alike; one warm-up round first. */
function timeWithLoop(cases: Case[], runs: number, env: NodeJS.ProcessEnv, dir: string): number[][] {
  const times = cases.map((): number[] => []);
  for (let round = 0; round <= runs; round++) {
    for (const [i, c] of cases.entries()) {
      const started = performance.now();
      const result = spawnSync(process.execPath, c.args, { env, cwd: dir, stdio: "ignore" });
      const ms = performance.now() - started;
      if (result.status !== 0) throw new Error(`${c.name} exited ${result.status}`);
      if (round > 0) times[i]?.push(ms);
    }
  }
  return times;
}

/** Peak RSS and CPU time of one run, as the process itself sees them when it exits. */
function usage(c: Case, env: NodeJS.ProcessEnv, dir: string): { rssMb: number; cpuMs: number } {
  const report = path.join(dir, "usage.json");
  const probe = path.join(dir, "usage-probe.mjs");
  writeFileSync(
    probe,
    `import { writeFileSync } from "node:fs";
process.on("exit", () => writeFileSync(${JSON.stringify(report)}, JSON.stringify(process.resourceUsage())));`,
  );
  const result = spawnSync(process.execPath, ["--import", probe, ...c.args], { env, cwd: dir, stdio: "ignore" });
  if (result.status !== 0) throw new Error(`${c.name} exited ${result.status}`);
  const used = JSON.parse(readFileSync(report, "utf8")) as NodeJS.ResourceUsage;
  return { rssMb: used.maxRSS / 1024, cpuMs: (used.userCPUTime + used.systemCPUTime) / 1000 };
}

export async function run(): Promise<void> {
  const runs = countOption("runs", 10);
  if (freshBuild(root) === null) {
    const { inputs } = await buildCli();
    console.log(`dist/cli was missing or older than the sources: built it from ${inputs} sources (npm run build)`);
  }
  const dir = mkdtempSync(path.join(tmpdir(), "tandem-cli-bench-"));
  try {
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: `file:${path.join(dir, "demo.db")}` };
    execFileSync(process.execPath, [launcher, "demo"], { env, cwd: dir, stdio: "ignore" });
    const fromSources = path.join(dir, "from-sources.mjs");
    writeFileSync(fromSources, FROM_SOURCES);
    const cases: Case[] = [
      { name: "node -e 0 (baseline)", args: ["-e", "0"] },
      { name: "tandem --help", args: [launcher, "--help"], target: 500 },
      { name: "tandem kpi (demo database)", args: [launcher, "kpi"], target: 1000 },
      { name: "tandem --help from sources (tsx)", args: [fromSources, "--help"] },
      { name: "tandem kpi from sources (tsx)", args: [fromSources, "kpi"] },
    ];
    const timer = hasHyperfine() ? "hyperfine" : "a loop";
    console.log(
      `${runs} runs each, timed with ${timer}; load average ${loadavg()
        .map((n) => n.toFixed(1))
        .join(" ")}`,
    );
    const times = (timer === "hyperfine" ? timeWithHyperfine : timeWithLoop)(cases, runs, env, dir);
    const figures: Figures[] = cases.map((c, i) => {
      const sorted = [...(times[i] ?? [])].sort((a, b) => a - b);
      const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
      return { median, min: sorted[0] ?? Number.NaN, max: sorted.at(-1) ?? Number.NaN, ...usage(c, env, dir) };
    });
    const baseline = figures[0]?.median ?? Number.NaN;
    const header = ["command", "median ms", "min", "max", "× node -e 0", "cpu ms", "peak RSS MB", "target"];
    const rows = cases.map((c, i) => {
      const f = figures[i] as Figures;
      const verdict = c.target === undefined ? "" : `< ${c.target} ms: ${f.median < c.target ? "met" : "NOT met"}`;
      return [
        c.name,
        f.median.toFixed(0),
        f.min.toFixed(0),
        f.max.toFixed(0),
        `${(f.median / baseline).toFixed(1)}×`,
        f.cpuMs.toFixed(0),
        f.rssMb.toFixed(0),
        verdict,
      ];
    });
    const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)));
    const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ");
    console.log(line(header));
    for (const row of rows) console.log(line(row));
    console.log(
      `load average now ${loadavg()
        .map((n) => n.toFixed(1))
        .join(" ")}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
