// `/pulse …` typed in the console (or Teams): the same words as Slack, answered as
// neutral messages; without a messenger the pulse itself is the reply.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPulseServices, type PulseServices } from "../../../src/app/pulse.ts";
import { handlePulseText, type PulseCaller } from "../../../src/app/pulse-text.ts";
import { createLogger } from "../../../src/core/logger.ts";
import { toPlainText } from "../../../src/render/text/render.ts";
import { ensureDefaultWorkspace } from "../../../src/store/workspaces.ts";
import { createTestDatabase, type TestDatabase } from "../../helpers/databases.ts";

describe("/pulse in the console", () => {
  let test: TestDatabase;
  let services: PulseServices;
  let caller: (userId: string) => PulseCaller;

  beforeAll(async () => {
    test = await createTestDatabase("sqlite");
    const workspace = await ensureDefaultWorkspace(test.db.prisma, "UTC");
    services = createPulseServices({
      db: test.db,
      clock: { now: () => new Date("2026-10-14T09:00:00Z") },
      logger: createLogger("silent"),
      env: { DATABASE_URL: test.url },
      secret: Buffer.alloc(32, 4),
    });
    caller = (userId) => ({
      workspace,
      platform: "local",
      userId,
      channelId: "console",
      isAdmin: async () => userId === "console",
    });
  });
  afterAll(async () => test?.drop());

  /** `/pulse TEXT` (a private preview, nothing open yet), then `/pulse post`: the pulse as posted. */
  async function askAndPost(text: string, userId = "console"): Promise<string> {
    const preview = toPlainText(await handlePulseText(text, caller(userId), services.pulses));
    expect(preview).toContain("Preview: only you can see this.");
    expect(preview).toContain("/pulse post");
    const id = Number(/Draft #(\d+)/.exec(preview)?.[1]);
    expect((await services.pulses.store.get(id))?.status).toBe("draft");
    return toPlainText(await handlePulseText("post", caller(userId), services.pulses));
  }

  it("creates, answers, refuses strangers closing it, and closes with results", async () => {
    const posted = await askAndPost('"Sales and marketing worked well together." 4h');
    expect(posted).toContain("[1 · Strongly disagree]");
    expect(posted).toContain("0 answers so far");
    const id = Number(/Pulse #(\d+)/.exec(posted)?.[1]);
    for (const [user, value] of [
      ["u1", "4"],
      ["u2", "5"],
      ["u3", "3"],
    ]) {
      const reply = await handlePulseText(`answer ${id} 1 ${value}`, caller(user ?? ""), services.pulses);
      expect(reply.text).toContain("Thanks! Your answer");
    }
    await expect(handlePulseText("close", caller("u1"), services.pulses)).rejects.toThrow(
      "Only the person who created",
    );
    const results = toPlainText(await handlePulseText("close", caller("console"), services.pulses));
    expect(results).toContain("Pulse results");
    expect(results).toContain("Mean 4.0 of 5");
    const again = await handlePulseText(`results ${id}`, caller("u2"), services.pulses);
    expect(again.visibility).toBe("private");
  });

  it("bounds every text it takes: questions, template names, answers", async () => {
    const long = "How well did we work together? ".repeat(400);
    await expect(handlePulseText(`"${long}"`, caller("console"), services.pulses)).rejects.toThrow(
      "That pulse can't be created: question 1: at most 300 characters.",
    );
    const unknown = handlePulseText(`template ${"t".repeat(10_000)}`, caller("console"), services.pulses);
    await expect(unknown).rejects.toThrow(/^There is no pulse template “t{59}…”\.$/);
    const posted = await askAndPost('"Say it in words" named');
    const id = Number(/Pulse #(\d+)/.exec(posted)?.[1]);
    const pulse = await services.pulses.store.get(id);
    if (!pulse) throw new Error("no pulse");
    // the quick pulse is a 1–5 question: a long "answer" is not one of its answers
    await expect(
      handlePulseText(`answer ${id} 1 ${"x".repeat(100_000)}`, caller("u9"), services.pulses),
    ).rejects.toThrow("That isn't one of this question's answers.");
  });

  it("answers 'not found' for pulse numbers no pulse can have", async () => {
    for (const text of ["close 1e23", "results 100000000000000000000000", "stop -1", "close 0", "results 2147483648"]) {
      await expect(handlePulseText(text, caller("console"), services.pulses)).rejects.toMatchObject({
        code: "not_found",
        message: expect.stringMatching(/^There is no pulse (#-?\d+|with that number) here\.$/),
      });
    }
  });

  it("lists the templates and explains the grammar", async () => {
    expect((await handlePulseText("templates", caller("console"), services.pulses)).text).toContain("handoff");
    expect((await handlePulseText("", caller("console"), services.pulses)).text).toContain("Pulse surveys");
  });
});
