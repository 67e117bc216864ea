// A ritual in Teams through Bot Framework activities: the why poll and "Record decision"
// as Action.Execute, the decision card with its check date (refused when malformed); on
// that date (an injected clock) two schedulers on one database tick at once and the
// outcome is posted once, in the ritual's thread, through the Teams messenger; then
// `kpi rituals` shows it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Scheduler } from "../../../src/adapters/scheduler/scheduler.ts";
import { openRituals } from "../../../src/app/pulse.ts";
import { parsePeriod } from "../../../src/core/kpi/periods.ts";
import type { OutcomeReport } from "../../../src/core/rituals/run-due-outcomes.ts";
import { DIALECTS } from "../../helpers/databases.ts";
import { adaptiveCardProblems } from "../../unit/render/adaptive-card-validator.ts";
import { seedRecoveringRate, twoSchedulers } from "../outcome-fixture.ts";
import {
  ANA,
  CARD_TYPE,
  type Card,
  CHANNEL,
  cardOf,
  cardText,
  clickCard,
  type InvokeAnswer,
  NOW,
  startTeamsTestServer,
  type TeamsTestServer,
} from "./teams-server.ts";

const CHANNEL_ID = "19:general@thread.tacv2";
const THREAD = "1700000000555";
const THREAD_PATH = `/v3/conversations/${encodeURIComponent(`${CHANNEL_ID};messageid=${THREAD}`)}/activities`;
// The workspace is in UTC: the check on 29 October runs at its midnight.
const CHECK_AT = new Date("2026-10-29T00:00:00Z");

describe.each(DIALECTS)("a decision's outcome in Teams (%s)", (dialect) => {
  let server: TeamsTestServer;
  let now = NOW;
  const reports: OutcomeReport[] = [];
  let schedulers: Scheduler[] = [];

  beforeAll(async () => {
    server = await startTeamsTestServer(dialect, { cardActions: true, clock: { now: () => now } });
    // Teams tells the bot about the channel the first time it hears from it.
    await server.ask("help", { conversation: CHANNEL });
    await seedRecoveringRate(server.ctx);
    schedulers = twoSchedulers(server.ctx, server.messenger, reports);
  });
  afterAll(async () => server?.stop());

  const click = (verb: string, data: Record<string, unknown>): Promise<InvokeAnswer> =>
    clickCard(server, {
      verb,
      data,
      messageId: THREAD,
      from: ANA,
      id: `invoke-${verb}-${Object.keys(data).join("-")}`,
    });

  const threadCards = () =>
    server.connector.calls.filter((call) => call.path === THREAD_PATH).map((call) => cardOf(call.body));

  it("votes, records a decision with its check date from a card, and posts the outcome once in the thread that day", async () => {
    await openRituals(server.chat.pulses, {
      workspaceId: server.ctx.workspace.id,
      platform: "teams",
      channelId: CHANNEL_ID,
      threadId: THREAD,
      period: parsePeriod("2026-09", NOW, "UTC"),
      offTrackSharedMetrics: [
        { key: "mql_to_sql_rate", name: "MQL to SQL rate", owners: ["marketing", "sales"], value: 0.3, target: 0.5 },
      ],
    });
    const ritualCard = threadCards()[0];
    expect(ritualCard && cardText(ritualCard)).toContain("What's behind it?");
    const ritualId = (await server.ctx.db.prisma.ritual.findFirstOrThrow({ where: { platform: "teams" } })).id;

    const voted = await click(`ritual:${ritualId}`, { value: "process" });
    expect(voted.type).toBe(CARD_TYPE);
    expect(cardText(voted.value as Card)).toContain("Counted: Process");
    expect(JSON.stringify(voted.value)).toContain(`"verb":"ritual_decide:${ritualId}"`);

    const form = await click(`ritual_decide:${ritualId}`, { value: String(ritualId) });
    expect(form.type).toBe(CARD_TYPE);
    expect(adaptiveCardProblems(form.value as Card)).toEqual([]);
    const inputs = (form.value as Card).body as { type: string; id?: string; value?: string }[];
    expect(inputs.find((input) => input.id === "checkOn")).toMatchObject({ type: "Input.Date", value: "2026-11-01" });

    const refused = await click(`ritual_decision:${ritualId}`, {
      decision: "Marketing scores leads with sales.",
      checkOn: "29/10/2026",
    });
    expect(adaptiveCardProblems(refused.value as Card)).toEqual([]);
    expect(cardText(refused.value as Card)).toContain("“29/10/2026” isn't a check date: write it as YYYY-MM-DD");
    expect((await server.ctx.db.prisma.ritual.findUniqueOrThrow({ where: { id: ritualId } })).status).toBe("open");

    const recorded = await click(`ritual_decision:${ritualId}`, {
      decision: "Marketing scores leads with sales.",
      checkOn: "2026-10-29",
    });
    expect(cardText(recorded.value as Card)).toContain("Recorded, and posted in the thread.");
    const decision = threadCards().find((card) => cardText(card).includes("Marketing scores leads with sales."));
    expect(decision && cardText(decision)).toContain("Outcome check on 29 Oct 2026");

    now = new Date(CHECK_AT.getTime() - 60_000);
    await Promise.all(schedulers.map((s) => s.tick()));
    expect(threadCards().filter((card) => cardText(card).includes("Outcome for"))).toHaveLength(0);

    now = CHECK_AT;
    await Promise.all(schedulers.map((s) => s.tick()));
    await Promise.all(schedulers.map((s) => s.tick()));
    const outcomes = threadCards().filter((card) => cardText(card).includes("Outcome for"));
    expect(outcomes).toHaveLength(1);
    const text = cardText(outcomes[0] as Card);
    expect(text).toContain("Outcome for MQL to SQL rate: recovered");
    expect(text).toContain("Value then: 60.0% for October 2026 so far (1–28 Oct)");
    expect(text).toContain("Change since the decision: ▲ 30.0 pp (September 2026: 30.0%)");
    expect(reports.filter((r) => r.outcome === "posted")).toEqual([
      expect.objectContaining({ platform: "teams", verdict: "recovered" }),
    ]);
  });

  it("lists the decision with its outcome in kpi rituals", async () => {
    const text = cardText(await server.ask("kpi rituals", { conversation: CHANNEL }));
    expect(text).toContain("Marketing scores leads with sales.");
    expect(text).toContain("outcome: recovered (29 Oct 2026)");
  });
});
