// Proactive posts (digests, pulses, results) through the Teams messenger: the stored
// conversation reference, continueConversationAsync, and Teams' transient statuses retried
// by the one retry policy (withRetries), against the fake Bot Connector answering with the
// statuses Teams uses.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTeamsMessenger, parseRetryAfter } from "../../../src/adapters/teams/teams-messenger.ts";
import { DeliveryError } from "../../../src/core/delivery/delivery-error.ts";
import type { Messenger } from "../../../src/core/delivery/ports.ts";
import { type RetryPolicy, withDeliveryRetries, withRetries } from "../../../src/core/delivery/retries.ts";
import { makeMessage } from "../../../src/core/messages/model.ts";
import type { Logger } from "../../../src/core/ports.ts";
import { DIALECTS } from "../../helpers/databases.ts";
import {
  CHANNEL,
  cardOf,
  cardProblems,
  cardText,
  PERSONAL,
  startTeamsTestServer,
  type TeamsTestServer,
} from "./teams-server.ts";

const CHANNEL_ID = "19:general@thread.tacv2";
const CHANNEL_PATH = `/v3/conversations/${encodeURIComponent(CHANNEL_ID)}/activities`;
const digest = makeMessage([
  { type: "header", text: "Weekly alignment digest" },
  { type: "section", text: "New revenue *157,500* (▲ 12.5%)" },
]);

describe.each(DIALECTS)("Teams proactive delivery (%s)", (dialect) => {
  let server: TeamsTestServer;
  let messenger: Messenger;
  let sleeps: number[];
  let warnings: Record<string, unknown>[];
  const target = () => ({ platform: "teams" as const, workspaceId: server.ctx.workspace.id, channelId: CHANNEL_ID });
  const logger: Logger = {
    debug() {},
    info() {},
    warn: (_message, fields) => warnings.push(fields ?? {}),
    error() {},
  };
  const plainMessenger = () =>
    createTeamsMessenger({ adapter: server.teams.adapter, appId: "", prisma: server.ctx.db.prisma, logger });
  // as every caller posts: the messenger wrapped in the one retry policy
  const messengerWith = (retry: RetryPolicy) =>
    withRetries(plainMessenger(), retry, (error, waitMs) =>
      logger.warn("teams delivery failed; retrying", { status: error.status, waitMs }),
    );
  const fastRetry = (retries = 3): RetryPolicy => ({
    retries,
    minTimeoutMs: 1,
    maxTimeoutMs: 5,
    budgetMs: 60_000,
    sleep: async (ms: number) => {
      sleeps.push(ms);
    },
  });
  const newActivities = async (work: () => Promise<unknown>) => {
    const before = server.connector.calls.length;
    await work();
    return server.connector.calls.slice(before);
  };

  beforeAll(async () => {
    server = await startTeamsTestServer(dialect);
    // Teams tells the bot about a channel and a personal chat the first time it hears from them.
    await server.ask("help", { conversation: CHANNEL });
    await server.ask("help", { conversation: PERSONAL, mention: false });
    messenger = messengerWith(fastRetry());
  });
  beforeEach(() => {
    sleeps = [];
    warnings = [];
    server.connector.failNext(0, 200);
  });
  afterAll(async () => server?.stop());

  it("posts a new message in the channel from the stored reference, not a reply to anything", async () => {
    let posted: { messageId: string } | undefined;
    const calls = await newActivities(async () => {
      posted = await messenger.post(target(), digest);
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.path).toBe(CHANNEL_PATH);
    expect(calls[0]?.body.replyToId).toBeUndefined();
    expect(calls[0]?.body.conversation).toMatchObject({ id: CHANNEL_ID });
    expect(cardText(cardOf(calls[0]?.body ?? {}))).toContain("157,500");
    expect(posted?.messageId).toMatch(/^act-/);
  });

  it("finds the channel by a thread's conversation id too", async () => {
    const calls = await newActivities(() => messenger.post({ ...target(), channelId: CHANNEL.id }, digest));
    expect(calls.map((call) => call.path)).toEqual([CHANNEL_PATH]);
  });

  it("posts into a thread when given one", async () => {
    const calls = await newActivities(() => messenger.post({ ...target(), threadId: "1700000000999" }, digest));
    expect(decodeURIComponent(calls[0]?.path ?? "")).toBe(
      `/v3/conversations/${CHANNEL_ID};messageid=1700000000999/activities`,
    );
  });

  it("posts the chart after the message, in its thread, as an inline PNG with its alt text", async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    let result: Awaited<ReturnType<Messenger["post"]>> | undefined;
    const calls = await newActivities(async () => {
      result = await messenger.post(target(), digest, [
        { png, altText: "Bar chart: new revenue by month", filename: "digest.png" },
      ]);
    });
    expect(calls).toHaveLength(2);
    expect(result?.attachmentErrors).toBeUndefined();
    expect(decodeURIComponent(calls[1]?.path ?? "")).toBe(
      `/v3/conversations/${CHANNEL_ID};messageid=${result?.messageId}/activities`,
    );
    expect(calls[1]?.body).toMatchObject({
      text: "Bar chart: new revenue by month",
      attachments: [
        {
          contentType: "image/png",
          contentUrl: `data:image/png;base64,${Buffer.from(png).toString("base64")}`,
          name: "digest.png",
        },
      ],
    });
  });

  it("edits a posted message in place (a pulse's count)", async () => {
    const calls = await newActivities(() => messenger.update({ ...target(), messageId: "act-77" }, digest));
    expect(calls).toHaveLength(1);
    expect(calls[0]?.method).toBe("PUT");
    expect(calls[0]?.path).toBe(`${CHANNEL_PATH}/act-77`);
    expect(cardText(cardOf(calls[0]?.body ?? {}))).toContain("Weekly alignment digest");
  });

  it("retries 429 (throttled) with backoff and posts exactly once", async () => {
    server.connector.failNext(2, 429);
    const calls = await newActivities(() => messenger.post(target(), digest));
    expect(calls).toHaveLength(1);
    expect(warnings.map((w) => w.status)).toEqual([429, 429]);
  });

  it("retries 412 (precondition failed, a busy conversation) and posts exactly once", async () => {
    server.connector.failNext(2, 412);
    const calls = await newActivities(() => messenger.post(target(), digest));
    expect(calls).toHaveLength(1);
    expect(warnings.map((w) => w.status)).toEqual([412, 412]);
  });

  it("waits at least what Retry-After asks once botbuilder's own Retry-After retries are spent", async () => {
    // botbuilder's connector retries a 429 with Retry-After by itself (here the short
    // retry-after-ms), up to 3 times; the 5th failure reaches the retry policy, which waits
    // the Retry-After seconds before the next attempt: its own 1 ms backoff, then the rest.
    server.connector.failNext(5, 429, { "retry-after": "3", "retry-after-ms": "1" });
    const calls = await newActivities(() => messenger.post(target(), digest));
    expect(calls).toHaveLength(1);
    expect(sleeps).toEqual([3_000 - 1]);
  });

  it("fails at once, without retrying, on 400 and says it is not worth retrying", async () => {
    server.connector.failNext(2, 400);
    const first = await messenger.post(target(), digest).catch((error: unknown) => error);
    expect(first).toBeInstanceOf(DeliveryError);
    expect(first).toMatchObject({ status: 400, retryable: false });
    // the first post used one failure only: the second meets the other, the third goes out
    await expect(messenger.post(target(), digest)).rejects.toMatchObject({ status: 400 });
    const calls = await newActivities(() => messenger.post(target(), digest));
    expect(calls).toHaveLength(1);
    expect(warnings).toEqual([]);
  });

  it("gives up after its retries with the last error", async () => {
    const twice = messengerWith(fastRetry(2));
    server.connector.failNext(3, 412);
    const error = await twice.post(target(), digest).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 412 });
    expect(warnings).toHaveLength(2);
  });

  it("fails at once when Retry-After asks for more than the delivery budget", async () => {
    server.connector.failNext(4, 429, { "retry-after": "600", "retry-after-ms": "1" });
    const error = await messenger.post(target(), digest).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 600_000, retryable: false });
    expect(String((error as Error).message)).toContain("beyond the delivery budget");
    expect(sleeps).toEqual([]);
  });

  it("never retries by itself: a 412 is classified retryable and left to the retry policy", async () => {
    const plain = plainMessenger();
    server.connector.failNext(1, 412);
    const error = await plain.post(target(), digest).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 412, retryable: true });

    server.connector.failNext(1, 412);
    const calls = await newActivities(() =>
      withDeliveryRetries(() => plain.post(target(), digest), {
        retries: 2,
        minTimeoutMs: 1,
        maxTimeoutMs: 5,
        budgetMs: 60_000,
        sleep: async () => {},
      }),
    );
    expect(calls).toHaveLength(1);
  });

  it("writes to a person in the personal chat they opened with the bot", async () => {
    const calls = await newActivities(() =>
      messenger.directMessage({ platform: "teams", workspaceId: server.ctx.workspace.id, userId: "aad-ana" }, digest),
    );
    expect(calls.map((call) => decodeURIComponent(call.path))).toEqual([`/v3/conversations/${PERSONAL.id}/activities`]);
  });

  it("cannot write to someone who never opened a chat with the bot", async () => {
    await expect(
      messenger.directMessage(
        { platform: "teams", workspaceId: server.ctx.workspace.id, userId: "aad-stranger" },
        digest,
      ),
    ).rejects.toMatchObject({ status: 404, code: "personal_chat_missing", retryable: false });
  });

  it("refuses a channel it was never added to, and says how to fix it", async () => {
    const elsewhere = { ...target(), channelId: "19:unknown@thread.tacv2" };
    await expect(messenger.post(elsewhere, digest)).rejects.toMatchObject({
      status: 404,
      code: "conversation_reference_missing",
      retryable: false,
    });
    expect(await messenger.canPost?.(elsewhere)).toMatchObject({ ok: false, hint: expect.stringContaining("add it") });
    expect(await messenger.canPost?.(target())).toEqual({ ok: true });
  });

  it("sent only cards that Microsoft's adaptivecards package accepts as 1.5", () => {
    const sent = server.sentCards();
    expect(sent.length).toBeGreaterThan(5);
    for (const { card } of sent) expect(cardProblems(card)).toEqual([]);
  });
});

describe("Retry-After", () => {
  it("reads seconds and HTTP dates", () => {
    const now = Date.parse("2026-10-14T09:00:00Z");
    expect(parseRetryAfter("3", now)).toBe(3_000);
    expect(parseRetryAfter("0.5", now)).toBe(500);
    expect(parseRetryAfter("Wed, 14 Oct 2026 09:00:10 GMT", now)).toBe(10_000);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
