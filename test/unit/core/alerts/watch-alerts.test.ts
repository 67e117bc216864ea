import { describe, expect, it } from "vitest";
import { createAlertWatch } from "../../../../src/core/alerts/watch-alerts.ts";

describe("when alert rules are evaluated", () => {
  it("evaluates everything first and hourly, and in between only workspaces whose facts changed", async () => {
    let now = Date.UTC(2026, 9, 14, 9);
    const versions = new Map([
      [1, 3],
      [2, 7],
    ]);
    const asked: (number | "all")[] = [];
    const watch = createAlertWatch({
      versions: async () => new Map(versions),
      evaluate: async (workspaceId) => {
        asked.push(workspaceId ?? "all");
        return [];
      },
      clock: { now: () => new Date(now) },
    });
    await watch.tick();
    now += 60_000;
    await watch.tick();
    versions.set(2, 8);
    now += 60_000;
    await watch.tick();
    now += 60 * 60_000;
    await watch.tick();
    expect(asked).toEqual(["all", 2, "all"]);
  });
});
