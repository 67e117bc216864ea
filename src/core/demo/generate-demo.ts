// The demo company: a B2B SaaS with six acquisition channels, a lead → won funnel,
// recurring revenue, churn, upsells and customer voice, so every metric of
// docs/metrics.md has something to show.
//
// Every random decision is drawn from a PRNG keyed by a stable identity (the seed
// plus a lead, customer, channel-week or calendar month), never by position in
// the output. So the facts of a given calendar month do not depend on `endMs`
// except for the cut-off: loading the demo again later the same month inserts
// only the facts whose time has come since, and external ids never collide with
// a different fact.
import { AppError, ErrorCode } from "../errors.ts";

export type DemoOptions = { endMs: number; months?: number; seed?: number };

export const DEMO_CHANNELS = ["paid_search", "content", "webinar", "outbound", "referral", "events"] as const;
type Channel = (typeof DEMO_CHANNELS)[number];

type ChannelProfile = {
  /** share of leads in an ordinary month */
  share: number;
  leadToMql: number;
  mqlToSql: number;
  sqlToOpportunity: number;
  win: number;
  /** multiplier on the new-deal value */
  dealSize: number;
  /** monthly churn probability of a customer of average sentiment */
  churn: number;
  /** marketing spend a week at growth 1 */
  weeklySpend: number;
};

// Referrals convert best and stay longest; paid search brings volume of lower
// intent. Calibrated for ~600 leads and ~21 new contracts at ~7,500 a month at
// growth 1 (the seed articles' example month).
const PROFILES: Record<Channel, ChannelProfile> = {
  paid_search: {
    share: 0.34,
    leadToMql: 0.36,
    mqlToSql: 0.3,
    sqlToOpportunity: 0.7,
    win: 0.28,
    dealSize: 0.92,
    churn: 0.028,
    weeklySpend: 4200,
  },
  content: {
    share: 0.2,
    leadToMql: 0.32,
    mqlToSql: 0.34,
    sqlToOpportunity: 0.7,
    win: 0.32,
    dealSize: 0.95,
    churn: 0.022,
    weeklySpend: 1700,
  },
  webinar: {
    share: 0.15,
    leadToMql: 0.48,
    mqlToSql: 0.36,
    sqlToOpportunity: 0.72,
    win: 0.33,
    dealSize: 1,
    churn: 0.021,
    weeklySpend: 1300,
  },
  outbound: {
    share: 0.12,
    leadToMql: 0.5,
    mqlToSql: 0.38,
    sqlToOpportunity: 0.7,
    win: 0.3,
    dealSize: 1.12,
    churn: 0.024,
    weeklySpend: 900,
  },
  referral: {
    share: 0.08,
    leadToMql: 0.66,
    mqlToSql: 0.48,
    sqlToOpportunity: 0.8,
    win: 0.46,
    dealSize: 1.05,
    churn: 0.013,
    weeklySpend: 500,
  },
  events: {
    share: 0.11,
    leadToMql: 0.42,
    mqlToSql: 0.36,
    sqlToOpportunity: 0.74,
    win: 0.34,
    dealSize: 1.15,
    churn: 0.019,
    weeklySpend: 1900,
  },
};

/** Lead volume by month of year: a summer dip and a Q4 push. */
const LEAD_SEASON = [0.96, 1, 1.07, 1.04, 1, 0.92, 0.8, 0.78, 1.04, 1.12, 1.14, 0.9];
/** Budgets dip less than leads in summer, so cost per lead rises then. */
const SPEND_SEASON = [1, 1, 1.04, 1.02, 1, 0.95, 0.9, 0.88, 1, 1.06, 1.1, 0.96];
/** Conference months: events bring (and cost) far more then. */
const EVENT_MONTHS = new Set([2, 4, 8, 9, 10]);

const BASE_LEADS_PER_MONTH = 600;
/** longer than the longest lead → close path (about 90 days) */
const WARM_UP_MONTHS = 4;
const DAY_MS = 86_400_000;
// Growth is anchored to a fixed calendar month (not to the window) so a month's
// facts stay the same whenever the demo is generated.
const GROWTH_ANCHOR = monthIndex(2026, 5);

// ---------------------------------------------------------------------------
// Randomness

function hashString(text: string): number {
  // FNV-1a, 32 bits
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  // murmur3's finaliser: keys differing in one character must give unrelated seeds
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = {
  next(): number;
  between(low: number, high: number): number;
  chance(probability: number): boolean;
  /** exponential with the given mean */
  exponential(mean: number): number;
  pick<T extends string>(weights: Record<T, number>): T;
};

function rngFor(seed: number, key: string): Rng {
  const next = mulberry32(hashString(`${seed}|${key}`));
  return {
    next,
    between: (low, high) => low + (high - low) * next(),
    chance: (probability) => next() < probability,
    exponential: (mean) => -mean * Math.log(1 - next()),
    pick<T extends string>(weights: Record<T, number>): T {
      const entries = Object.entries(weights) as [T, number][];
      const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
      let draw = next() * total;
      for (const [name, weight] of entries) {
        draw -= weight;
        if (draw < 0) return name;
      }
      return (entries[entries.length - 1] as [T, number])[0];
    },
  };
}

// ---------------------------------------------------------------------------
// Calendar (UTC)

function monthIndex(year: number, month0: number): number {
  return year * 12 + month0;
}
function monthIndexOf(ms: number): number {
  const date = new Date(ms);
  return monthIndex(date.getUTCFullYear(), date.getUTCMonth());
}
function monthStartMs(index: number): number {
  return Date.UTC(Math.floor(index / 12), index % 12, 1);
}
function monthKey(index: number): string {
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}
function dateKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
function roundTo(value: number, step: number): number {
  return Math.round(value / step) * step;
}

function growth(index: number): number {
  return clamp(1.015 ** (index - GROWTH_ANCHOR), 0.5, 2);
}

/** Sales and marketing working together better over time: more MQLs accepted by sales. */
function alignment(index: number): number {
  return clamp(0.92 + 0.008 * (index - monthIndex(2025, 0)), 0.9, 1.08);
}

// ---------------------------------------------------------------------------
// Output

type Draft = {
  ms: number;
  kind: string;
  entityId?: string;
  value?: number;
  channel?: string;
  department?: string;
  segment?: string;
  externalId: string;
};

function toRecord(draft: Draft): Record<string, unknown> {
  const record: Record<string, unknown> = { occurred_at: new Date(draft.ms).toISOString(), kind: draft.kind };
  if (draft.entityId !== undefined) record.entity_id = draft.entityId;
  if (draft.value !== undefined) record.value = draft.value;
  if (draft.channel !== undefined) record.channel = draft.channel;
  if (draft.department !== undefined) record.department = draft.department;
  if (draft.segment !== undefined) record.segment = draft.segment;
  record.external_id = draft.externalId;
  return record;
}

type Customer = {
  entityId: string;
  channel: Channel;
  mrr: number;
  /** 0 (unhappy) … 1 (delighted): drives NPS, CSAT, churn and upsells */
  sentiment: number;
  /** first month whose lifecycle is simulated (the one after the sale) */
  fromMonth: number;
};

type Emit = (draft: Draft) => void;

// ---------------------------------------------------------------------------
// The company

/**
 * Facts of the demo company from `months` whole calendar months (UTC) before the
 * month of `endMs` up to, not including, `endMs`, oldest first. Same options →
 * same facts.
 */
export function* generateDemoFacts(options: DemoOptions): Generator<Record<string, unknown>> {
  const months = options.months ?? 18;
  const seed = options.seed ?? 1;
  if (!Number.isFinite(options.endMs)) throw new AppError(ErrorCode.InvalidInput, "demo: endMs must be a finite time");
  if (!Number.isInteger(months) || months < 1 || months > 120)
    throw new AppError(ErrorCode.InvalidInput, `demo: months must be an integer 1–120, got ${months}`);
  if (!Number.isInteger(seed)) throw new AppError(ErrorCode.InvalidInput, `demo: seed must be an integer, got ${seed}`);

  const endMs = options.endMs;
  const lastMonth = monthIndexOf(endMs - 1);
  const firstMonth = monthIndexOf(endMs) - months;
  const startMs = monthStartMs(firstMonth);

  const drafts: Draft[] = [];
  const emit: Emit = (draft) => {
    if (draft.ms < endMs) drafts.push(draft);
  };

  const customers: Customer[] = legacyCustomers(seed, firstMonth, emit);
  // The leads of a few months before the window fill the pipeline, so the first
  // months already have deals closing; only their facts inside the window are
  // kept, and those who bought before it belong to the legacy base instead.
  const inWindow: Emit = (draft) => {
    if (draft.ms >= startMs) emit(draft);
  };
  for (let month = firstMonth - WARM_UP_MONTHS; month < firstMonth; month++) {
    for (const customer of leadsOfMonth(seed, month, inWindow))
      if (customer.fromMonth > firstMonth) customers.push(customer);
  }
  for (let month = firstMonth; month <= lastMonth; month++) {
    for (const customer of leadsOfMonth(seed, month, emit)) customers.push(customer);
  }
  for (const customer of customers) customerLifecycle(seed, customer, lastMonth, emit);
  marketingSpend(seed, startMs, endMs, emit);
  salesSpend(seed, firstMonth, lastMonth, emit);

  drafts.sort((a, b) => a.ms - b.ms || (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0));
  for (const draft of drafts) yield toRecord(draft);
}

/** Customers signed before the demo window, so MRR and retention start from a base. */
function legacyCustomers(seed: number, firstMonth: number, emit: Emit): Customer[] {
  const rng = rngFor(seed, "legacy");
  const count = Math.round(150 * growth(firstMonth));
  const shares = channelShares(firstMonth);
  const customers: Customer[] = [];
  for (let n = 1; n <= count; n++) {
    const entityId = `co-legacy-${String(n).padStart(4, "0")}`;
    const channel = rng.pick(shares);
    const mrr = roundTo(450 + 550 * rng.next() ** 1.5, 10);
    const customer: Customer = { entityId, channel, mrr, sentiment: rng.next() ** 0.8, fromMonth: firstMonth };
    customers.push(customer);
    const ms = monthStartMs(firstMonth) - Math.floor(rng.between(1, 28) * DAY_MS);
    emit({ ms, kind: "mrr", entityId, value: mrr, externalId: `demo-${entityId}-mrr-start` });
  }
  return customers;
}

function channelShares(month: number): Record<Channel, number> {
  const shares = {} as Record<Channel, number>;
  for (const channel of DEMO_CHANNELS) shares[channel] = PROFILES[channel].share;
  const eventMonth = EVENT_MONTHS.has(month % 12);
  shares.events *= eventMonth ? 1.8 : 0.5;
  return shares;
}

/** One month's leads and how far each gets; returns the ones that became customers. */
function leadsOfMonth(seed: number, month: number, emit: Emit): Customer[] {
  const monthRng = rngFor(seed, `leads:${monthKey(month)}`);
  const count = Math.round(
    BASE_LEADS_PER_MONTH * growth(month) * (LEAD_SEASON[month % 12] ?? 1) * monthRng.between(0.94, 1.06),
  );
  const shares = channelShares(month);
  const start = monthStartMs(month);
  const days = (monthStartMs(month + 1) - start) / DAY_MS;
  const customers: Customer[] = [];

  for (let n = 1; n <= count; n++) {
    const entityId = `co-${monthKey(month)}-${String(n).padStart(4, "0")}`;
    const rng = rngFor(seed, entityId);
    const channel = rng.pick(shares);
    const profile = PROFILES[channel];
    const id = (stage: string) => `demo-${entityId}-${stage}`;

    // Fewer leads arrive at weekends; they arrive in working hours (UTC).
    let day = Math.floor(rng.next() * days);
    const weekday = new Date(start + day * DAY_MS).getUTCDay();
    if ((weekday === 0 || weekday === 6) && rng.chance(0.7)) day = Math.max(0, day - (weekday === 6 ? 1 : 2));
    const leadMs = start + day * DAY_MS + Math.floor(rng.between(7, 19) * 3_600_000);
    emit({ ms: leadMs, kind: "lead", entityId, channel, externalId: id("lead") });

    if (!rng.chance(profile.leadToMql)) continue;
    const mqlMs = leadMs + Math.min(14, 0.3 + rng.exponential(4)) * DAY_MS;
    emit({ ms: mqlMs, kind: "mql", entityId, channel, externalId: id("mql") });

    if (!rng.chance(profile.mqlToSql * alignment(month))) continue;
    const sqlMs = mqlMs + Math.min(21, 1 + rng.exponential(5)) * DAY_MS;
    emit({ ms: sqlMs, kind: "sql", entityId, channel, externalId: id("sql") });

    if (!rng.chance(profile.sqlToOpportunity)) continue;
    const opportunityMs = sqlMs + Math.min(14, 1 + rng.exponential(4)) * DAY_MS;
    emit({ ms: opportunityMs, kind: "opportunity", entityId, channel, externalId: id("opportunity") });

    // Sales cycle (lead → close) of 20–90 days, never closing within 3 days of the opportunity.
    const cycleDays = 20 + 70 * ((rng.next() + rng.next()) / 2) ** 1.3;
    let closeMs = Math.max(leadMs + cycleDays * DAY_MS, opportunityMs + rng.between(3, 7) * DAY_MS);
    // Q4 push: deals due early in January are pulled into December, deals closing
    // before year end are fought for, and summer deals drift.
    const closeDate = new Date(closeMs);
    if (closeDate.getUTCMonth() === 0 && closeDate.getUTCDate() <= 14 && rng.chance(0.4))
      closeMs = Math.max(
        opportunityMs + DAY_MS,
        Date.UTC(closeDate.getUTCFullYear() - 1, 11, 31, 12) - rng.between(0, 12) * DAY_MS,
      );
    const closeMonth = monthIndexOf(closeMs) % 12;
    const seasonal = closeMonth >= 9 ? 0.08 : closeMonth === 6 || closeMonth === 7 ? -0.04 : 0;
    if (!rng.chance(profile.win + seasonal)) {
      emit({ ms: closeMs, kind: "lost", entityId, channel, externalId: id("lost") });
      continue;
    }
    const value = roundTo(clamp((5000 + 10000 * rng.next() ** 3) * profile.dealSize, 5000, 15000), 50);
    emit({ ms: closeMs, kind: "won", entityId, value, channel, segment: "new", externalId: id("won") });
    const mrr = Math.round(value / 12);
    emit({ ms: closeMs, kind: "mrr", entityId, value: mrr, externalId: id("mrr-start") });
    customers.push({ entityId, channel, mrr, sentiment: rng.next() ** 0.8, fromMonth: monthIndexOf(closeMs) + 1 });
  }
  return customers;
}

/** Month by month after the sale: NPS and CSAT answers, upsells, cross-sells, churn. */
function customerLifecycle(seed: number, customer: Customer, lastMonth: number, emit: Emit): void {
  const { entityId, channel, sentiment } = customer;
  let mrr = customer.mrr;
  for (let month = customer.fromMonth; month <= lastMonth; month++) {
    const key = monthKey(month);
    const rng = rngFor(seed, `${entityId}:${key}`);
    const start = monthStartMs(month);
    const span = monthStartMs(month + 1) - start;
    const at = () => start + Math.floor(rng.next() * span);

    // Unhappy customers leave more often; January budget reviews cost a few more.
    const sentimentFactor = sentiment < 0.25 ? 2 : sentiment > 0.7 ? 0.5 : 1;
    const churns = rng.chance(PROFILES[channel].churn * sentimentFactor * (month % 12 === 0 ? 1.4 : 1));
    const churnMs = churns ? at() : Number.POSITIVE_INFINITY;

    const npsMs = at();
    if (rng.chance(0.3) && npsMs < churnMs) {
      // Product work shows: answers drift up by about half a point a year.
      const drift = 0.04 * (month - monthIndex(2025, 0));
      const score = clamp(Math.round(4.6 + 5.6 * sentiment + rng.between(-1.8, 1.8) + drift), 0, 10);
      emit({ ms: npsMs, kind: "nps", entityId, value: score, externalId: `demo-${entityId}-nps-${key}` });
    }
    const csatMs = at();
    if (rng.chance(0.22) && csatMs < churnMs) {
      const score = clamp(Math.round(2.7 + 2.5 * sentiment + rng.between(-1, 1)), 1, 5);
      emit({ ms: csatMs, kind: "csat", entityId, value: score, externalId: `demo-${entityId}-csat-${key}` });
    }
    if (churns) {
      emit({ ms: churnMs, kind: "mrr", entityId, value: 0, externalId: `demo-${entityId}-churn-${key}` });
      return;
    }

    const expansions: { segment: "upsell" | "cross_sell"; low: number; high: number; probability: number }[] = [
      { segment: "upsell", low: 1200, high: 6000, probability: 0.022 * (sentiment > 0.5 ? 1.3 : 0.7) },
      { segment: "cross_sell", low: 2000, high: 8000, probability: 0.01 },
    ];
    for (const expansion of expansions) {
      if (!rng.chance(expansion.probability)) continue;
      const ms = at();
      const value = roundTo(rng.between(expansion.low, expansion.high), 50);
      mrr += Math.round(value / 12);
      const id = `demo-${entityId}-${expansion.segment}-${key}`;
      emit({ ms, kind: "won", entityId, value, channel, segment: expansion.segment, externalId: id });
      emit({ ms, kind: "mrr", entityId, value: mrr, externalId: `${id}-mrr` });
    }
  }
}

/**
 * Weekly spend per marketing channel, split where a week crosses a month boundary
 * so monthly totals do not jump with the number of Mondays.
 */
function marketingSpend(seed: number, startMs: number, endMs: number, emit: Emit): void {
  const startWeekday = (new Date(startMs).getUTCDay() + 6) % 7; // 0 = Monday
  for (let weekMs = startMs - startWeekday * DAY_MS; weekMs < endMs; weekMs += 7 * DAY_MS) {
    const weekEnd = weekMs + 7 * DAY_MS;
    const month = monthIndexOf(weekMs + 3 * DAY_MS);
    for (const channel of DEMO_CHANNELS) {
      const rng = rngFor(seed, `spend:${channel}:${dateKey(weekMs)}`);
      let weekly = PROFILES[channel].weeklySpend * growth(month) * (SPEND_SEASON[month % 12] ?? 1);
      if (channel === "events") weekly *= EVENT_MONTHS.has(month % 12) ? 2 : 0.45;
      weekly *= rng.between(0.88, 1.12);
      let segmentStart = Math.max(weekMs, startMs);
      while (segmentStart < weekEnd) {
        const segmentEnd = Math.min(weekEnd, monthStartMs(monthIndexOf(segmentStart) + 1));
        const value = Math.round((weekly * (segmentEnd - segmentStart)) / (7 * DAY_MS));
        // Booked at noon UTC so the day (and month) is the same in most time zones.
        emit({
          ms: segmentStart + 12 * 3_600_000,
          kind: "spend",
          value,
          channel,
          department: "marketing",
          externalId: `demo-spend-${channel}-${dateKey(segmentStart)}`,
        });
        segmentStart = segmentEnd;
      }
    }
  }
}

/** Salaries and tools of a sales team that hires as the company grows. */
function salesSpend(seed: number, firstMonth: number, lastMonth: number, emit: Emit): void {
  for (let month = firstMonth; month <= lastMonth; month++) {
    const rng = rngFor(seed, `sales-spend:${monthKey(month)}`);
    const reps = Math.max(2, Math.round(3.6 * growth(month)));
    const ms = monthStartMs(month) + 12 * 3_600_000;
    const key = monthKey(month);
    const salaries = roundTo(12000 + reps * 8500 + rng.between(-400, 400), 10);
    const tools = roundTo(1500 + 400 * (reps + 1) + rng.between(-150, 150), 10);
    emit({ ms, kind: "spend", value: salaries, department: "sales", externalId: `demo-spend-sales-salaries-${key}` });
    emit({ ms, kind: "spend", value: tools, department: "sales", externalId: `demo-spend-sales-tools-${key}` });
  }
}
