// The local console as a person uses it: lines typed on its input, answers read from its
// output. Pulses are previewed and posted, then answered as yourself (`4`) and as made-up
// colleagues (`as alice 4`), enough to see anonymity and the group minimum at work.
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runConsole } from "../../../../src/adapters/console/console.ts";
import type { AppContext } from "../../../../src/app/context.ts";
import { parseEnv } from "../../../../src/config/env.ts";
import { createLogger } from "../../../../src/core/logger.ts";
import { createChat } from "../../../../src/main/chat.ts";
import { ensureDefaultWorkspace } from "../../../../src/store/workspaces.ts";
import { createTestDatabase, type TestDatabase } from "../../../helpers/databases.ts";

describe("the local console", () => {
  let test: TestDatabase;
  let ctx: AppContext;

  beforeAll(async () => {
    test = await createTestDatabase("sqlite");
    const workspace = await ensureDefaultWorkspace(test.db.prisma, "UTC");
    ctx = {
      env: parseEnv({ DATABASE_URL: test.url, LOG_LEVEL: "silent" }),
      db: test.db,
      workspace,
      clock: { now: () => new Date("2026-10-14T09:00:00Z") },
      logger: createLogger("silent"),
      close: async () => {},
    };
  });
  afterAll(async () => test?.drop());

  /** Types the lines into a console and returns everything it printed, one answer per line typed. */
  async function type(lines: string[]): Promise<string[]> {
    const chat = createChat(ctx, { secret: Buffer.alloc(32, 3) }).commands;
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = "";
    output.on("data", (chunk: Buffer) => {
      printed += chunk.toString("utf8");
    });
    const done = runConsole(ctx, chat, { input, output });
    input.end(`${lines.join("\n")}\n`);
    await done;
    // the answers between prompts (piped input is not echoed)
    return printed
      .split("tandem> ")
      .slice(1, lines.length + 1)
      .map((answer) => answer.trim());
  }

  it("previews a pulse, posts it on confirmation, and takes answers as anyone", async () => {
    const answers = await type([
      '/pulse "Sales and marketing worked well together this week."',
      "/pulse post",
      "4",
      "as alice 5",
      "as bob vote 2",
      "as alice 3",
      "as carol 4",
      "/pulse close",
    ]);
    const [preview, posted, mine, alice, bob, changed, carol, closed] = answers;
    expect(preview).toContain("Preview: only you can see this.");
    expect(preview).toContain("/pulse post posts it");
    expect(posted).toContain("0 answers so far");
    expect(mine).toContain("Thanks! Your answer: 4 · Agree.");
    expect(alice).toContain("Thanks! Your answer: 5 · Strongly agree.");
    expect(bob).toContain("Thanks! Your answer: 2 · Disagree.");
    expect(changed).toContain("Changed: your answer is now 3 · Neither");
    expect(carol).toContain("Thanks!");
    expect(closed).toContain("Pulse results");
    expect(closed).toContain("Mean 3.3 of 5");
    // anonymous: no answer row carries a name
    const rows = await test.db.prisma.pulseResponse.findMany();
    expect(rows).toHaveLength(4);
    for (const name of ["alice", "bob", "carol", "console"]) expect(JSON.stringify(rows)).not.toContain(name);
  });

  it("shows the departments only once each group reaches the minimum", async () => {
    const join = ["as ann /kpi join marketing", "as abe /kpi join marketing", "as amy /kpi join marketing"];
    const pulse = (question: string, voters: string[]) => [
      `/pulse "${question}"`,
      "/pulse post",
      ...voters.map((name, i) => `as ${name} ${(i % 5) + 1}`),
      "/pulse close",
    ];
    const first = await type([
      ...join,
      "as sam /kpi join sales",
      "as sid /kpi join sales",
      ...pulse("Marketing's leads were good this week.", ["ann", "abe", "amy", "sam", "sid"]),
    ]);
    const hidden = first.at(-1) ?? "";
    expect(hidden).toContain("Mean 3.0 of 5 · 5 answers");
    // two in sales: no breakdown at all, or sales' answers could be worked out from the rest
    expect(hidden).not.toMatch(/Department\s+Mean/);
    const second = await type([
      "as sue /kpi join sales",
      ...pulse("Sales followed up every lead.", ["ann", "abe", "amy", "sam", "sid", "sue"]),
    ]);
    const shown = second.at(-1) ?? "";
    expect(shown).toMatch(/Department\s+Mean/);
    expect(shown).toMatch(/Marketing\s+2\.0\s+3/);
    expect(shown).toMatch(/Sales\s+3\.3\s+3/);
  });

  it("explains an `as` without a command, and an answer with no pulse open", async () => {
    const [noCommand, badName, noPulse] = await type(["as alice", "as al!ce 4", "4"]);
    expect(noCommand).toContain("What should alice type? For example `as alice 4`");
    expect(badName).toContain("A name is letters, digits");
    expect(noPulse).toContain("There is no open pulse here to answer.");
  });
});
