// `npm run bench`: each benchmark prints its figures next to a baseline measured in
// the same run. `npm run bench -- import` runs only the named ones; options such as
// `--facts N` and `--runs N` go to the benches that read them (bench-options.ts).
import { benchArgs } from "./bench-options.ts";

const BENCHES: Record<string, () => Promise<{ run(): Promise<void> }>> = {
  import: () => import("./import-bench.ts"),
  kpi: () => import("./kpi-bench.ts"),
  slack: () => import("./slack-bench.ts"),
  parse: () => import("./parse-bench.ts"),
  contention: () => import("./contention-bench.ts"),
  cli: () => import("./cli-bench.ts"),
  sources: () => import("./sources-bench.ts"),
  alerts: () => import("./alerts-bench.ts"),
};

const wanted = benchArgs().names;
const names = wanted.length > 0 ? wanted : Object.keys(BENCHES);
for (const name of names) {
  const load = BENCHES[name];
  if (!load) {
    console.error(`unknown benchmark ${name}; known: ${Object.keys(BENCHES).join(", ")}`);
    process.exit(2);
  }
  try {
    const bench = await load();
    console.log(`\n=== ${name} ===`);
    await bench.run();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND") console.log(`(${name}: not written yet)`);
    else throw error;
  }
}
