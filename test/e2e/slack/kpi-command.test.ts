// `/kpi` over HTTP against the real server: signed exactly as Slack signs, answers
// read from the HTTP response or the response_url post.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../../helpers/databases.ts";
import { answerText, type SlackTestServer, seedFunnel, startSlackTestServer } from "./slack-server.ts";

describe.each(DIALECTS)("/kpi in Slack (%s)", (dialect) => {
  let server: SlackTestServer;

  beforeAll(async () => {
    server = await startSlackTestServer(dialect);
    await seedFunnel(server.ctx.db.prisma, server.ctx.workspace.id);
  });
  afterAll(async () => server?.stop());

  it("answers /kpi cac 2026-09 privately with the figure formatted as docs/metrics.md says", async () => {
    const answer = await server.kpi("cac 2026-09");
    expect(answer.response_type).toBe("ephemeral");
    const text = answerText(answer);
    expect(text).toContain("Customer acquisition cost");
    expect(text).toContain("5,000");
    expect(text).toContain("5,500"); // previous month
    expect(text).toContain("September 2026");
  });

  it("shows new revenue as 157,500 with a sparkline of the last 8 months", async () => {
    const answer = await server.kpi("new revenue 2026-09");
    const text = answerText(answer);
    expect(text).toContain("$157,500");
    expect(text).toContain("Trend, last 8 months");
    expect(text).toContain("2026-02"); // the oldest of the 8 points
  });

  it("reads a multi-word alias with a quarter", async () => {
    const answer = await server.kpi("customer acquisition cost 2026-Q3");
    expect(answerText(answer)).toContain("Q3 2026");
  });

  it("offers a Share in channel button carrying the command with its period spelled out", async () => {
    const answer = await server.kpi("cac");
    const actions = answer.blocks.find((block) => block.type === "actions") as
      | { elements: { action_id: string; value: string }[] }
      | undefined;
    expect(actions?.elements[0]).toMatchObject({ action_id: "kpi_share", value: "cac 2026-09" });
  });

  it("shows the shared metrics to someone without a department", async () => {
    const answer = await server.kpi("", { userId: "UNOBODY" });
    const text = answerText(answer);
    expect(text).toContain("Shared metrics · September 2026");
    expect(text).toContain("/kpi join DEPARTMENT");
  });

  it("shows the funnel with its bottleneck", async () => {
    const answer = await server.kpi("funnel 2026-09");
    const text = answerText(answer);
    expect(text).toContain("Funnel · September 2026");
    for (const figure of ["200", "80", "40", "30", "21", "40.0%", "70.0%"]) expect(text).toContain(figure);
    // a rate's change in percentage points: 70 / 180 = 38.9 % in August, 80 / 200 = 40.0 % now
    expect(text).toContain("▲ 1.1 pp");
    expect(text).toContain("Bottleneck:* Opportunities → Won deals");
  });

  it("shows a department's scorecard", async () => {
    const answer = await server.kpi("marketing 2026-09");
    const text = answerText(answer);
    expect(text).toContain("Marketing · September 2026");
    expect(text).toContain("Cost per lead");
  });

  it("compares two departments on the metrics they share", async () => {
    const answer = await server.kpi("compare marketing sales 2026-09");
    const text = answerText(answer);
    expect(text).toContain("Marketing × Sales: shared metrics");
    expect(text).toContain("Customer acquisition cost");
    expect(text).not.toContain("Cost per lead"); // marketing's alone
  });

  it("answers help", async () => {
    const answer = await server.kpi("help");
    expect(answerText(answer)).toContain("/kpi funnel [PERIOD]");
  });

  it("suggests metrics for an unknown one instead of an error dump", async () => {
    const answer = await server.kpi("cack 2026-09");
    const text = answerText(answer);
    expect(text).toContain("I don't know the metric");
    expect(text).toContain("cac");
    expect(text).not.toMatch(/at .*\.ts:\d+/);
  });

  it("explains the period forms for an unknown period", async () => {
    const answer = await server.kpi("cac 2026-13");
    expect(answerText(answer)).toMatch(/period|month/i);
  });

  it("reads periods as people type them", async () => {
    const lastMonth = answerText(await server.kpi("customer acquisition cost last month"));
    expect(lastMonth).toContain("Customer acquisition cost");
    expect(lastMonth).toContain("September 2026");
    expect(answerText(await server.kpi("cac Q3"))).toContain("Q3 2026");
    expect(answerText(await server.kpi("2026 Q3 cac"))).toContain("Q3 2026");
    expect(answerText(await server.kpi("获客成本 sep 2026"))).toContain("September 2026");
    expect(answerText(await server.kpi("funnel september"))).toContain("Funnel · September 2026");
    expect(answerText(await server.kpi("marketing last month"))).toContain("Marketing · September 2026");
  });

  it("answers a wrong period as a period error with an example that works", async () => {
    const text = answerText(await server.kpi("cac Q5"));
    expect(text).toContain("Q5 is not a quarter (quarters are Q1 to Q4): try Q3 or 2026-Q3.");
    expect(text).not.toContain("I don't know the metric");
  });

  it("answers 20,000 words with the length error, and a command just under the cap", async () => {
    const long = answerText(await server.kpi("cac ".repeat(20_000)));
    expect(long).toContain("Tandem reads commands of up to 1,000 characters");
    expect(long).not.toContain("cac cac");
    // 998 characters: the metric, spaces Slack would keep, a period
    const underCap = `cac${" ".repeat(988)}2026-09`;
    expect(underCap.length).toBe(998);
    expect(answerText(await server.kpi(underCap))).toContain("5,000");
  });

  it("never echoes a NUL, an escape sequence or another control character back", async () => {
    const strings = (value: unknown): string[] =>
      typeof value === "string"
        ? [value]
        : Array.isArray(value)
          ? value.flatMap(strings)
          : typeof value === "object" && value !== null
            ? Object.values(value).flatMap(strings)
            : [];
    for (const text of [
      "ca\u0000ck 2026-09",
      "cac 2026-1\u00003",
      "compare marketing fin\u001b[31mance\u0007",
      "join mar\u202eketing\u0000",
      "\u0000",
    ]) {
      const answer = await server.kpi(text);
      for (const part of strings(answer)) expect(part).not.toMatch(/(?![\t\n])[\p{Cc}\p{Bidi_Control}]/u);
    }
    // what is left of the text is still quoted back
    expect(answerText(await server.kpi("compare marketing fin\u0000ance"))).toContain("finance");
  });

  it("names the departments for an unknown one in compare", async () => {
    const answer = await server.kpi("compare marketing finance");
    const text = answerText(answer);
    expect(text).toContain("finance");
    expect(text).toContain("marketing, ");
  });
});

describe.each([
  { budget: 0, path: "acknowledged empty, then answered through response_url" },
  { budget: 10_000, path: "answered in the acknowledgement itself" },
])("/kpi with a $budget ms budget", ({ budget, path }) => {
  let server: SlackTestServer;

  beforeAll(async () => {
    server = await startSlackTestServer("sqlite", { deps: { ackBudgetMs: budget } });
    await seedFunnel(server.ctx.db.prisma, server.ctx.workspace.id);
  });
  afterAll(async () => server?.stop());

  it(`is ${path}`, async () => {
    if (budget > 0) {
      // computed once first: on SQLite a command that must compute is acknowledged before it blocks
      await server.kpi("new_revenue 2026-09");
      await (server.slack.env.kpi.stats as unknown as { settled(): Promise<void> }).settled();
    }
    server.fake.reset();
    const answer = await server.kpi("new_revenue 2026-09");
    expect(answer.response_type).toBe("ephemeral");
    expect(answerText(answer)).toContain("157,500");
    expect(server.fake.responses.length).toBe(budget === 0 ? 1 : 0);
  });
});

describe("/kpi on SQLite as `tandem serve` wires it", () => {
  let server: SlackTestServer;

  beforeAll(async () => {
    server = await startSlackTestServer("sqlite");
    await seedFunnel(server.ctx.db.prisma, server.ctx.workspace.id);
  });
  afterAll(async () => server?.stop());

  it("acknowledges empty before an aggregate blocks, and answers kept numbers in the acknowledgement", async () => {
    server.fake.reset();
    const cold = await server.kpi("new_revenue 2026-09");
    expect(answerText(cold)).toContain("157,500");
    expect(server.fake.responses.length).toBe(1);
    await (server.slack.env.kpi.stats as unknown as { settled(): Promise<void> }).settled();
    const warm = await server.kpi("new_revenue 2026-09");
    expect(answerText(warm)).toContain("157,500");
    expect(server.fake.responses.length).toBe(1);
  });
});
