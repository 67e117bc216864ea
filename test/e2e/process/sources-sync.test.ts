// The outside acceptance test's shape, here: a fake HubSpot and a fake Stripe with a
// synthetic company, a config pointing at them through base_url, the real `tandem`
// processes (config apply, sources sync, kpi --json), and numbers computed in the
// test from the same records. Then records change and disappear, and it all again.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeHubspot, startFakeHubspot } from "../../fakes/vendors/hubspot.ts";
import { hubspotCompany, hubspotFacts } from "../../fakes/vendors/hubspot-company.ts";
import { type FakeStripe, startFakeStripe } from "../../fakes/vendors/stripe.ts";
import { stripeCompany, stripeFacts } from "../../fakes/vendors/stripe-company.ts";
import { createEmptyDatabaseUrl, DIALECTS } from "../../helpers/databases.ts";
import { baseEnv, spawnTandem } from "../../helpers/tandem-process.ts";

type Fact = [string, string, string, string | null, number | null, string | null, string | null, string | null];
const PERIODS = ["2026-08", "2026-09"];

/** What KPI-DEFINITIONS.md says the metrics are, from the facts the records yield. */
function reckon(facts: Fact[], period: string): Record<string, number> {
  const start = Date.parse(`${period}-01T00:00:00Z`);
  const [y, m] = period.split("-").map(Number) as [number, number];
  const end = Date.UTC(y, m, 1);
  const inPeriod = facts.filter((f) => Date.parse(f[2]) >= start && Date.parse(f[2]) < end);
  const distinct = (kind: string) => new Set(inPeriod.filter((f) => f[1] === kind).map((f) => f[3])).size;
  const won = inPeriod.filter((f) => f[1] === "won");
  const latest = new Map<string, [number, number]>();
  for (const f of facts) {
    const at = Date.parse(f[2]);
    if (f[1] !== "mrr" || at >= end) continue;
    const seen = latest.get(f[3] ?? "");
    if (!seen || at >= seen[0]) latest.set(f[3] ?? "", [at, f[4] ?? 0]);
  }
  return {
    leads: distinct("lead"),
    mqls: distinct("mql"),
    sqls: distinct("sql"),
    opportunities: distinct("opportunity"),
    deals_won: won.length,
    deals_lost: inPeriod.filter((f) => f[1] === "lost").length,
    new_revenue: won.reduce((sum, f) => sum + (f[4] ?? 0), 0),
    mrr: [...latest.values()].reduce((sum, [, value]) => sum + value, 0),
  };
}

describe.each(DIALECTS)("tandem sources sync against fake HubSpot and Stripe on %s", (dialect) => {
  let hubspot: FakeHubspot;
  let stripe: FakeStripe;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    hubspot = await startFakeHubspot();
    stripe = await startFakeStripe();
    hubspotCompany(hubspot, { contacts: 400, deals: 120 });
    stripeCompany(stripe, { customers: 150 });
    dir = mkdtempSync(path.join(tmpdir(), "tandem-sources-"));
    const database = await createEmptyDatabaseUrl(dialect);
    drop = database.drop;
    env = baseEnv({
      DATABASE_URL: database.url,
      TANDEM_TIMEZONE: "UTC",
      LOG_LEVEL: "error",
      ACME_HUBSPOT_TOKEN: hubspot.token,
      ACME_STRIPE_KEY: stripe.key,
    });
    writeFileSync(
      path.join(dir, "tandem.config.yaml"),
      [
        "version: 1",
        "currency: USD",
        "sources:",
        "  - name: crm",
        "    kind: hubspot",
        "    token_env: ACME_HUBSPOT_TOKEN",
        `    base_url: ${hubspot.url}`,
        "  - name: billing",
        "    kind: stripe",
        "    token_env: ACME_STRIPE_KEY",
        `    base_url: ${stripe.url}`,
      ].join("\n"),
    );
  });
  afterAll(async () => {
    await hubspot?.close();
    await stripe?.close();
    rmSync(dir, { recursive: true, force: true });
    await drop?.();
  });

  async function tandem(...args: string[]) {
    const child = spawnTandem(args, { cwd: dir, env });
    const code = await child.exited;
    return { code, stdout: child.stdout(), stderr: child.stderr() };
  }

  async function compare() {
    const facts = [
      ...hubspotFacts(hubspot, { source: "crm", currency: "USD", rates: {}, zone: "UTC" }),
      ...stripeFacts(stripe, { source: "billing", currency: "USD", rates: {} }),
    ] as Fact[];
    for (const period of PERIODS) {
      const expected = reckon(facts, period);
      const result = await tandem("kpi", period, "--json");
      expect(result.code, result.stderr).toBe(0);
      const metrics = (JSON.parse(result.stdout) as { metrics: { key: string; value: number | null }[] }).metrics;
      for (const [key, value] of Object.entries(expected)) {
        const got = metrics.find((metric) => metric.key === key)?.value ?? 0;
        expect(got, `${key} in ${period}`).toBeCloseTo(value, 4);
      }
    }
  }

  it("syncs, answers what the records say, and follows changes and deletions", async () => {
    expect((await tandem("config", "apply", "tandem.config.yaml")).code).toBe(0);
    const first = await tandem("sources", "sync");
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^crm: synced: .*records read/m);
    expect(first.stdout).toMatch(/^billing: synced: /m);
    expect(first.stdout).toMatch(/skipped crm:deal:33: won deal not counted: amount is empty/);
    await compare();

    // a contact skips a stage, a deal is won for more, a deal is deleted, a customer cancels
    hubspot.putContact("4", { hs_lifecyclestage_salesqualifiedlead_date: null });
    hubspot.putDeal("6", { amount: "99999" });
    hubspot.archive("deals", "9");
    for (const [id, sub] of stripe.subscriptions)
      if (sub.customer === "cus_7")
        stripe.put(id, {
          customer: "cus_7",
          start: sub.start_date as number,
          endedAt: 1_756_900_000,
          items: [{ unitAmount: 10_000 }],
        });
    expect((await tandem("sources", "sync")).code).toBe(0);
    // a deletion in HubSpot shows only when everything is read again
    expect((await tandem("sources", "sync", "crm", "--full")).code).toBe(0);
    await compare();

    const listed = await tandem("sources", "list");
    expect(listed.stdout).toMatch(/^crm \(hubspot, every 1h\): last success \d{4}-\d\d-\d\d \d\d:\d\d UTC/m);
    expect(listed.stdout).toMatch(/^billing \(stripe, every 1h\)/m);
  }, 300_000);

  it("exits 1 with one line per failing source, and keeps the facts it had", async () => {
    const before = await tandem("kpi", "2026-09", "--json");
    const result = await tandem("sources", "sync", "--full");
    // both sources still work; now break one token
    expect(result.code).toBe(0);
    const broken = spawnTandem(["sources", "sync"], { cwd: dir, env: { ...env, ACME_STRIPE_KEY: "rk_test_nope" } });
    expect(await broken.exited).toBe(1);
    expect(broken.stderr().trim().split("\n")).toEqual([
      expect.stringMatching(/^billing: sync failed: Stripe answered 401/),
    ]);
    expect(broken.stderr()).not.toContain("rk_test_nope");
    expect((await tandem("kpi", "2026-09", "--json")).stdout).toBe(before.stdout);
    const listed = await tandem("sources", "list");
    expect(listed.stdout, listed.stdout).toMatch(/^ {2}failing: last attempt .*Stripe answered 401/m);
    const unknown = await tandem("sources", "sync", "crn");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no source named crn (did you mean crm?)");
  }, 300_000);
});
