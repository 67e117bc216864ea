// How long reading a /kpi command takes, next to the least any reader must do (one
// split on whitespace). Commands over the cap are refused before they are split.
import { buildCatalog } from "../../src/core/kpi/catalog.ts";
import { parseKpiCommand } from "../../src/core/kpi/parse-kpi-command.ts";
import { looksLikePeriod } from "../../src/core/kpi/period-words.ts";
import { splitMetricAndPeriod } from "../../src/core/kpi/split-metric-period.ts";
import { DEFAULT_KPI_SETTINGS } from "../../src/core/kpi/types.ts";

const catalog = buildCatalog(DEFAULT_KPI_SETTINGS);
const ctx = { departments: DEFAULT_KPI_SETTINGS.departments, looksLikePeriod };

function read(text: string): void {
  const command = parseKpiCommand(text, ctx);
  if (command.kind === "metric") splitMetricAndPeriod(command.words, catalog);
}

function time(fn: () => void, runs: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) fn();
  return Number(process.hrtime.bigint() - start) / 1e6 / runs;
}

const CASES: [string, string, number][] = [
  ["cac last month", "customer acquisition cost last month", 20_000],
  ["unknown metric", "customer acquisiton cots 2026-Q3", 2_000],
  ["just under the cap", `${"cac ".repeat(248)}2026-09`, 2_000],
  ["20,000 words (refused)", "cac ".repeat(20_000), 200],
  ["1 MB (refused)", "x".repeat(1_000_000), 200],
];

export async function run(): Promise<void> {
  console.log("case                      read (ms)   split on whitespace (ms)");
  for (const [name, text, runs] of CASES) {
    const ms = time(() => read(text), runs);
    const floor = time(() => text.split(/\s+/), runs);
    console.log(`${name.padEnd(24)}  ${ms.toFixed(4).padStart(9)}   ${floor.toFixed(4).padStart(9)}`);
  }
}
