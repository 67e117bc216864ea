import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kpiDeps } from "../../../src/app/kpi.ts";
import {
  type DigestCaller,
  type DigestCommandDeps,
  handleDigestCommand,
  parseSubscription,
} from "../../../src/core/digest/manage-subscriptions.ts";
import { AppError } from "../../../src/core/errors.ts";
import { createSubscriptionStore } from "../../../src/store/digest-subscriptions.ts";
import { ensureWorkspace } from "../../../src/store/workspaces.ts";
import { createFakeMessenger } from "../../fakes/fake-messenger.ts";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../../helpers/databases.ts";

describe("parseSubscription", () => {
  it("defaults to weekly, Monday 09:00, in the workspace zone", () => {
    expect(parseSubscription([], "Europe/Berlin")).toEqual({
      cadence: "weekly",
      dayOfWeek: 1,
      time: "09:00",
      timezone: "Europe/Berlin",
    });
  });

  it("takes cadence, day, time and zone in any order", () => {
    expect(parseSubscription(["America/New_York", "16:30", "Friday", "biweekly"], "UTC")).toEqual({
      cadence: "biweekly",
      dayOfWeek: 5,
      time: "16:30",
      timezone: "America/New_York",
    });
    expect(parseSubscription(["monthly", "tue", "8:05"], "UTC")).toMatchObject({
      cadence: "monthly",
      dayOfWeek: 2,
      time: "08:05",
    });
    expect(parseSubscription(["Wednesdays", "utc"], "Asia/Tokyo")).toMatchObject({ dayOfWeek: 3, timezone: "UTC" });
  });

  it("refuses what it cannot read, saying why", () => {
    expect(() => parseSubscription(["25:00"], "UTC")).toThrow(/not a time of day/);
    expect(() => parseSubscription(["Mars/Olympus"], "UTC")).toThrow(/time zone “Mars\/Olympus”/);
    expect(() => parseSubscription(["daily"], "UTC")).toThrow(/I don't understand “daily”/);
    expect(() => parseSubscription(["monday", "friday"], "UTC")).toThrow(/one day/);
  });
});

describe.each(DIALECTS)("digest commands on %s", (dialect) => {
  let test: TestDatabase;
  let caller: DigestCaller;
  let deps: DigestCommandDeps;
  const messenger = createFakeMessenger();
  const now = new Date("2026-11-18T15:00:00Z"); // a Wednesday

  beforeAll(async () => {
    test = await createTestDatabase(dialect);
    const workspace = await ensureWorkspace(test.db.prisma, {
      platform: "slack",
      externalId: "T9",
      name: "Acme",
      timezone: "Europe/Berlin",
    });
    const clock = { now: () => now };
    caller = {
      platform: "slack",
      userId: "U1",
      channelId: "C_GROWTH",
      workspaceId: workspace.id,
      zone: "Europe/Berlin",
    };
    deps = { subscriptions: createSubscriptionStore(test.db.prisma), kpi: kpiDeps(test.db, clock), clock, messenger };
  });
  afterAll(async () => test?.drop());

  it("subscribes the channel with the defaults, records who did, and audits it", async () => {
    const answer = await handleDigestCommand(["subscribe"], caller, deps);
    expect(answer.visibility).toBe("private");
    expect(answer.text).toContain("every Monday at 09:00 (Europe/Berlin); the next one is due Mon 23 Nov 2026, 09:00");
    const row = await test.db.prisma.digestSubscription.findFirst({ where: { channelId: "C_GROWTH" } });
    expect(row).toMatchObject({
      cadence: "weekly",
      dayOfWeek: 1,
      time: "09:00",
      timezone: "Europe/Berlin",
      createdBy: "U1",
      active: true,
    });
    const audit = await test.db.prisma.auditLog.findMany({ where: { action: { startsWith: "digest." } } });
    expect(audit.map((a) => [a.actor, a.action])).toEqual([["slack:U1", "digest.subscribe"]]);
  });

  it("changes the schedule when subscribed again, saying what it was", async () => {
    const answer = await handleDigestCommand(["subscribe monthly friday 16:00 America/New_York"], caller, deps);
    expect(answer.text).toContain("on the first Friday of each month at 16:00 (America/New_York)");
    expect(answer.text).toContain("It was every Monday at 09:00 (Europe/Berlin).");
    expect(await test.db.prisma.digestSubscription.count({ where: { channelId: "C_GROWTH" } })).toBe(1);
  });

  it("says how to invite the bot when it is not in the channel", async () => {
    messenger.notInChannel.add("C_SECRET");
    const answer = await handleDigestCommand(["subscribe"], { ...caller, channelId: "C_SECRET" }, deps);
    expect(answer.text).toContain("I can't post in this channel yet.");
    expect(answer.text).toContain("/invite @Tandem");
  });

  it("lists every channel's digest", async () => {
    const answer = await handleDigestCommand(["list"], caller, deps);
    expect(answer.text).toContain("Alignment digests (2)");
    expect(answer.text).toContain(
      "this channel: on the first Friday of each month at 16:00 (America/New_York), next Fri 4 Dec 2026, 16:00",
    );
    expect(answer.text).toContain("slack channel C_SECRET: every Monday at 09:00 (Europe/Berlin)");
  });

  it("previews the digest privately, for the last complete week or a period asked for", async () => {
    const week = await handleDigestCommand(["preview"], caller, deps);
    expect(week.visibility).toBe("private");
    expect(week.text).toContain("Weekly alignment digest · Week 46 2026 (9–15 Nov)");
    const month = await handleDigestCommand(["preview", "2026-10"], caller, deps);
    expect(month.text).toContain("Monthly alignment digest · October 2026");
    await expect(handleDigestCommand(["preview", "soon"], caller, deps)).rejects.toThrow(/not a period/);
  });

  it("unsubscribes, and says so when there was nothing to stop", async () => {
    expect((await handleDigestCommand(["unsubscribe"], caller, deps)).text).toContain("Unsubscribed");
    expect((await handleDigestCommand(["unsubscribe"], caller, deps)).text).toContain("has no digest subscription");
    const actions = (await test.db.prisma.auditLog.findMany({ orderBy: { id: "asc" } })).map((a) => a.action);
    expect(actions.filter((a) => a.startsWith("digest."))).toEqual([
      "digest.subscribe",
      "digest.resubscribe",
      "digest.subscribe",
      "digest.unsubscribe",
    ]);
  });

  it("subscribes only from a chat channel, and names unknown actions", async () => {
    const cli = { ...caller, platform: "local" as const, channelId: null };
    await expect(handleDigestCommand(["subscribe"], cli, deps)).rejects.toBeInstanceOf(AppError);
    await expect(handleDigestCommand(["frobnicate"], caller, deps)).rejects.toThrow(/digest frobnicate/);
    expect((await handleDigestCommand([], caller, deps)).text).toContain("/kpi digest subscribe");
    expect((await handleDigestCommand([], { ...caller, platform: "teams" }, deps)).text).toContain(
      "kpi digest preview",
    );
  });
});
