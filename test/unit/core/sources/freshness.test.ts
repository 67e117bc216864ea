import { describe, expect, it } from "vitest";
import { ageWords, sourceHealth, workspaceFreshness } from "../../../../src/core/sources/freshness.ts";
import type { SourceState } from "../../../../src/core/sources/ports.ts";

const HOUR = 3_600_000;
const NOW = Date.parse("2026-10-14T09:00:00Z");
const at = (msAgo: number | null) => (msAgo === null ? null : new Date(NOW - msAgo));

function source(name: string, success: number | null, failure: number | null = null): SourceState {
  return {
    id: 1,
    workspaceId: 1,
    name,
    kind: "hubspot",
    everyMs: HOUR,
    settings: {},
    cursor: null,
    lastSuccessAt: at(success),
    lastFailureAt: at(failure),
    lastFailure: failure === null ? null : "boom",
    factsOwned: 0,
    claimedBy: null,
    leaseUntil: null,
  };
}

describe("sourceHealth", () => {
  it("is ok up to exactly two intervals without a success, stale one millisecond later", () => {
    expect(sourceHealth(source("a", 2 * HOUR), NOW)).toBe("ok");
    expect(sourceHealth(source("a", 2 * HOUR + 1), NOW)).toBe("stale");
  });

  it("is failing when the last failure came after the last success, ok when a success followed it", () => {
    expect(sourceHealth(source("a", 3 * HOUR, HOUR), NOW)).toBe("failing");
    expect(sourceHealth(source("a", HOUR, 3 * HOUR), NOW)).toBe("ok");
    expect(sourceHealth(source("a", null, HOUR), NOW)).toBe("failing");
    expect(sourceHealth(source("a", null), NOW)).toBe("never synced");
  });
});

describe("workspaceFreshness", () => {
  it("is null without sources, so answers say nothing", () => {
    expect(workspaceFreshness([], NOW)).toBeNull();
  });

  it("takes the oldest last success, and names every source that is not ok", () => {
    const freshness = workspaceFreshness([source("crm", HOUR / 2), source("billing", 3 * HOUR)], NOW);
    expect(freshness?.asOf?.toISOString()).toBe("2026-10-14T06:00:00.000Z");
    expect(freshness?.warnings).toEqual([{ name: "billing", health: "stale" }]);
  });

  it("has no 'as of' while a source has never synced", () => {
    expect(workspaceFreshness([source("crm", HOUR / 2), source("new", null)], NOW)?.asOf).toBeNull();
  });
});

describe("ageWords", () => {
  it("says ages as people do", () => {
    expect(ageWords(NOW - 20_000, NOW)).toBe("just now");
    expect(ageWords(NOW - 12 * 60_000, NOW)).toBe("12 min ago");
    expect(ageWords(NOW - 3 * HOUR, NOW)).toBe("3 h ago");
    expect(ageWords(NOW - 72 * HOUR, NOW)).toBe("3 days ago");
  });
});
