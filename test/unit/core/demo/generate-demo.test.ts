import { describe, expect, it } from "vitest";
import { DEMO_CHANNELS, generateDemoFacts } from "../../../../src/core/demo/generate-demo.ts";
import { type Fact, parseFact } from "../../../../src/core/facts/fact.ts";

const END_MS = Date.parse("2026-11-24T07:38:00Z");
const DAY_MS = 86_400_000;

const records = [...generateDemoFacts({ endMs: END_MS })];
const facts: Fact[] = records.map((record) => {
  const parsed = parseFact(record, "UTC");
  if (!parsed.ok) throw new Error(`invalid demo fact ${JSON.stringify(record)}: ${JSON.stringify(parsed.errors)}`);
  return parsed.fact;
});
const ofKind = (kind: Fact["kind"]) => facts.filter((fact) => fact.kind === kind);
const monthOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);
// Deep equality over ~20,000 records is slow in expect; their JSON says the same.
const text = (list: Record<string, unknown>[]) => JSON.stringify(list);

describe("generateDemoFacts", () => {
  it("gives the same facts for the same options, and other facts for another seed", () => {
    const expected = text(records);
    expect(text([...generateDemoFacts({ endMs: END_MS })]) === expected).toBe(true);
    expect(text([...generateDemoFacts({ endMs: END_MS, seed: 1 })]) === expected).toBe(true);
    expect(text([...generateDemoFacts({ endMs: END_MS, seed: 2 })]) === expected).toBe(false);
  });

  it("yields only valid facts in the fact format, each with a unique external id", () => {
    // parsing happened above (it throws on the first invalid record)
    expect(facts.length).toBe(records.length);
    const ids = facts.map((fact) => fact.externalId);
    expect(ids.every((id) => typeof id === "string" && id.startsWith("demo-"))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
    expect(records.filter((record) => !iso.test(String(record.occurred_at)))).toEqual([]);
  });

  it("stays at a few tens of thousands of facts", () => {
    expect(facts.length).toBeGreaterThan(5_000);
    expect(facts.length).toBeLessThan(50_000);
  });

  it("ends before endMs, oldest first, and covers the last complete month and week", () => {
    const times = facts.map((fact) => fact.occurredMs);
    expect(Math.max(...times)).toBeLessThan(END_MS);
    expect(times.every((ms, i) => i === 0 || ms >= (times[i - 1] ?? 0))).toBe(true);
    const leadMonths = new Set(ofKind("lead").map((fact) => monthOf(fact.occurredMs)));
    expect(leadMonths.has("2026-10")).toBe(true);
    // ISO week 2026-W47: Monday 16 to Monday 23 November
    const lastWeek = [Date.parse("2026-11-16T00:00:00Z"), Date.parse("2026-11-23T00:00:00Z")];
    const inLastWeek = (fact: Fact) => fact.occurredMs >= (lastWeek[0] ?? 0) && fact.occurredMs < (lastWeek[1] ?? 0);
    for (const kind of ["lead", "mql", "sql", "opportunity", "won", "lost", "spend"] as const)
      expect(ofKind(kind).some(inLastWeek), kind).toBe(true);
  });

  it("spans at least 12 months of funnel activity, by default 18 whole months", () => {
    const leadMonths = new Set(ofKind("lead").map((fact) => monthOf(fact.occurredMs)));
    expect(leadMonths.size).toBeGreaterThanOrEqual(12);
    expect(leadMonths.size).toBe(19); // 18 whole months and the current one
    const wonMonths = new Set(ofKind("won").map((fact) => monthOf(fact.occurredMs)));
    expect(wonMonths.size).toBe(19);
  });

  it("brings leads through several channels", () => {
    const channels = new Set(ofKind("lead").map((fact) => fact.channel));
    expect(channels.size).toBeGreaterThanOrEqual(4);
    for (const channel of channels) expect(DEMO_CHANNELS).toContain(channel);
  });

  it("moves each entity forward through the funnel with 20–90 day sales cycles", () => {
    const stages = new Map<string, Map<string, number>>();
    for (const fact of facts) {
      if (fact.entityId === null || !["lead", "mql", "sql", "opportunity", "won", "lost"].includes(fact.kind)) continue;
      if (fact.kind === "won" && fact.segment !== "new") continue;
      const entity = stages.get(fact.entityId) ?? new Map<string, number>();
      entity.set(fact.kind, fact.occurredMs);
      stages.set(fact.entityId, entity);
    }
    const order = ["lead", "mql", "sql", "opportunity", "close"];
    const problems: string[] = [];
    let cycles = 0;
    for (const [entityId, entity] of stages) {
      if (entity.has("won") && entity.has("lost")) problems.push(`${entityId} both won and lost`);
      const closed = entity.get("won") ?? entity.get("lost");
      const times = order
        .map((stage) => (stage === "close" ? closed : entity.get(stage)))
        .filter((ms): ms is number => ms !== undefined);
      if (times.some((ms, i) => i > 0 && ms < (times[i - 1] ?? 0))) problems.push(`${entityId} goes backwards`);
      const lead = entity.get("lead");
      if (closed !== undefined && lead !== undefined) {
        const days = (closed - lead) / DAY_MS;
        if (days < 3 || days > 91) problems.push(`${entityId} closed after ${days} days`);
        cycles++;
      }
    }
    expect(problems).toEqual([]);
    expect(cycles).toBeGreaterThan(100);
  });

  it("has about 21 new contracts a month at about 7,500 on average", () => {
    const newDeals = ofKind("won").filter((fact) => fact.segment === "new");
    const average = newDeals.reduce((sum, fact) => sum + (fact.value ?? 0), 0) / newDeals.length;
    expect(average).toBeGreaterThan(6500);
    expect(average).toBeLessThan(8500);
    expect(newDeals.filter((deal) => (deal.value ?? 0) < 5000 || (deal.value ?? 0) > 15000)).toEqual([]);
    const perMonth = newDeals.length / 19;
    expect(perMonth).toBeGreaterThan(15);
    expect(perMonth).toBeLessThan(30);
  });

  it("has upsells and cross-sells to existing customers", () => {
    const newCustomers = new Set(
      ofKind("mrr")
        .filter((fact) => fact.value !== null && fact.value > 0)
        .map((fact) => fact.entityId),
    );
    for (const segment of ["upsell", "cross_sell"] as const) {
      const deals = ofKind("won").filter((fact) => fact.segment === segment);
      expect(deals.length, segment).toBeGreaterThan(5);
      expect(deals.filter((deal) => !newCustomers.has(deal.entityId))).toEqual([]);
    }
  });

  it("tracks MRR per customer, growing on expansion and churning to 0 at a few percent a month", () => {
    const mrr = ofKind("mrr");
    const churned = mrr.filter((fact) => fact.value === 0);
    expect(churned.length).toBeGreaterThan(20);
    const customers = new Set(mrr.map((fact) => fact.entityId));
    // a churned customer says nothing more afterwards
    const churnedAt = new Map(churned.map((fact) => [fact.entityId, fact.occurredMs]));
    const afterChurn = facts.filter((fact) => fact.occurredMs > (churnedAt.get(fact.entityId ?? "") ?? Infinity));
    expect(afterChurn).toEqual([]);
    // rough monthly churn: churns over customer-months
    const churnPerMonth = churned.length / 19 / (customers.size / 2);
    expect(churnPerMonth).toBeGreaterThan(0.01);
    expect(churnPerMonth).toBeLessThan(0.05);
  });

  it("has NPS answers 0–10 and CSAT answers 1–5 from customers every month", () => {
    const customers = new Set(ofKind("mrr").map((fact) => fact.entityId));
    for (const kind of ["nps", "csat"] as const) {
      const answers = ofKind(kind);
      expect(answers.length, kind).toBeGreaterThan(500);
      expect(answers.filter((answer) => !customers.has(answer.entityId))).toEqual([]);
      const months = new Set(answers.map((fact) => monthOf(fact.occurredMs)));
      expect(months.size, kind).toBeGreaterThanOrEqual(18);
    }
    const nps = ofKind("nps").map((fact) => fact.value ?? 0);
    expect(nps.some((value) => value >= 9)).toBe(true);
    expect(nps.some((value) => value <= 6)).toBe(true);
  });

  it("spends on every marketing channel weekly and on sales monthly", () => {
    const spend = ofKind("spend");
    const marketing = spend.filter((fact) => fact.department === "marketing");
    const sales = spend.filter((fact) => fact.department === "sales");
    expect(new Set(marketing.map((fact) => fact.channel))).toEqual(new Set(DEMO_CHANNELS));
    expect(new Set(sales.map((fact) => monthOf(fact.occurredMs))).size).toBe(19);
    expect(spend.every((fact) => (fact.value ?? -1) >= 0)).toBe(true);
  });

  it("keeps a month's facts when generated later, so reloading only adds what has happened since", () => {
    const earlier = [...generateDemoFacts({ endMs: Date.parse("2026-11-10T12:00:00Z") })];
    const later = new Set(records.map((record) => JSON.stringify(record)));
    expect(earlier.filter((record) => !later.has(JSON.stringify(record)))).toEqual([]);
    expect(earlier.length).toBeLessThan(records.length);
  });

  it("honours the number of months", () => {
    const short = [...generateDemoFacts({ endMs: END_MS, months: 12 })].map((record) => parseFact(record, "UTC"));
    const leadMonths = new Set(
      short.flatMap((result) => (result.ok && result.fact.kind === "lead" ? [monthOf(result.fact.occurredMs)] : [])),
    );
    expect(leadMonths.size).toBe(13);
  });

  it("refuses nonsense options", () => {
    expect(() => [...generateDemoFacts({ endMs: Number.NaN })]).toThrow(/endMs/);
    expect(() => [...generateDemoFacts({ endMs: END_MS, months: 0 })]).toThrow(/months/);
    expect(() => [...generateDemoFacts({ endMs: END_MS, seed: 1.5 })]).toThrow(/seed/);
  });
});
