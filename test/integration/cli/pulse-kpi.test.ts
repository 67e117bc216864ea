// The pulse metrics come from closed pulses: what close-pulse writes (closed_ms,
// asked_count, the question's tag, each answer's value and department) is what
// `tandem kpi collaboration_score` and `pulse_participation` read.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIo } from "../../../src/adapters/cli/io.ts";
import { createPulseServices, type PulseServices } from "../../../src/app/pulse.ts";
import { createLogger } from "../../../src/core/logger.ts";
import { closePulse } from "../../../src/core/pulse/close-pulse.ts";
import { createPulse, quickPulseSpec } from "../../../src/core/pulse/create-pulse.ts";
import { recordAnswer } from "../../../src/core/pulse/record-answer.ts";
import { runCli } from "../../../src/main/cli.ts";
import { ensureDefaultWorkspace } from "../../../src/store/workspaces.ts";
import { createFakeMessenger } from "../../fakes/fake-messenger.ts";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../../helpers/databases.ts";

const ENV_KEYS = ["DATABASE_URL", "TANDEM_TIMEZONE", "LOG_LEVEL"] as const;

describe.each(DIALECTS)("pulse metrics from closed pulses on %s", (dialect) => {
  let test: TestDatabase;
  let services: PulseServices;
  let workspaceId = 0;
  let now = new Date("2026-09-10T09:00:00Z");
  const saved: Partial<Record<(typeof ENV_KEYS)[number], string>> = {};

  async function kpi(args: string[]) {
    const io = { stdout: "", stderr: "" };
    const cliIo: CliIo = {
      out: (text) => {
        io.stdout += `${text}\n`;
      },
      err: (text) => {
        io.stderr += `${text}\n`;
      },
    };
    const code = await runCli(["kpi", ...args], cliIo);
    return { code, ...io };
  }

  async function runPulse(spec: ReturnType<typeof quickPulseSpec>, answers: [string, number][], closeAt: Date) {
    const { pulse } = await createPulse(services.pulses, {
      workspaceId,
      platform: "slack",
      channelId: "CPULSE",
      createdBy: "UCREATOR",
      spec,
    });
    for (const [userId, value] of answers) {
      const outcome = await recordAnswer(services.pulses, {
        pulseId: pulse.id,
        questionId: pulse.questions[0]?.id ?? 0,
        platform: "slack",
        userId,
        value,
      });
      expect(outcome.status).toBe("recorded");
    }
    now = closeAt;
    expect((await closePulse(services.pulses, { pulseId: pulse.id, actor: "test" })).closed).toBe(true);
  }

  beforeAll(async () => {
    for (const key of ENV_KEYS) saved[key] = process.env[key];
    test = await createTestDatabase(dialect);
    process.env.DATABASE_URL = test.url;
    process.env.TANDEM_TIMEZONE = "UTC";
    process.env.LOG_LEVEL = "error";
    const workspace = await ensureDefaultWorkspace(test.db.prisma, "UTC");
    workspaceId = workspace.id;
    const departments = await test.db.prisma.department.findMany({ where: { workspaceId: workspace.id } });
    const id = (key: string) => departments.find((d) => d.key === key)?.id ?? null;
    const people: [string, string][] = [
      ["UM1", "marketing"],
      ["UM2", "marketing"],
      ["UM3", "marketing"],
      ["US1", "sales"],
      ["US2", "sales"],
      ["US3", "sales"],
    ];
    for (const [userId, key] of people) {
      await test.db.prisma.member.create({
        data: { workspaceId: workspace.id, platform: "slack", userId, departmentId: id(key) },
      });
    }
    const messenger = createFakeMessenger();
    messenger.audience = 10;
    services = createPulseServices({
      db: test.db,
      clock: { now: () => now },
      logger: createLogger("silent"),
      env: { DATABASE_URL: test.url },
      secret: Buffer.alloc(32, 3),
      messengers: { slack: messenger },
    });

    // September: a collaboration pulse (6 of 10 answer) and a communication pulse (2 of 10)
    await runPulse(
      quickPulseSpec("Sales and marketing worked well together this week."),
      [
        ["UM1", 5],
        ["UM2", 4],
        ["UM3", 4],
        ["US1", 3],
        ["US2", 2],
        ["US3", 3],
      ],
      new Date("2026-09-11T09:00:00Z"),
    );
    now = new Date("2026-09-20T09:00:00Z");
    await runPulse(
      quickPulseSpec("I got what I needed from the other teams in time.", { tag: "communication" }),
      [
        ["UM1", 1],
        ["US1", 1],
      ],
      new Date("2026-09-21T09:00:00Z"),
    );
    // closed in October: not September's
    now = new Date("2026-09-30T12:00:00Z");
    await runPulse(quickPulseSpec("Closed in October."), [["UM1", 1]], new Date("2026-10-01T12:00:00Z"));
  });

  afterAll(async () => {
    for (const key of ENV_KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    await test?.drop();
  });

  it("shows collaboration_score as the mean of September's collaboration answers, by department", async () => {
    const { code, stdout, stderr } = await kpi(["collaboration_score", "2026-09", "--json"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const [metric] = JSON.parse(stdout).metrics;
    expect(metric.key).toBe("collaboration_score");
    expect(metric.value).toBeCloseTo(21 / 6, 10);
    expect(metric.breakdown).toEqual({ marketing: 13 / 3, sales: 8 / 3 });
  });

  it("shows pulse_participation as respondents over people asked for pulses closed in September", async () => {
    const { code, stdout } = await kpi(["pulse_participation", "2026-09", "--json"]);
    expect(code).toBe(0);
    const [metric] = JSON.parse(stdout).metrics;
    expect(metric.value).toBeCloseTo(8 / 20, 10);
  });
});
