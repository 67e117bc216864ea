// The in-memory reading of docs/metrics.md: facts → measures for a window. It is
// the oracle the SQL measures (src/store/kpi-measures.ts) are tested against, so it
// favours being obviously right over being fast. Input order stands for insertion
// order (fact id): it breaks ties between facts at the same instant.
import type { Fact } from "../facts/fact.ts";
import type { MeasurePart, Measures, RecurringMeasures, Window } from "./types.ts";

/** A pulse closed at closedMs: how many were asked, how many answered, and the collaboration answers. */
export type ClosedPulseData = {
  closedMs: number;
  asked: number;
  respondents: number;
  collaborationAnswers: { department: string | null; value: number; respondent: string }[];
};

export const UNKNOWN_CHANNEL = "unknown";
export const UNKNOWN_DEPARTMENT = "unknown";
const DAY_MS = 86_400_000;

export function emptyMeasures(): Measures {
  return {
    leads: 0,
    mqls: 0,
    sqls: 0,
    opportunities: 0,
    dealsWon: 0,
    dealsLost: 0,
    newCustomers: 0,
    newRevenue: 0,
    marketingSpend: 0,
    salesSpend: 0,
    salesCycleDaysSum: 0,
    salesCycleCount: 0,
    npsPromoters: 0,
    npsDetractors: 0,
    npsAnswers: 0,
    csatSum: 0,
    csatCount: 0,
    revenueByChannel: {},
    leadsByChannel: {},
    marketingSpendByChannel: {},
    salesSpendByChannel: {},
    collaborationSum: 0,
    collaborationCount: 0,
    collaborationPeople: 0,
    collaborationByDepartment: {},
    pulseRespondents: 0,
    pulseAsked: 0,
  };
}

/** Which fields of Measures each part fills (types.ts MEASURE_PARTS). */
export const PART_FIELDS: Record<MeasurePart, (keyof Measures)[]> = {
  stages: [
    "mqls",
    "sqls",
    "opportunities",
    "dealsLost",
    "npsPromoters",
    "npsDetractors",
    "npsAnswers",
    "csatSum",
    "csatCount",
  ],
  leads: ["leads", "leadsByChannel"],
  won: ["dealsWon", "newRevenue", "revenueByChannel", "salesCycleDaysSum", "salesCycleCount"],
  customers: ["newCustomers"],
  spend: ["marketingSpend", "salesSpend", "marketingSpendByChannel", "salesSpendByChannel"],
  pulse: [
    "collaborationSum",
    "collaborationCount",
    "collaborationPeople",
    "collaborationByDepartment",
    "pulseRespondents",
    "pulseAsked",
  ],
};

/** `measures` with every field outside `parts` empty: what a read of those parts alone gives. */
export function onlyParts(measures: Measures, parts: readonly MeasurePart[]): Measures {
  const result = emptyMeasures() as Record<keyof Measures, unknown>;
  for (const part of parts) for (const field of PART_FIELDS[part]) result[field] = measures[field];
  return result as Measures;
}

export function emptyRecurring(): RecurringMeasures {
  return { mrrAtEnd: 0, activeAtStart: 0, activeAtEnd: 0, retained: 0 };
}

const inWindow = (ms: number, window: Window) => ms >= window.startMs && ms < window.endMs;
const isNewSegment = (fact: Fact) => fact.segment === null || fact.segment === "new";

function addTo(record: Record<string, number>, label: string, amount: number): void {
  record[label] = (record[label] ?? 0) + amount;
}

/** Per entity, its earliest lead fact among `facts` (first in input order on a tie). */
function earliestLeads(facts: Fact[]): Map<string, Fact> {
  const earliest = new Map<string, Fact>();
  for (const fact of facts) {
    if (fact.kind !== "lead" || fact.entityId === null) continue;
    const seen = earliest.get(fact.entityId);
    if (!seen || fact.occurredMs < seen.occurredMs) earliest.set(fact.entityId, fact);
  }
  return earliest;
}

export function computeMeasures(facts: Fact[], window: Window, pulses: ClosedPulseData[] = []): Measures {
  const m = emptyMeasures();
  const stages = {
    lead: new Set<string>(),
    mql: new Set<string>(),
    sql: new Set<string>(),
    opportunity: new Set<string>(),
  };
  const newCustomers = new Set<string>();
  const firstLeadEver = earliestLeads(facts);
  const inside = facts.filter((fact) => inWindow(fact.occurredMs, window));

  for (const fact of inside) {
    const value = fact.value ?? 0;
    switch (fact.kind) {
      case "lead":
      case "mql":
      case "sql":
      case "opportunity":
        if (fact.entityId !== null) stages[fact.kind].add(fact.entityId);
        break;
      case "won": {
        m.dealsWon++;
        m.newRevenue += value;
        const firstLead = fact.entityId === null ? undefined : firstLeadEver.get(fact.entityId);
        addTo(m.revenueByChannel, firstLead?.channel ?? fact.channel ?? UNKNOWN_CHANNEL, value);
        if (isNewSegment(fact)) {
          if (fact.entityId !== null) newCustomers.add(fact.entityId);
          if (firstLead) {
            m.salesCycleDaysSum += (fact.occurredMs - firstLead.occurredMs) / DAY_MS;
            m.salesCycleCount++;
          }
        }
        break;
      }
      case "lost":
        m.dealsLost++;
        break;
      case "spend":
        if (fact.department === "marketing") {
          m.marketingSpend += value;
          addTo(m.marketingSpendByChannel, fact.channel ?? UNKNOWN_CHANNEL, value);
        } else if (fact.department === "sales") {
          m.salesSpend += value;
          addTo(m.salesSpendByChannel, fact.channel ?? UNKNOWN_CHANNEL, value);
        }
        break;
      case "nps":
        m.npsAnswers++;
        if (value >= 9) m.npsPromoters++;
        else if (value <= 6) m.npsDetractors++;
        break;
      case "csat":
        m.csatSum += value;
        m.csatCount++;
        break;
      case "mrr":
        break;
    }
  }

  m.leads = stages.lead.size;
  m.mqls = stages.mql.size;
  m.sqls = stages.sql.size;
  m.opportunities = stages.opportunity.size;
  m.newCustomers = newCustomers.size;
  for (const lead of earliestLeads(inside).values()) addTo(m.leadsByChannel, lead.channel ?? UNKNOWN_CHANNEL, 1);

  const pulseCounts: number[] = [];
  for (const pulse of pulses) {
    if (!inWindow(pulse.closedMs, window)) continue;
    m.pulseAsked += pulse.asked;
    m.pulseRespondents += pulse.respondents;
    const people = new Map<string, Set<string>>();
    for (const answer of pulse.collaborationAnswers) {
      m.collaborationSum += answer.value;
      m.collaborationCount++;
      const department = answer.department ?? UNKNOWN_DEPARTMENT;
      const slot = m.collaborationByDepartment[department] ?? { sum: 0, count: 0, people: Number.POSITIVE_INFINITY };
      slot.sum += answer.value;
      slot.count++;
      m.collaborationByDepartment[department] = slot;
      const members = people.get(department) ?? new Set<string>();
      members.add(answer.respondent);
      people.set(department, members);
    }
    // each pulse's own people: a window shows a group only if every pulse behind it had enough
    for (const [department, members] of people) {
      const slot = m.collaborationByDepartment[department] as { people: number };
      slot.people = Math.min(slot.people, members.size);
    }
    const everyone = new Set(pulse.collaborationAnswers.map((answer) => answer.respondent)).size;
    if (everyone > 0) pulseCounts.push(everyone);
  }
  m.collaborationPeople = pulseCounts.length > 0 ? Math.min(...pulseCounts) : 0;
  return m;
}

/** The sum of won values in the window, all segments: computeMeasures' newRevenue alone. */
export function computeNewRevenue(facts: Fact[], window: Window): number {
  let sum = 0;
  for (const fact of facts) if (fact.kind === "won" && inWindow(fact.occurredMs, window)) sum += fact.value ?? 0;
  return sum;
}

/** Per entity, the value of its latest mrr fact strictly before t (last in input order on a tie). */
function mrrBefore(facts: Fact[], t: number): Map<string, number> {
  const latest = new Map<string, { ms: number; value: number }>();
  for (const fact of facts) {
    if (fact.kind !== "mrr" || fact.entityId === null || fact.occurredMs >= t) continue;
    const seen = latest.get(fact.entityId);
    if (!seen || fact.occurredMs >= seen.ms) latest.set(fact.entityId, { ms: fact.occurredMs, value: fact.value ?? 0 });
  }
  return new Map([...latest].map(([entity, { value }]) => [entity, value]));
}

function activeSet(mrr: Map<string, number>): Set<string> {
  return new Set([...mrr].filter(([, value]) => value > 0).map(([entity]) => entity));
}

export function computeRecurring(facts: Fact[], startMs: number, endMs: number): RecurringMeasures {
  const atEnd = mrrBefore(facts, endMs);
  const activeStart = activeSet(mrrBefore(facts, startMs));
  const activeEnd = activeSet(atEnd);
  let mrrAtEnd = 0;
  for (const value of atEnd.values()) mrrAtEnd += value;
  return {
    mrrAtEnd,
    activeAtStart: activeStart.size,
    activeAtEnd: activeEnd.size,
    retained: [...activeStart].filter((entity) => activeEnd.has(entity)).length,
  };
}
