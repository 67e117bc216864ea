import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSlackMessenger, INVITE_HINT } from "../../../../src/adapters/slack/slack-messenger.ts";
import { DeliveryError } from "../../../../src/core/delivery/delivery-error.ts";
import type { Messenger } from "../../../../src/core/delivery/ports.ts";
import { withDeliveryRetries } from "../../../../src/core/delivery/retries.ts";
import { makeMessage } from "../../../../src/core/messages/model.ts";
import type { Logger } from "../../../../src/core/ports.ts";
import { type FakeSlackDelivery, startFakeSlackDelivery } from "../../../fakes/slack-delivery-api.ts";

const quiet: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const message = makeMessage([
  { type: "header", text: "Weekly alignment digest" },
  { type: "section", text: "3 of 5 shared metrics on track & rising" },
]);
const target = { platform: "slack" as const, workspaceId: 7, channelId: "C123" };
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof DeliveryError)) throw new Error(`expected a DeliveryError, got ${String(error)}`);
  return error;
}

describe("the Slack messenger", () => {
  let slack: FakeSlackDelivery;
  let messenger: Messenger;
  const tokens: number[] = [];

  beforeAll(async () => {
    slack = await startFakeSlackDelivery();
    messenger = createSlackMessenger({
      slackApiUrl: slack.apiUrl,
      logger: quiet,
      botToken: async (workspaceId) => {
        tokens.push(workspaceId);
        return workspaceId === 7 ? "xoxb-seven" : null;
      },
    });
  });
  afterAll(async () => slack.close());
  beforeEach(() => {
    slack.calls.length = 0;
    slack.notMemberOf.clear();
  });

  it("posts the blocks with their text, then uploads the chart into the message's thread", async () => {
    const result = await messenger.post(target, message, [
      { png, altText: "Line charts of …", filename: "digest.png" },
    ]);
    expect(slack.calls.map((c) => c.method)).toEqual([
      "chat.postMessage",
      "files.getUploadURLExternal",
      "upload",
      "files.completeUploadExternal",
    ]);
    const [post, getUrl, upload, complete] = slack.calls;
    expect(post?.token).toBe("xoxb-seven");
    expect(post?.args).toMatchObject({ channel: "C123", text: expect.stringContaining("on track &amp; rising") });
    expect(((post?.args.blocks ?? []) as { type: string }[]).map((b) => b.type)).toEqual(["header", "section"]);
    expect(result).toEqual({ messageId: "1700000000.000001" });
    expect(getUrl?.args).toMatchObject({
      filename: "digest.png",
      length: String(png.length),
      alt_text: "Line charts of …",
    });
    expect(upload?.bytes).toBeGreaterThanOrEqual(png.length);
    expect(complete?.args).toMatchObject({ channel_id: "C123", thread_ts: result.messageId });
    expect(complete?.args.files).toEqual([{ id: upload?.args.file_id, title: "digest.png" }]);
  });

  it("maps a rate limit to a 429 carrying Retry-After, and a retried post goes out once", async () => {
    slack.fail("chat.postMessage", { status: 429, retryAfterSeconds: 2 });
    const error = await failure(messenger.post(target, message));
    expect(error).toMatchObject({ status: 429, retryAfterMs: 2_000, retryable: true });

    slack.calls.length = 0;
    slack.fail("chat.postMessage", { status: 429, retryAfterSeconds: 0 }, { status: 503 });
    const waits: number[] = [];
    await withDeliveryRetries(
      () => messenger.post(target, message),
      { retries: 3, minTimeoutMs: 1, maxTimeoutMs: 2, budgetMs: 10_000, sleep: async () => {} },
      (e, waitMs) => waits.push(e.status, waitMs),
    );
    expect(waits).toEqual([429, 1, 503, 2]);
    expect(slack.callsTo("chat.postMessage")).toHaveLength(3);
  });

  it("maps 5xx and Slack's internal errors to retryable errors", async () => {
    slack.fail("chat.postMessage", { status: 502 }, { error: "internal_error" });
    expect(await failure(messenger.post(target, message))).toMatchObject({ status: 502, retryable: true });
    expect(await failure(messenger.post(target, message))).toMatchObject({ status: 503, code: "internal_error" });
  });

  it("says how to invite the bot when it is not in the channel, and does not retry that", async () => {
    slack.fail("chat.postMessage", { error: "not_in_channel" });
    const error = await failure(messenger.post(target, message));
    expect(error).toMatchObject({ status: 403, code: "not_in_channel", retryable: false });
    expect(error.message).toContain("/invite @Tandem");
  });

  it("keeps the posted text when the chart upload fails, reporting the upload instead of throwing", async () => {
    slack.fail("files.getUploadURLExternal", { error: "missing_scope" });
    const result = await messenger.post(target, message, [{ png, altText: "chart", filename: "digest.png" }]);
    expect(result.messageId).toBeDefined();
    expect(result.attachmentErrors?.[0]).toContain("files:write");
    expect(slack.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("sends a direct message to a user", async () => {
    await messenger.directMessage({ platform: "slack", workspaceId: 7, userId: "U42" }, message);
    expect(slack.callsTo("chat.postMessage")[0]?.args).toMatchObject({ channel: "U42" });
  });

  it("refuses a workspace without an installation, for good", async () => {
    expect(await failure(messenger.post({ ...target, workspaceId: 8 }, message))).toMatchObject({
      status: 401,
      retryable: false,
    });
  });

  it("tells whether it may post in a channel", async () => {
    slack.notMemberOf.add("C_OUT");
    expect(await messenger.canPost?.({ ...target, channelId: "C_OUT" })).toEqual({ ok: false, hint: INVITE_HINT });
    expect(await messenger.canPost?.({ ...target, channelId: "G_PRIVATE" })).toEqual({ ok: false, hint: INVITE_HINT });
    expect(await messenger.canPost?.(target)).toEqual({ ok: true });
  });
});
