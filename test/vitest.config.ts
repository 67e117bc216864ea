import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: new URL("..", import.meta.url).pathname,
    include: ["test/**/*.test.ts"],
    // property tests from a fixed, printed, overridable seed (FC_SEED)
    setupFiles: ["test/helpers/fast-check-seed.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Most suites wait on a database, not the CPU: more workers than cores pays off.
    maxWorkers: 4,
  },
});
