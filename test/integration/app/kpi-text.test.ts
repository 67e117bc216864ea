// `/kpi …` typed in the local console (the chat layer Teams shares): periods as people
// say them, and the cap on a command's length, answered as text.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatCommands } from "../../../src/app/chat/chat-commands.ts";
import type { AppContext } from "../../../src/app/context.ts";
import { parseEnv } from "../../../src/config/env.ts";
import { createLogger } from "../../../src/core/logger.ts";
import { createChat } from "../../../src/main/chat.ts";
import { toPlainText } from "../../../src/render/text/render.ts";
import { ensureDefaultWorkspace } from "../../../src/store/workspaces.ts";
import { NOW, seedFunnel } from "../../e2e/slack/slack-server.ts";
import { createTestDatabase, type TestDatabase } from "../../helpers/databases.ts";

describe("/kpi in the console", () => {
  let test: TestDatabase;
  let chat: ChatCommands;
  const ask = async (text: string) =>
    toPlainText(await chat.handle(text, { platform: "local", userId: "console", channelId: "console" }));

  beforeAll(async () => {
    test = await createTestDatabase("sqlite");
    const workspace = await ensureDefaultWorkspace(test.db.prisma, "UTC");
    await seedFunnel(test.db.prisma, workspace.id);
    const ctx: AppContext = {
      env: parseEnv({ DATABASE_URL: test.url, LOG_LEVEL: "silent" }),
      db: test.db,
      workspace,
      clock: { now: () => NOW },
      logger: createLogger("silent"),
      close: async () => {},
    };
    chat = createChat(ctx, { secret: Buffer.alloc(32, 1) }).commands;
  });
  afterAll(async () => test?.drop());

  it("reads periods as people type them", async () => {
    expect(await ask("/kpi cac last month")).toContain("Customer acquisition cost\n=");
    expect(await ask("/kpi cac last month")).toContain("September 2026");
    expect(await ask("kpi funnel september")).toContain("Funnel · September 2026");
    expect(await ask("/kpi Q3")).toContain("Shared metrics · Q3 2026");
  });

  it("answers a wrong period as a period error", async () => {
    const text = await ask("/kpi cac Q5");
    expect(text).toBe("Q5 is not a quarter (quarters are Q1 to Q4): try Q3 or 2026-Q3.");
  });

  it("answers a 1 MB command and a 20,000-word command with the length error", async () => {
    for (const text of [`/kpi ${"x".repeat(1_000_000)}`, `/kpi ${"cac ".repeat(20_000)}`]) {
      const answer = await ask(text);
      expect(answer).toMatch(
        /^That command is more than 2,000 characters long; Tandem reads commands of up to 1,000 characters\./,
      );
      expect(answer.length).toBeLessThan(300);
    }
    const justOver = await ask(`/kpi cac ${"x".repeat(1_000)}`);
    expect(justOver).toMatch(/^That command is 1,00\d characters long/);
  });

  it("parses a command just under the cap", async () => {
    // 1,000 characters after `/kpi `: a department, 977 spaces, a period
    const text = `marketing${" ".repeat(984)}2026-09`;
    expect(text.length).toBe(1_000);
    expect(await ask(`/kpi ${text}`)).toContain("Marketing · September 2026");
  });
});
