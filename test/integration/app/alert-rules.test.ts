// `/kpi alert …` and `/kpi alerts` through the chat layer every surface shares, and the
// config file's `alerts:` applied to the same rules, on a real database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatCommands } from "../../../src/app/chat/chat-commands.ts";
import type { AppContext } from "../../../src/app/context.ts";
import { parseEnv } from "../../../src/config/env.ts";
import { validateMetricsConfig } from "../../../src/config/metrics-config.ts";
import { createLogger } from "../../../src/core/logger.ts";
import { createChat } from "../../../src/main/chat.ts";
import { toPlainText } from "../../../src/render/text/render.ts";
import { applyMetricsConfig, exportMetricsConfig } from "../../../src/store/kpi-settings.ts";
import { ensureDefaultWorkspace, type WorkspaceRow } from "../../../src/store/workspaces.ts";
import { NOW } from "../../e2e/slack/slack-server.ts";
import { createTestDatabase, type TestDatabase } from "../../helpers/databases.ts";

describe("alert rules from chat and from the config file", () => {
  let test: TestDatabase;
  let chat: ChatCommands;
  let workspace: WorkspaceRow;
  const admin = { platform: "local" as const, userId: "console", channelId: "console" };
  const member = {
    platform: "teams" as const,
    userId: "aad-1",
    channelId: "19:growth@thread.tacv2",
    isAdmin: async () => false,
  };
  const say = async (text: string, caller: Parameters<ChatCommands["handle"]>[1] = admin) =>
    toPlainText(await chat.handle(text, caller));

  beforeAll(async () => {
    test = await createTestDatabase("sqlite");
    workspace = await ensureDefaultWorkspace(test.db.prisma, "UTC");
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

  it("adds a rule to the channel it is typed in, in the grammar's own words", async () => {
    const answer = await say("kpi alert Customer acquisition cost is over $5,000", member);
    expect(answer).toMatch(/Alert rule #(\d+) added for this channel: cac above 5000 this month\./);
    expect(answer).toContain("It watches the running month to date");
    expect(await say("kpi alert cac above 5000 this month", member)).toMatch(
      /This channel has that rule already: #\d+/,
    );
    const rows = await test.db.prisma.alertRule.findMany();
    expect(rows.map((r) => [r.platform, r.channelId, r.rule, r.state])).toEqual([
      ["teams", "19:growth@thread.tacv2", "cac above 5000 this month", "armed"],
    ]);
  });

  it("answers what is not a rule with what was expected and a rule that works", async () => {
    expect(await say("kpi alert cac is high", member)).toMatch(/has no condition: .*Rules read like cac above 5000/);
    expect(await say("kpi alert", member)).toMatch(/Give a rule\. \/kpi alert RULE/);
    expect(await test.db.prisma.alertRule.count()).toBe(1);
  });

  it("warns that a status rule needs a target", async () => {
    expect(await say("/kpi alert win_rate off track")).toMatch(/win_rate has no target yet, so it cannot go off track/);
  });

  it("lists the channel's rules with their state; only admins pause, resume and delete", async () => {
    const [rule] = await test.db.prisma.alertRule.findMany({ where: { platform: "teams" } });
    if (!rule) throw new Error("no rule");
    expect(await say("kpi alerts", member)).toContain(`#${rule.id} cac above 5000 this month: armed`);
    expect(await say(`kpi alert pause ${rule.id}`, member)).toMatch(/Only workspace admins/);
    expect(await say(`kpi alert pause ${rule.id}`)).toMatch(/is paused: it posts nothing until \/?kpi alert resume/);
    expect(await say("kpi alerts", member)).toContain(`#${rule.id} cac above 5000 this month: paused`);
    expect(await say(`kpi alert resume ${rule.id}`)).toMatch(/is watching again/);
    expect(await say("kpi alert delete 999999")).toMatch(/There is no alert rule #999999/);
    expect(await say(`kpi alert delete ${rule.id}`)).toMatch(/is deleted/);
    expect(await say("kpi alerts", member)).toMatch(/This channel has no alert rules/);
  });

  it("applies the config file's rules, keeps their state on a re-apply and leaves chat rules alone", async () => {
    const apply = async (rules: string[]) => {
      const text = [
        "version: 1",
        "alerts:",
        ...rules.map((r) => `  - { platform: slack, channel: C1, rule: "${r}" }`),
      ].join("\n");
      const result = validateMetricsConfig(text);
      if (!result.ok) throw new Error(result.errors.join("\n"));
      await applyMetricsConfig(test.db.prisma, workspace.id, result.config, text, "test");
    };
    await apply(["leads below 200 last week", "mql_to_sql_rate drops 15% when leads >= 50"]);
    const fileRules = () => test.db.prisma.alertRule.findMany({ where: { source: "config" }, orderBy: { id: "asc" } });
    expect((await fileRules()).map((r) => r.rule)).toEqual([
      "leads below 200 last week",
      "mql_to_sql_rate drops 15 pp this month when leads ≥ 50",
    ]);
    const [first] = await fileRules();
    await test.db.prisma.alertRule.update({ where: { id: first?.id ?? 0 }, data: { state: "firing", crossings: 1 } });
    await apply(["leads below 200 last week"]);
    expect((await fileRules()).map((r) => [r.id, r.state, r.crossings])).toEqual([[first?.id, "firing", 1]]);
    expect((await test.db.prisma.alertRule.findMany({ where: { source: "chat" } })).map((r) => r.rule)).toEqual([
      "win_rate off track this month",
    ]);
    expect(await exportMetricsConfig(test.db.prisma, workspace.id)).toContain(
      "  - { platform: slack, channel: C1, rule: leads below 200 last week }",
    );
  });
});
