// `npm run bench -- NAME… [--facts N] [--runs N] [--dialects postgres]`: bench names, and options that each
// take a value (`--facts 10000000` or `--facts=10000000`).
import { loadavg } from "node:os";

export type BenchArgs = { names: string[]; options: Map<string, string> };

export function benchArgs(argv: string[] = process.argv.slice(2)): BenchArgs {
  const names: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith("--")) {
      names.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split("=", 2) as [string, string | undefined];
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`bench option --${name} needs a value`);
    options.set(name, value);
  }
  return { names, options };
}

/** A whole-number option (≥ 1), else `fallback`; a malformed one stops the run. */
export function countOption(name: string, fallback: number, argv?: string[]): number {
  const raw = benchArgs(argv).options.get(name);
  if (raw === undefined) return fallback;
  const count = Number(raw.replaceAll("_", ""));
  if (!Number.isSafeInteger(count) || count < 1) throw new Error(`--${name} expects a whole number ≥ 1, got ${raw}`);
  return count;
}

/** The 1, 5 and 15 minute load averages, for the figures' context. */
export const loadAverage = (): string =>
  loadavg()
    .map((n) => n.toFixed(1))
    .join(" ");
