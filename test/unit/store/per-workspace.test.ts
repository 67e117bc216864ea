import { describe, expect, it } from "vitest";
import { perWorkspace } from "../../../src/store/per-workspace.ts";

describe("what a process keeps per workspace", () => {
  it("keeps an entry while its version stands, and makes a fresh one when it moves", () => {
    const kept = perWorkspace<{ n: number }>(4);
    let made = 0;
    const fresh = () => ({ n: ++made });
    const first = kept.at(1, "7", fresh);
    expect(kept.at(1, "7", fresh)).toBe(first);
    expect(kept.at(1, "8", fresh)).toEqual({ n: 2 });
    expect(kept.at(1, "7", fresh)).toEqual({ n: 3 }); // an older version is not kept beside the newer
  });

  it("forgets the least recently used workspace past its bound", () => {
    const kept = perWorkspace<string>(2);
    kept.at(1, "0", () => "a");
    kept.at(2, "0", () => "b");
    kept.at(1, "0", () => "a again"); // 1 used since 2
    kept.at(3, "0", () => "c"); // 2 goes
    expect(kept.at(1, "0", () => "a fresh")).toBe("a");
    expect(kept.at(2, "0", () => "b fresh")).toBe("b fresh");
  });

  it("forgets an entry only while it is still the one kept", () => {
    const kept = perWorkspace<string>(2);
    const failed = kept.at(1, "0", () => "loading");
    kept.at(1, "1", () => "newer");
    kept.forget(1, failed);
    expect(kept.at(1, "1", () => "again")).toBe("newer");
    kept.forget(1, "newer");
    expect(kept.at(1, "1", () => "again")).toBe("again");
  });
});
