import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FACT_KINDS, type Fact } from "../../../src/core/facts/fact.ts";
import { metricBreakdowns } from "../../../src/core/kpi/formulas.ts";
import {
  type ClosedPulseData,
  computeMeasures,
  computeNewRevenue,
  computeRecurring,
  emptyMeasures,
  onlyParts,
} from "../../../src/core/kpi/reference-measures.ts";
import { MEASURE_PARTS, type Measures, type RecurringMeasures } from "../../../src/core/kpi/types.ts";
import { createSqlFactStats } from "../../../src/store/kpi-measures.ts";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../../helpers/databases.ts";

const JUNE = { startMs: Date.parse("2026-06-01T00:00:00Z"), endMs: Date.parse("2026-07-01T00:00:00Z") };

type Spec = Partial<Fact> & Pick<Fact, "kind">;
/** A fact at an ISO instant; facts are stored in the order given (ids follow it). */
function fact(
  kind: Fact["kind"],
  at: string,
  entityId: string | null,
  rest: Partial<Fact> = {},
): Spec & { at: string } {
  return {
    kind,
    at,
    entityId,
    value: null,
    channel: null,
    department: null,
    segment: kind === "won" ? "new" : null,
    ...rest,
  };
}

async function insertFacts(test: TestDatabase, workspaceId: number, facts: (Spec & { at: string })[]) {
  await test.db.prisma.fact.createMany({
    data: facts.map((f) => ({
      workspaceId,
      occurredMs: BigInt(Date.parse(f.at)),
      kind: f.kind,
      entityId: f.entityId ?? null,
      value: f.value ?? null,
      channel: f.channel ?? null,
      department: f.department ?? null,
      segment: f.segment ?? null,
    })),
  });
}

const FUNNEL = [
  // leads: A twice (first touch webinar), B without channel, C before and in the window,
  // D twice at the same instant (the first stored wins), one at the end (out), one at
  // the start (in), G only before the window.
  fact("lead", "2026-06-03T10:00:00Z", "A", { channel: "webinar" }),
  fact("lead", "2026-06-05T10:00:00Z", "A", { channel: "paid_search" }),
  fact("lead", "2026-06-10T00:00:00Z", "B"),
  fact("lead", "2026-05-20T00:00:00Z", "C", { channel: "organic" }),
  fact("lead", "2026-06-12T00:00:00Z", "C", { channel: "social" }),
  fact("lead", "2026-06-15T12:00:00Z", "D", { channel: "events" }),
  fact("lead", "2026-06-15T12:00:00Z", "D", { channel: "partner" }),
  fact("lead", "2026-07-01T00:00:00Z", "E2", { channel: "webinar" }),
  fact("lead", "2026-06-01T00:00:00Z", "S1", { channel: "referral" }),
  fact("lead", "2026-04-01T00:00:00Z", "G"),
  fact("lead", "2026-04-02T00:00:00Z", "G", { channel: "webinar" }),
  fact("lead", "2026-06-02T00:00:00Z", "H", { channel: "outbound" }),
  fact("mql", "2026-06-06T00:00:00Z", "A"),
  fact("mql", "2026-06-07T00:00:00Z", "A"),
  fact("mql", "2026-06-11T00:00:00Z", "B"),
  fact("mql", "2026-05-31T23:59:59.999Z", "C"),
  fact("sql", "2026-06-08T00:00:00Z", "A"),
  fact("opportunity", "2026-06-09T00:00:00Z", "A"),
  fact("opportunity", "2026-06-13T00:00:00Z", "C"),
  // won: C new + upsell + cross-sell (first touch organic, from before the window),
  // E and F without a lead, G whose first lead has no channel, H twice new.
  fact("won", "2026-06-20T00:00:00Z", "C", { value: 1000, channel: "paid_search" }),
  fact("won", "2026-06-25T00:00:00Z", "C", { value: 500, segment: "upsell" }),
  fact("won", "2026-06-27T00:00:00Z", "C", { value: 50, segment: "cross_sell" }),
  fact("won", "2026-06-21T00:00:00Z", "E", { value: 2000, channel: "outbound" }),
  fact("won", "2026-06-22T00:00:00Z", "F", { value: 300 }),
  fact("won", "2026-06-23T00:00:00Z", "G", { value: 700, channel: "referral" }),
  fact("won", "2026-06-10T12:00:00Z", "H", { value: 400 }),
  fact("won", "2026-06-26T00:00:00Z", "H", { value: 600 }),
  fact("won", "2026-07-01T00:00:00Z", "A", { value: 9999 }),
  fact("lost", "2026-06-15T00:00:00Z", "B"),
  fact("lost", "2026-06-16T00:00:00Z", "B"),
  fact("spend", "2026-06-05T00:00:00Z", null, { value: 100, department: "marketing", channel: "paid_search" }),
  fact("spend", "2026-06-06T00:00:00Z", null, { value: 50, department: "marketing" }),
  fact("spend", "2026-06-07T00:00:00Z", null, { value: 25, department: "marketing", channel: "paid_search" }),
  fact("spend", "2026-06-08T00:00:00Z", null, { value: 300, department: "sales", channel: "outbound" }),
  fact("spend", "2026-06-09T00:00:00Z", null, { value: 999, department: "product", channel: "events" }),
  fact("spend", "2026-05-31T00:00:00Z", null, { value: 7777, department: "marketing", channel: "paid_search" }),
  ...[10, 9, 8, 7, 6, 0].map((value, i) => fact("nps", `2026-06-1${i}T00:00:00Z`, `N${i}`, { value })),
  fact("nps", "2026-07-01T00:00:00Z", "N9", { value: 10 }),
  fact("csat", "2026-06-10T00:00:00Z", "N1", { value: 5 }),
  fact("csat", "2026-06-11T00:00:00Z", "N2", { value: 3 }),
];

const MRR = [
  fact("mrr", "2026-05-10T00:00:00Z", "X", { value: 100 }),
  fact("mrr", "2026-06-10T00:00:00Z", "X", { value: 150 }),
  fact("mrr", "2026-05-10T00:00:00Z", "Y", { value: 200 }),
  fact("mrr", "2026-06-10T00:00:00Z", "Y", { value: 0 }),
  fact("mrr", "2026-06-10T00:00:00Z", "Z", { value: 300 }),
  fact("mrr", "2026-06-15T00:00:00Z", "T", { value: 50 }),
  fact("mrr", "2026-06-15T00:00:00Z", "T", { value: 70 }),
  fact("mrr", "2026-05-15T00:00:00Z", "T2", { value: 70 }),
  fact("mrr", "2026-05-15T00:00:00Z", "T2", { value: 0 }),
  fact("mrr", "2026-06-01T00:00:00Z", "U", { value: 40 }),
  fact("mrr", "2026-07-01T00:00:00Z", "U", { value: 90 }),
  fact("mrr", "2026-04-01T00:00:00Z", "W", { value: 0 }),
  fact("mrr", "2026-05-01T00:00:00Z", "W", { value: 80 }),
  fact("mrr", "2026-03-01T00:00:00Z", "V", { value: 60 }),
];

const EMPTY: Measures = emptyMeasures();

async function createWorkspace(test: TestDatabase, externalId: string): Promise<number> {
  const workspace = await test.db.prisma.workspace.create({ data: { platform: "local", externalId } });
  return workspace.id;
}

async function insertPulse(
  test: TestDatabase,
  workspaceId: number,
  spec: {
    status: string;
    closedAt: string | null;
    asked: number;
    questions: {
      tag: string;
      kind: string;
      answers: { key: string; department: string | null; value: number | null }[];
    }[];
  },
) {
  const closedMs = spec.closedAt === null ? null : Date.parse(spec.closedAt);
  const pulse = await test.db.prisma.pulse.create({
    data: {
      workspaceId,
      platform: "slack",
      channelId: "C1",
      createdBy: "U1",
      title: "How are we working together?",
      status: spec.status,
      opensAt: new Date("2026-06-01T00:00:00Z"),
      closesAt: new Date("2026-06-30T00:00:00Z"),
      closedAt: closedMs === null ? null : new Date(closedMs),
      closedMs: closedMs === null ? null : BigInt(closedMs),
      askedCount: spec.asked,
    },
  });
  for (const [index, question] of spec.questions.entries()) {
    const row = await test.db.prisma.pulseQuestion.create({
      data: { pulseId: pulse.id, position: index + 1, text: `q${index}`, kind: question.kind, tag: question.tag },
    });
    await test.db.prisma.pulseResponse.createMany({
      data: question.answers.map((answer) => ({
        pulseId: pulse.id,
        questionId: row.id,
        respondentKey: answer.key,
        department: answer.department,
        value: answer.value,
        text: answer.value === null ? "free text" : null,
      })),
    });
  }
}

// Random small workspaces: few entities and instants, so stages repeat, facts tie at
// one instant, mrr goes to 0 and back, and windows cut through all of it.
const HOUR = 3_600_000;
const BASE_MS = Date.parse("2026-03-01T00:00:00Z");
const instant = fc.integer({ min: 0, max: 8 }).map((step) => BASE_MS + step * 12 * HOUR);

const AMOUNTS = [0, 1, 2.5, 10, 99.99, 1234];
const CHANNELS = [null, "ads", "seo", "webinar"];

const factArbitrary: fc.Arbitrary<Fact> = fc
  .record({
    occurredMs: instant,
    kind: fc.constantFrom(...FACT_KINDS),
    entity: fc.constantFrom("a", "b", "c", "d"),
    amount: fc.constantFrom(...AMOUNTS),
    score: fc.integer({ min: 0, max: 10 }),
    channel: fc.constantFrom(...CHANNELS),
    department: fc.constantFrom("marketing", "sales", "product"),
    segment: fc.constantFrom(null, "new", "new", "upsell", "cross_sell"),
  })
  .map(({ occurredMs, kind, entity, amount, score, channel, department, segment }): Fact => {
    const value =
      kind === "nps"
        ? score
        : kind === "csat"
          ? 1 + (score % 5)
          : ["won", "spend", "mrr"].includes(kind)
            ? amount
            : null;
    return {
      occurredMs,
      kind,
      entityId: kind === "spend" ? null : entity,
      value,
      channel: kind === "mrr" || kind === "nps" || kind === "csat" ? null : channel,
      department: kind === "spend" ? department : null,
      segment: kind === "won" ? (segment as Fact["segment"]) : null,
      externalId: null,
    };
  });

// Some facts get a twin at the same instant with another channel or amount, so the
// tie rules (first lead stored wins, last mrr stored wins) are exercised often.
const factsArbitrary: fc.Arbitrary<Fact[]> = fc
  .array(fc.tuple(factArbitrary, fc.nat(9), fc.constantFrom(...CHANNELS), fc.constantFrom(...AMOUNTS)), {
    minLength: 5,
    maxLength: 40,
  })
  .map((items) =>
    items.flatMap(([fact, dice, channel, amount]) => {
      if (dice > 2) return [fact];
      const twin: Fact = {
        ...fact,
        channel: fact.channel === null && fact.kind !== "lead" ? null : channel,
        value: fact.value === null || fact.kind === "nps" || fact.kind === "csat" ? fact.value : amount,
      };
      if (fact.kind === "mrr" || fact.kind === "nps" || fact.kind === "csat") twin.channel = null;
      return [fact, twin];
    }),
  );

type PulseSpec = {
  closed: boolean;
  closedMs: number;
  asked: number;
  questions: { tag: string; answers: { key: string; department: string | null; value: number | null }[] }[];
};
const pulseArbitrary: fc.Arbitrary<PulseSpec> = fc.record({
  closed: fc.boolean(),
  closedMs: instant,
  asked: fc.integer({ min: 0, max: 12 }),
  questions: fc.array(
    fc.record({
      tag: fc.constantFrom("collaboration", "collaboration", "lead_quality"),
      answers: fc.uniqueArray(
        fc.record({
          key: fc.constantFrom("k1", "k2", "k3", "k4"),
          department: fc.constantFrom(null, "marketing", "sales"),
          value: fc.constantFrom(null, 1, 2, 3, 4, 5),
        }),
        { maxLength: 4, selector: (answer) => answer.key },
      ),
    }),
    { maxLength: 2 },
  ),
});

const windowArbitrary = fc
  .tuple(instant, instant)
  .map(([a, b]) => ({ startMs: Math.min(a, b), endMs: Math.max(a, b) + 3 * HOUR }));

function closedPulseData(pulses: PulseSpec[]): ClosedPulseData[] {
  return pulses
    .filter((pulse) => pulse.closed)
    .map((pulse) => ({
      closedMs: pulse.closedMs,
      asked: pulse.asked,
      respondents: new Set(pulse.questions.flatMap((q) => q.answers.map((answer) => answer.key))).size,
      collaborationAnswers: pulse.questions
        .filter((q) => q.tag === "collaboration")
        .flatMap((q) => q.answers.filter((answer) => answer.value !== null))
        .map((answer) => ({ department: answer.department, value: answer.value as number, respondent: answer.key })),
    }));
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** Equal numbers within 1e-9 relative, breakdowns with the same labels; a readable diff otherwise. */
function expectClose(actual: Measures | RecurringMeasures, expected: Measures | RecurringMeasures) {
  const flat = (value: object, prefix = ""): Record<string, number> =>
    Object.fromEntries(
      Object.entries(value).flatMap(([key, item]) =>
        typeof item === "number" ? [[prefix + key, item]] : Object.entries(flat(item, `${prefix}${key}.`)),
      ),
    );
  const a = flat(actual);
  const e = flat(expected);
  const mismatched = Object.keys({ ...a, ...e }).filter(
    (key) => a[key] === undefined || e[key] === undefined || !close(a[key] as number, e[key] as number),
  );
  if (mismatched.length > 0) expect(actual).toEqual(expected);
}

describe.each(DIALECTS)("SQL fact stats on %s", (dialect) => {
  let test: TestDatabase;
  let workspaceId: number;
  let emptyWorkspaceId: number;

  beforeAll(async () => {
    test = await createTestDatabase(dialect);
    workspaceId = await createWorkspace(test, "main");
    emptyWorkspaceId = await createWorkspace(test, "empty");
    const otherId = await createWorkspace(test, "other");
    await insertFacts(test, workspaceId, [...FUNNEL, ...MRR]);
    // Another workspace's facts never leak into these numbers.
    await insertFacts(test, otherId, [
      fact("lead", "2026-06-03T00:00:00Z", "A", { channel: "webinar" }),
      fact("won", "2026-06-20T00:00:00Z", "C", { value: 5 }),
      fact("mrr", "2026-05-10T00:00:00Z", "X", { value: 5 }),
    ]);
    await insertPulse(test, workspaceId, {
      status: "closed",
      closedAt: "2026-06-20T00:00:00Z",
      asked: 10,
      questions: [
        {
          tag: "collaboration",
          kind: "agree5",
          answers: [
            { key: "k1", department: "marketing", value: 4 },
            { key: "k2", department: "sales", value: 2 },
            { key: "k3", department: null, value: 5 },
          ],
        },
        {
          tag: "lead_quality",
          kind: "agree5",
          answers: [
            { key: "k1", department: "marketing", value: 1 },
            { key: "k4", department: "product", value: 3 },
          ],
        },
        {
          tag: "collaboration",
          kind: "text",
          answers: [
            { key: "k2", department: "sales", value: null },
            { key: "k6", department: "product", value: null },
          ],
        },
      ],
    });
    await insertPulse(test, workspaceId, {
      status: "closed",
      closedAt: "2026-07-01T00:00:00Z",
      asked: 5,
      questions: [{ tag: "collaboration", kind: "agree5", answers: [{ key: "k1", department: "sales", value: 1 }] }],
    });
    await insertPulse(test, workspaceId, {
      status: "open",
      closedAt: null,
      asked: 7,
      questions: [{ tag: "collaboration", kind: "agree5", answers: [{ key: "k5", department: "sales", value: 1 }] }],
    });
    await insertPulse(test, workspaceId, {
      status: "closed",
      closedAt: "2026-06-25T00:00:00Z",
      asked: 3,
      questions: [],
    });
  });

  afterAll(async () => {
    await test?.drop();
  });

  it("computes every measure of a window by the counting rule", async () => {
    const measures = await createSqlFactStats(test.db).measures(workspaceId, JUNE);
    expect(measures).toEqual({
      leads: 6,
      mqls: 2,
      sqls: 1,
      opportunities: 2,
      dealsWon: 8,
      dealsLost: 2,
      newCustomers: 5,
      newRevenue: 5550,
      marketingSpend: 175,
      salesSpend: 300,
      salesCycleDaysSum: 31 + 83 + 8.5 + 24,
      salesCycleCount: 4,
      npsPromoters: 2,
      npsDetractors: 2,
      npsAnswers: 6,
      csatSum: 8,
      csatCount: 2,
      revenueByChannel: { organic: 1550, outbound: 3000, unknown: 300, referral: 700 },
      leadsByChannel: { webinar: 1, unknown: 1, social: 1, events: 1, referral: 1, outbound: 1 },
      marketingSpendByChannel: { paid_search: 125, unknown: 50 },
      salesSpendByChannel: { outbound: 300 },
      collaborationSum: 11,
      collaborationCount: 3,
      collaborationPeople: 3,
      collaborationByDepartment: {
        marketing: { sum: 4, count: 1, people: 1 },
        sales: { sum: 2, count: 1, people: 1 },
        unknown: { sum: 5, count: 1, people: 1 },
      },
      pulseRespondents: 5,
      pulseAsked: 13,
    } satisfies Measures);
  });

  it("counts the people behind collaboration answers, not the answers: two people answering twice stay hidden", async () => {
    const leakId = await createWorkspace(test, "leak");
    const answers = (department: string, keys: string[]) => keys.map((key) => ({ key, department, value: 5 }));
    const question = {
      tag: "collaboration",
      kind: "agree5",
      answers: [...answers("sales", ["s1", "s2"]), ...answers("marketing", ["m1", "m2", "m3"])],
    };
    await insertPulse(test, leakId, {
      status: "closed",
      closedAt: "2026-06-10T00:00:00Z",
      asked: 5,
      questions: [question, { ...question }],
    });
    const measures = await createSqlFactStats(test.db).measures(leakId, JUNE);
    expect(measures.collaborationByDepartment).toEqual({
      sales: { sum: 20, count: 4, people: 2 },
      marketing: { sum: 30, count: 6, people: 3 },
    });
    expect(measures.collaborationPeople).toBe(5);
    // sales' 4 answers are 2 people: hidden, and marketing with them (the overall score minus marketing is sales)
    expect(metricBreakdowns(measures).collaboration_score).toEqual({});
    // a second pulse in the window with only two people keeps the window's overall score hidden too
    await insertPulse(test, leakId, {
      status: "closed",
      closedAt: "2026-06-20T00:00:00Z",
      asked: 5,
      questions: [{ tag: "collaboration", kind: "agree5", answers: answers("sales", ["t1", "t2"]) }],
    });
    const two = await createSqlFactStats(test.db).measures(leakId, JUNE);
    expect(two.collaborationPeople).toBe(2);
    expect(two.collaborationByDepartment.marketing?.people).toBe(3);
  });

  it("reads the latest mrr before each instant, the last stored winning a tie", async () => {
    const recurring = await createSqlFactStats(test.db).recurring(workspaceId, JUNE.startMs, JUNE.endMs);
    expect(recurring).toEqual({ mrrAtEnd: 700, activeAtStart: 4, activeAtEnd: 6, retained: 3 });
  });

  it("walks a long mrr chain in two halves at a sampled entity (PostgreSQL), with the same numbers", async () => {
    const statements: string[] = [];
    const prisma = test.db.prisma as unknown as {
      $queryRawUnsafe(sql: string, ...params: unknown[]): Promise<unknown>;
    };
    const original = prisma.$queryRawUnsafe;
    prisma.$queryRawUnsafe = function (this: unknown, sql: string, ...params: unknown[]) {
      statements.push(sql);
      return original.call(this, sql, ...params);
    } as typeof original;
    try {
      const everything = createSqlFactStats(test.db, { chainSample: { percent: 100, minRows: 1 } });
      const recurring = await everything.recurring(workspaceId, JUNE.startMs, JUNE.endMs);
      expect(recurring).toEqual({ mrrAtEnd: 700, activeAtStart: 4, activeAtEnd: 6, retained: 3 });
      const walks = statements.filter((sql) => sql.includes("AS mrr0")).length;
      const samples = statements.filter((sql) => sql.includes("TABLESAMPLE")).length;
      expect([walks, samples]).toEqual(dialect === "postgres" ? [2, 1] : [1, 0]);
      statements.length = 0;
      // Too few sampled facts: one walk.
      const rarely = createSqlFactStats(test.db, { chainSample: { percent: 100, minRows: 1_000 } });
      expect(await rarely.recurring(workspaceId, JUNE.startMs, JUNE.endMs)).toEqual(recurring);
      expect(statements.filter((sql) => sql.includes("AS mrr0"))).toHaveLength(1);
    } finally {
      prisma.$queryRawUnsafe = original;
    }
  });

  it("answers many concurrent recurring calls, across workspaces, as it answers each alone", async () => {
    const month = (n: number) => Date.UTC(2026, n, 1);
    // 21 distinct instants: more than one statement takes.
    const pairs = Array.from({ length: 20 }, (_, n) => [month(n), month(n + 1)] as const);
    pairs.push([JUNE.startMs, JUNE.startMs], [JUNE.endMs, JUNE.startMs], [month(0), JUNE.endMs]);
    const stats = createSqlFactStats(test.db);
    const together = await Promise.all([
      ...pairs.map(([start, end]) => stats.recurring(workspaceId, start, end)),
      stats.recurring(emptyWorkspaceId, JUNE.startMs, JUNE.endMs),
    ]);
    const alone = [];
    for (const [start, end] of pairs) alone.push(await stats.recurring(workspaceId, start, end));
    alone.push(await stats.recurring(emptyWorkspaceId, JUNE.startMs, JUNE.endMs));
    expect(together).toEqual(alone);
    expect(together[5]).toEqual({ mrrAtEnd: 700, activeAtStart: 4, activeAtEnd: 6, retained: 3 });
    expect(together.at(-1)).toEqual({ mrrAtEnd: 0, activeAtStart: 0, activeAtEnd: 0, retained: 0 });
  });

  it("answers zeros and empty breakdowns for a workspace without facts", async () => {
    const stats = createSqlFactStats(test.db);
    expect(await stats.measures(emptyWorkspaceId, JUNE)).toEqual(EMPTY);
    expect(await stats.newRevenue?.(emptyWorkspaceId, JUNE)).toBe(0);
    expect(await stats.recurring(emptyWorkspaceId, JUNE.startMs, JUNE.endMs)).toEqual({
      mrrAtEnd: 0,
      activeAtStart: 0,
      activeAtEnd: 0,
      retained: 0,
    });
  });

  it("answers zeros for a window before any fact", async () => {
    const stats = createSqlFactStats(test.db);
    const early = { startMs: Date.parse("2020-01-01T00:00:00Z"), endMs: Date.parse("2020-02-01T00:00:00Z") };
    expect(await stats.measures(workspaceId, early)).toEqual(EMPTY);
    expect(await stats.recurring(workspaceId, early.startMs, early.endMs)).toEqual({
      mrrAtEnd: 0,
      activeAtStart: 0,
      activeAtEnd: 0,
      retained: 0,
    });
  });
  it("agrees with the in-memory reference on random workspaces and windows", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        factsArbitrary,
        fc.array(pulseArbitrary, { maxLength: 3 }),
        windowArbitrary,
        fc.array(windowArbitrary, { maxLength: 3 }),
        async (facts, pulses, window, moreWindows) => {
          // A fresh workspace per run: ids restart nothing, but no other run's rows can leak in.
          const id = await createWorkspace(test, `random-${run++}`);
          await test.db.prisma.fact.createMany({
            data: facts.map((f) => ({
              workspaceId: id,
              occurredMs: BigInt(f.occurredMs),
              kind: f.kind,
              entityId: f.entityId,
              value: f.value,
              channel: f.channel,
              department: f.department,
              segment: f.segment,
            })),
          });
          for (const pulse of pulses) {
            await insertPulse(test, id, {
              status: pulse.closed ? "closed" : "open",
              closedAt: pulse.closed ? new Date(pulse.closedMs).toISOString() : null,
              asked: pulse.asked,
              questions: pulse.questions.map((q) => ({ tag: q.tag, kind: "agree5", answers: q.answers })),
            });
          }
          const stats = createSqlFactStats(test.db);
          const measures = await stats.measures(id, window);
          expectClose(measures, computeMeasures(facts, window, closedPulseData(pulses)));
          expect(await stats.newRevenue?.(id, window)).toBeCloseTo(computeNewRevenue(facts, window), 6);
          expect(await stats.newRevenue?.(id, window)).toBeCloseTo(measures.newRevenue, 6);
          // Concurrent calls are answered together: each must still get its own numbers.
          const windows = [window, ...moreWindows];
          const recurring = await Promise.all(windows.map((w) => stats.recurring(id, w.startMs, w.endMs)));
          for (const [i, w] of windows.entries())
            expectClose(recurring[i] as RecurringMeasures, computeRecurring(facts, w.startMs, w.endMs));
          // The chain walked in two halves (PostgreSQL) at whatever entity the sample gives.
          const halves = createSqlFactStats(test.db, { chainSample: { percent: 100, minRows: 1 } });
          const split = await Promise.all(windows.map((w) => halves.recurring(id, w.startMs, w.endMs)));
          for (const [i, w] of windows.entries())
            expectClose(split[i] as RecurringMeasures, computeRecurring(facts, w.startMs, w.endMs));
          // Several windows in one pass (overlapping, nested, with gaps between): each its own numbers.
          const many = (await stats.measuresMany?.(id, windows)) ?? [];
          const revenues = (await stats.newRevenueMany?.(id, windows)) ?? [];
          expect(many).toHaveLength(windows.length);
          for (const [i, w] of windows.entries()) {
            expectClose(many[i] as Measures, computeMeasures(facts, w, closedPulseData(pulses)));
            expect(revenues[i]).toBeCloseTo(computeNewRevenue(facts, w), 6);
          }
          // Each part alone: exactly its fields of the whole, and nothing else read.
          for (const part of MEASURE_PARTS) {
            const [alone] = (await stats.measuresMany?.(id, [window], [part])) ?? [];
            expectClose(alone as Measures, onlyParts(computeMeasures(facts, window, closedPulseData(pulses)), [part]));
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it("reads consecutive periods in one pass, each period with its own numbers", async () => {
    const id = await createWorkspace(test, "consecutive");
    const at = (iso: string) => BigInt(Date.parse(iso));
    await test.db.prisma.fact.createMany({
      data: [
        { occurredMs: at("2026-07-31T23:59:59.999Z"), kind: "mql", entityId: "a" },
        { occurredMs: at("2026-08-01T00:00:00Z"), kind: "mql", entityId: "a" },
        { occurredMs: at("2026-08-15T00:00:00Z"), kind: "mql", entityId: "b" },
        { occurredMs: at("2026-09-01T00:00:00Z"), kind: "won", entityId: "c", value: 500 },
        { occurredMs: at("2026-06-30T00:00:00Z"), kind: "won", entityId: "d", value: 900 },
      ].map((fact) => ({ workspaceId: id, ...fact })),
    });
    const windows = ["2026-07-01", "2026-08-01", "2026-09-01", "2026-10-01"]
      .map((day) => Date.parse(`${day}T00:00:00Z`))
      .flatMap((startMs, i, starts) => (i + 1 < starts.length ? [{ startMs, endMs: starts[i + 1] as number }] : []));
    const stats = createSqlFactStats(test.db);
    const many = (await stats.measuresMany?.(id, windows)) ?? [];
    expect(many.map((m) => m.mqls)).toEqual([1, 2, 0]);
    expect(many.map((m) => m.newRevenue)).toEqual([0, 0, 500]);
    expect(await stats.newRevenueMany?.(id, windows)).toEqual([0, 0, 500]);
  });
});
