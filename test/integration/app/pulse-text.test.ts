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

  it("creates, answers, refuses strangers closing it, and closes with results", async () => {
    const posted = toPlainText(
      await handlePulseText('"Sales and marketing worked well together." 4h', caller("console"), services.pulses),
    );
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

  it("lists the templates and explains the grammar", async () => {
    expect((await handlePulseText("templates", caller("console"), services.pulses)).text).toContain("handoff");
    expect((await handlePulseText("", caller("console"), services.pulses)).text).toContain("Pulse surveys");
  });
});
