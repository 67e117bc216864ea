import { describe, expect, it } from "vitest";
import { minGroupSizeFrom } from "../../../src/store/pulses.ts";

describe("the workspace's minimum group size for pulse results", () => {
  it("is configurable upwards, never below 3", () => {
    expect(minGroupSizeFrom("{}")).toBe(3);
    expect(minGroupSizeFrom('{"pulseMinGroupSize": 3}')).toBe(3);
    expect(minGroupSizeFrom('{"pulseMinGroupSize": 4}')).toBe(4);
    expect(minGroupSizeFrom('{"pulseMinGroupSize": 2}')).toBe(3);
    expect(minGroupSizeFrom('{"pulseMinGroupSize": 0}')).toBe(3);
    expect(minGroupSizeFrom('{"pulseMinGroupSize": -5}')).toBe(3);
    expect(minGroupSizeFrom('{"pulseMinGroupSize": 2.5}')).toBe(3);
    expect(minGroupSizeFrom('{"pulseMinGroupSize": "1"}')).toBe(3);
  });
});
