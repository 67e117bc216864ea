// The property tests' seed (test/helpers/fast-check-seed.ts): fixed by default, replayable.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_SEED, propertySettings } from "../../helpers/fast-check-seed.ts";

describe("the seed of every property test", () => {
  it("is set for every test file, from FC_SEED or the fixed default", () => {
    expect(fc.readConfigureGlobal().seed).toBe(propertySettings().seed);
    if (process.env.FC_SEED === undefined) expect(fc.readConfigureGlobal().seed).toBe(DEFAULT_SEED);
  });

  it("is taken from FC_SEED (and FC_PATH), and refuses what is not an integer", () => {
    expect(propertySettings({})).toEqual({ seed: DEFAULT_SEED });
    expect(propertySettings({ FC_SEED: "-1234567" })).toEqual({ seed: -1234567 });
    expect(propertySettings({ FC_SEED: "42", FC_PATH: "3:0:1" })).toEqual({ seed: 42, path: "3:0:1" });
    expect(() => propertySettings({ FC_SEED: "abc" })).toThrow(/FC_SEED must be an integer/);
  });

  it("makes a property's inputs the same on every run, and its failure report names the seed", () => {
    const seen = (seed: number) => fc.sample(fc.integer(), { seed, numRuns: 5 });
    expect(seen(7)).toEqual(seen(7));
    const failure = (() => {
      try {
        fc.assert(
          fc.property(fc.integer(), (n) => n < 1000),
          { seed: 7 },
        );
      } catch (error) {
        return String((error as Error).message);
      }
      return "";
    })();
    expect(failure).toMatch(/seed: 7, path: "[\d:]+"/);
  });
});
