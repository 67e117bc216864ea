// Every property test (fast-check) runs from a fixed seed, so a failure seen once can be
// seen again. fast-check prints the seed and the path of the failing case; replay with
//   FC_SEED=<seed> [FC_PATH=<path>] npx vitest run --config test/vitest.config.ts FILE
// FC_SEED also explores other inputs on purpose (any integer). Registered for every
// test file in test/vitest.config.ts (setupFiles), so no property test can forget it.
import fc from "fast-check";

/** The seed when FC_SEED is not set: any fixed integer will do. */
export const DEFAULT_SEED = 20_261_124;

export type PropertySettings = { seed: number; path?: string };

export function propertySettings(env: Record<string, string | undefined> = process.env): PropertySettings {
  const text = env.FC_SEED?.trim();
  if (text !== undefined && text !== "" && !/^-?\d{1,10}$/.test(text))
    throw new Error(
      `FC_SEED must be an integer (the seed a failing property test printed), got ${JSON.stringify(text)}`,
    );
  const seed = text ? Number(text) | 0 : DEFAULT_SEED;
  const path = env.FC_PATH?.trim();
  return path ? { seed, path } : { seed };
}

fc.configureGlobal(propertySettings());
