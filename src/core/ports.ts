// Interfaces the adapters and the store implement for the core. The core imports
// nothing from Bolt, botbuilder or Prisma.
import type { MeasurePart, Measures, RecurringMeasures, Window } from "./kpi/types.ts";

export type Clock = { now(): Date };
export const systemClock: Clock = { now: () => new Date() };

export type LogLevel = "debug" | "info" | "warn" | "error";
export type Logger = {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
};

/** Aggregates over a workspace's facts (and closed pulses) for the KPI engine. */
export type FactStats = {
  /**
   * The window's measures. `parts`: only these need be filled (types.ts MEASURE_PARTS;
   * the others may be, as a full read fills them); absent: all of them.
   */
  measures(workspaceId: number, window: Window, parts?: readonly MeasurePart[]): Promise<Measures>;
  recurring(workspaceId: number, startMs: number, endMs: number): Promise<RecurringMeasures>;
  /**
   * `measures(…).newRevenue` alone, for windows where only that is read (the period
   * before the previous one, for growth). Optional: without it the engine asks `measures`.
   */
  newRevenue?(workspaceId: number, window: Window): Promise<number>;
  /**
   * Several windows' measures (or new revenue) at once, in the order asked: a snapshot's
   * two periods or a sparkline's eight in one pass over the facts. Optional: without
   * them the engine asks window by window.
   */
  measuresMany?(workspaceId: number, windows: Window[], parts?: readonly MeasurePart[]): Promise<Measures[]>;
  newRevenueMany?(workspaceId: number, windows: Window[]): Promise<number[]>;
  /**
   * The same stats for one command: what must be checked before answering from kept
   * numbers is read once, now, with whatever else the command reads first. Optional.
   */
  forCommand?(workspaceId: number): FactStats;
};

/** Reads a workspace's KPI settings (src/store/kpi-settings.ts implements it). */
export type KpiSettingsSource = {
  load(workspaceId: number): Promise<import("./kpi/types.ts").KpiSettings>;
};

/**
 * Who wrote a fact: a hand import, the ingest API, the demo data set, or a source
 * (`source:<name>`). A source mirrors, and so may remove, only facts of its own origin.
 */
export type FactOrigin = "import" | "ingest" | "demo" | `source:${string}`;

/** Writes validated facts in one transaction (src/store/fact-repository.ts implements it). */
export type FactSink = {
  /** Runs `fn` in one transaction: commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (writer: FactWriter) => Promise<T>): Promise<T>;
};

export type FactWriter = {
  /**
   * Inserts the facts; a fact whose external_id is already stored in the workspace
   * (or earlier in the same transaction) is skipped, so `inserted` ≤ facts.length.
   */
  insert(facts: import("./facts/fact.ts").Fact[]): Promise<{ inserted: number }>;
};
