// Builders for KPI tests: facts from short calls, and a FactStats fake that answers
// with the reference measures (and records which windows were asked for).
import type { Fact, FactKind } from "../../../../src/core/facts/fact.ts";
import { parsePeriod } from "../../../../src/core/kpi/periods.ts";
import {
  type ClosedPulseData,
  computeMeasures,
  computeNewRevenue,
  computeRecurring,
  onlyParts,
} from "../../../../src/core/kpi/reference-measures.ts";
import { MEASURE_PARTS, type Period } from "../../../../src/core/kpi/types.ts";
import type { FactStats } from "../../../../src/core/ports.ts";

export const DAY = 86_400_000;
const NOW = new Date("2027-01-15T00:00:00Z");

/** An instant: a bare date is UTC midnight (as Date.parse reads it). */
export function ms(at: string): number {
  const value = Date.parse(at);
  if (Number.isNaN(value)) throw new Error(`bad instant ${at}`);
  return value;
}

export function fact(
  kind: FactKind,
  at: string,
  entityId: string | null,
  extra: Partial<Omit<Fact, "kind" | "occurredMs" | "entityId">> = {},
): Fact {
  return {
    occurredMs: ms(at),
    kind,
    entityId,
    value: null,
    channel: null,
    department: null,
    segment: kind === "won" ? "new" : null,
    externalId: null,
    ...extra,
  };
}

export const won = (at: string, entity: string, value: number, extra: Partial<Fact> = {}) =>
  fact("won", at, entity, { value, ...extra });
export const spend = (at: string, department: string, value: number, channel: string | null = null) =>
  fact("spend", at, null, { value, department, channel });
export const mrr = (at: string, entity: string, value: number) => fact("mrr", at, entity, { value });

export function period(text: string, zone = "UTC"): Period {
  return parsePeriod(text, NOW, zone);
}

export type RecordingStats = FactStats & { calls: string[] };

export function referenceStats(facts: Fact[], pulses: ClosedPulseData[] = []): RecordingStats {
  const calls: string[] = [];
  const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
  return {
    calls,
    // only the parts asked are filled, as the SQL store fills them: a metric reading a part
    // it did not ask for would read zeros
    async measures(_workspaceId, window, parts) {
      calls.push(`measures ${iso(window.startMs)}..${iso(window.endMs)}${parts ? ` [${parts.join("+")}]` : ""}`);
      return onlyParts(computeMeasures(facts, window, pulses), parts ?? MEASURE_PARTS);
    },
    async recurring(_workspaceId, startMs, endMs) {
      calls.push(`recurring ${iso(startMs)}..${iso(endMs)}`);
      return computeRecurring(facts, startMs, endMs);
    },
    async newRevenue(_workspaceId, window) {
      calls.push(`newRevenue ${iso(window.startMs)}..${iso(window.endMs)}`);
      return computeNewRevenue(facts, window);
    },
  };
}
