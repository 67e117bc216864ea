import { describe, expect, it } from "vitest";
import { createBlockingSignal } from "../../../src/core/blocking-signal.ts";
import type { FactStats } from "../../../src/core/ports.ts";
import { yieldingStats } from "../../../src/store/yielding-stats.ts";

describe("SQLite aggregates for Slack", () => {
  it("run one at a time, in call order, each after an event-loop turn, whatever fails", async () => {
    const events: string[] = [];
    const inner: FactStats = {
      measures: async (workspaceId) => {
        events.push(`start ${workspaceId}`);
        await Promise.resolve();
        events.push(`end ${workspaceId}`);
        if (workspaceId === 2) throw new Error("boom");
        return {} as Awaited<ReturnType<FactStats["measures"]>>;
      },
      recurring: async () => {
        events.push("recurring");
        return { mrrAtEnd: 0, activeAtStart: 0, activeAtEnd: 0, retained: 0 };
      },
    };
    const stats = yieldingStats(inner);
    const window = { startMs: 0, endMs: 1 };
    const calls = [stats.measures(1, window), stats.measures(2, window), stats.recurring(3, 0, 1)];
    events.push("caller continues");
    const results = await Promise.allSettled(calls);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(events).toEqual(["caller continues", "start 1", "end 1", "start 2", "end 2", "recurring"]);
  });

  it("lets other callbacks run between two queries", async () => {
    const events: string[] = [];
    const inner: FactStats = {
      measures: async (workspaceId) => {
        events.push(`query ${workspaceId}`);
        if (workspaceId === 1) setImmediate(() => events.push("i/o"));
        return {} as Awaited<ReturnType<FactStats["measures"]>>;
      },
      recurring: async () => ({ mrrAtEnd: 0, activeAtStart: 0, activeAtEnd: 0, retained: 0 }),
    };
    const stats = yieldingStats(inner);
    await Promise.all([stats.measures(1, { startMs: 0, endMs: 1 }), stats.measures(2, { startMs: 0, endMs: 1 })]);
    expect(events).toEqual(["query 1", "i/o", "query 2"]);
  });

  it("warns whoever listens before a query blocks, and gives them a turn to act first", async () => {
    const events: string[] = [];
    const blocking = createBlockingSignal();
    const inner: FactStats = {
      measures: async () => {
        events.push("query");
        return {} as Awaited<ReturnType<FactStats["measures"]>>;
      },
      recurring: async () => ({ mrrAtEnd: 0, activeAtStart: 0, activeAtEnd: 0, retained: 0 }),
    };
    const stop = blocking.listen(() => {
      events.push("warned");
      setImmediate(() => events.push("acted"));
    });
    const stats = yieldingStats(inner, blocking);
    await stats.measures(1, { startMs: 0, endMs: 1 });
    stop();
    await stats.measures(1, { startMs: 0, endMs: 1 });
    expect(events).toEqual(["warned", "acted", "query", "query"]);
  });
});
