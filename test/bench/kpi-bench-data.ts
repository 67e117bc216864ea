// Deterministic synthetic facts for the KPI benchmark: one workspace, about three
// years of a B2B funnel (leads ~40 %), spend by channel, monthly MRR per customer and
// customer-voice answers. Generated at run time (`npm run bench -- kpi --facts 10000000`),
// never stored; column-wise in typed arrays, so ten million facts take well under a GB.

export const BENCH_KINDS = ["lead", "mql", "sql", "opportunity", "won", "lost", "spend", "mrr", "nps", "csat"] as const;
export const BENCH_CHANNELS = [
  "paid_search",
  "organic",
  "webinar",
  "outbound",
  "referral",
  "social",
  "events",
  "partner",
] as const;
export const BENCH_DEPARTMENTS = ["marketing", "sales"] as const;
export const BENCH_SEGMENTS = ["new", "upsell", "cross_sell"] as const;

export const SPAN_START_MS = Date.UTC(2024, 0, 1);
export const SPAN_END_MS = Date.UTC(2026, 9, 1);
const DAY = 86_400_000;

/** Facts column-wise, sorted by time (ids follow time, as when ingested as they happen). */
export type BenchFacts = {
  count: number;
  occurredMs: Float64Array;
  /** index into BENCH_KINDS */
  kind: Uint8Array;
  entityId: (string | null)[];
  /** NaN for no value */
  value: Float64Array;
  /** index into BENCH_CHANNELS, -1 for none */
  channel: Int8Array;
  /** index into BENCH_DEPARTMENTS, -1 for none */
  department: Int8Array;
  /** index into BENCH_SEGMENTS, -1 for none */
  segment: Int8Array;
};

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Columns that grow as facts are generated, in generation order. */
class Columns {
  count = 0;
  occurredMs: Float64Array;
  kind: Uint8Array;
  entityId: (string | null)[] = [];
  value: Float64Array;
  channel: Int8Array;
  department: Int8Array;
  segment: Int8Array;

  constructor(capacity: number) {
    this.occurredMs = new Float64Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.value = new Float64Array(capacity);
    this.channel = new Int8Array(capacity);
    this.department = new Int8Array(capacity);
    this.segment = new Int8Array(capacity);
  }

  push(ms: number, kind: number, entity: string | null, value: number, channel: number, dept: number, seg: number) {
    if (this.count === this.occurredMs.length) this.grow();
    const i = this.count++;
    this.occurredMs[i] = ms;
    this.kind[i] = kind;
    this.entityId.push(entity);
    this.value[i] = value;
    this.channel[i] = channel;
    this.department[i] = dept;
    this.segment[i] = seg;
  }

  private grow(): void {
    const size = Math.ceil(this.occurredMs.length * 1.5) + 1024;
    const widen = <T extends Float64Array | Uint8Array | Int8Array>(old: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(old as never);
      return next;
    };
    this.occurredMs = widen(this.occurredMs, (n) => new Float64Array(n));
    this.kind = widen(this.kind, (n) => new Uint8Array(n));
    this.value = widen(this.value, (n) => new Float64Array(n));
    this.channel = widen(this.channel, (n) => new Int8Array(n));
    this.department = widen(this.department, (n) => new Int8Array(n));
    this.segment = widen(this.segment, (n) => new Int8Array(n));
  }

  /** The first `total` facts, ordered by time; equal times keep generation order. */
  sorted(total: number): BenchFacts {
    // One native sort of (ms - start) << 26 | index (ms span < 2^37, index < 2^26: 63 bits),
    // so ten million facts sort in seconds, with no comparator and no per-fact objects.
    if (total >= 2 ** 26) throw new Error(`at most ${2 ** 26 - 1} bench facts, asked for ${total}`);
    const keys = new BigUint64Array(total);
    for (let i = 0; i < total; i++) {
      keys[i] = (BigInt((this.occurredMs[i] as number) - SPAN_START_MS) << 26n) | BigInt(i);
    }
    keys.sort();
    const facts: BenchFacts = {
      count: total,
      occurredMs: new Float64Array(total),
      kind: new Uint8Array(total),
      entityId: new Array(total),
      value: new Float64Array(total),
      channel: new Int8Array(total),
      department: new Int8Array(total),
      segment: new Int8Array(total),
    };
    const mask = (1n << 26n) - 1n;
    for (let to = 0; to < total; to++) {
      const from = Number((keys[to] as bigint) & mask);
      facts.occurredMs[to] = this.occurredMs[from] as number;
      facts.kind[to] = this.kind[from] as number;
      facts.entityId[to] = this.entityId[from] ?? null;
      facts.value[to] = this.value[from] as number;
      facts.channel[to] = this.channel[from] as number;
      facts.department[to] = this.department[from] as number;
      facts.segment[to] = this.segment[from] as number;
    }
    return facts;
  }
}

/**
 * `total` facts (a million for the figures, ten million with `--facts 10000000`),
 * generated at run time, never stored: the same seed gives the same facts.
 */
export function generateBenchFacts(total = 1_000_000, seed = 20261124): BenchFacts {
  const random = mulberry32(seed);
  const pick = (n: number) => Math.floor(random() * n);
  const between = (lo: number, hi: number) => lo + random() * (hi - lo);
  const columns = new Columns(total + 4096);
  const push = (
    ms: number,
    kind: number,
    entity: string | null,
    value: number,
    channel: number,
    dept: number,
    seg: number,
  ) => {
    if (ms < SPAN_END_MS) columns.push(ms, kind, entity, value, channel, dept, seg);
  };
  const K = Object.fromEntries(BENCH_KINDS.map((kind, index) => [kind, index])) as Record<
    (typeof BENCH_KINDS)[number],
    number
  >;

  // Spend: daily per marketing channel, weekly for the sales channels.
  for (let day = SPAN_START_MS; day < SPAN_END_MS; day += DAY) {
    for (let channel = 0; channel < 6; channel++) {
      push(day + pick(DAY), K.spend, null, Math.round(between(50, 900)), random() < 0.03 ? -1 : channel, 0, -1);
    }
    if ((day / DAY) % 7 === 0) {
      push(day + pick(DAY), K.spend, null, Math.round(between(2000, 9000)), 3, 1, -1);
      push(day + pick(DAY), K.spend, null, Math.round(between(500, 4000)), 6, 1, -1);
    }
  }

  const customer = (entity: string, wonMs: number, wonValue: number, channel: number) => {
    let mrr = Math.round(wonValue / 12);
    let ms = wonMs + pick(3 * DAY);
    while (ms < SPAN_END_MS) {
      push(ms, K.mrr, entity, mrr, -1, -1, -1);
      if (random() < 0.35) push(ms + pick(20 * DAY), K.csat, entity, 1 + pick(5), -1, -1, -1);
      if (random() < 0.25) push(ms + pick(20 * DAY), K.nps, entity, pick(11), -1, -1, -1);
      if (random() < 0.025) {
        push(ms + 30 * DAY, K.mrr, entity, 0, -1, -1, -1);
        return;
      }
      if (random() < 0.02) {
        const upsell = Math.round(between(1000, 8000));
        push(ms + pick(10 * DAY), K.won, entity, upsell, channel, -1, random() < 0.7 ? 1 : 2);
        mrr += Math.round(upsell / 12);
      }
      ms += 30 * DAY + pick(2 * DAY) - DAY;
    }
  };

  let n = 0;
  while (columns.count < total) {
    n++;
    const direct = random() < 0.01;
    const entity = `${direct ? "D" : "L"}${n}`;
    // Growth: the lead rate doubles over the span (density ∝ 1 + t on [0, 1]).
    const t = Math.sqrt(1 + 3 * random()) - 1;
    let ms = SPAN_START_MS + Math.floor(t * (SPAN_END_MS - SPAN_START_MS));
    const channel = random() < 0.05 ? -1 : pick(BENCH_CHANNELS.length);
    if (!direct) {
      push(ms, K.lead, entity, Number.NaN, channel, -1, -1);
      if (random() < 0.1) push(ms + pick(40 * DAY), K.lead, entity, Number.NaN, pick(BENCH_CHANNELS.length), -1, -1);
      if (random() > 0.35) continue;
      ms += pick(15 * DAY);
      push(ms, K.mql, entity, Number.NaN, -1, -1, -1);
      if (random() < 0.04) push(ms + pick(5 * DAY), K.mql, entity, Number.NaN, -1, -1, -1);
      if (random() > 0.45) continue;
      ms += pick(15 * DAY);
      push(ms, K.sql, entity, Number.NaN, -1, -1, -1);
      if (random() > 0.55) continue;
      ms += pick(20 * DAY);
      push(ms, K.opportunity, entity, Number.NaN, -1, -1, -1);
      ms += pick(45 * DAY);
      if (random() < 0.55) {
        push(ms, K.lost, entity, Number.NaN, -1, -1, -1);
        continue;
      }
    } else ms += pick(30 * DAY);
    const value = Math.round(between(3000, 30000));
    push(ms, K.won, entity, value, random() < 0.5 ? channel : -1, -1, 0);
    customer(entity, ms, value, channel);
  }
  return columns.sorted(total);
}
