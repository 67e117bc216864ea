// The delivery port's contract: one suite every Messenger passes (the Slack messenger
// against the Slack API fake, the Teams messenger against the Bot Connector fake, and the
// test fake), the way one router suite runs against every router. A harness starts an
// implementation with its platform's fake and says, in the platform's own terms, what
// the platform received and how to make its next post fail.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeliveryError } from "../../src/core/delivery/delivery-error.ts";
import type { Attachment, DeliveryTarget, Messenger, Recipient } from "../../src/core/delivery/ports.ts";
import { type RetryPolicy, withRetries } from "../../src/core/delivery/retries.ts";
import { makeMessage } from "../../src/core/messages/model.ts";

/** What reached the platform: a message (a post, a reply, a direct message), an edit, or a file. */
export type Delivered =
  | { kind: "message"; channelId: string; threadId: string | null; text: string }
  | { kind: "edit"; channelId: string; messageId: string; text: string }
  | { kind: "file"; channelId: string; threadId: string | null; filename: string };

/** How the platform refuses the next post, as each platform says it. */
export type Failure = "rate-limited" | "unavailable" | "refused";

/** The Retry-After (seconds) every harness's rate limit carries. */
export const RETRY_AFTER_SECONDS = 2;

export type DeliveryHarness = {
  messenger: Messenger;
  /** a channel the bot is in */
  target: DeliveryTarget;
  /** a channel the bot may not post in */
  outsider: DeliveryTarget;
  recipient: Recipient;
  /** the conversation a direct message to `recipient` lands in */
  directChannel: string;
  /** everything the platform received so far */
  delivered(): Delivered[];
  /** the platform refuses the messenger's next post this way */
  fail(failure: Failure): void;
  /** how many times the messenger has gone to the platform to post */
  attempts(): number;
  close(): Promise<void>;
};

const FAST: RetryPolicy = { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 5, budgetMs: 10_000, sleep: async () => {} };
const CHART: Attachment = {
  png: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]),
  altText: "Line chart of new revenue",
  filename: "contract-chart.png",
};

const say = (text: string) =>
  makeMessage([
    { type: "header", text: "Delivery contract" },
    { type: "section", text },
  ]);

export function deliveryPortContract(name: string, start: () => Promise<DeliveryHarness>): void {
  describe(`the delivery port: ${name}`, () => {
    let harness: DeliveryHarness;
    beforeAll(async () => {
      harness = await start();
    });
    afterAll(async () => harness?.close());

    /** What the platform received while `work` ran. */
    async function during(work: () => Promise<unknown>): Promise<Delivered[]> {
      const before = harness.delivered().length;
      await work();
      return harness.delivered().slice(before);
    }

    async function failure(work: Promise<unknown>): Promise<DeliveryError> {
      const error = await work.then(
        () => null,
        (e: unknown) => e,
      );
      if (!(error instanceof DeliveryError)) throw new Error(`expected a DeliveryError, got ${String(error)}`);
      return error;
    }

    it("posts a message in the channel and answers with its id", async () => {
      let messageId = "";
      const received = await during(async () => {
        ({ messageId } = await harness.messenger.post(harness.target, say("posted once in the channel")));
      });
      expect(messageId).not.toBe("");
      expect(received).toEqual([
        {
          kind: "message",
          channelId: harness.target.channelId,
          threadId: null,
          text: expect.stringContaining("posted once in the channel"),
        },
      ]);
    });

    it("replies in the thread of a posted message when the target names it", async () => {
      const parent = await harness.messenger.post(harness.target, say("the thread's first message"));
      const received = await during(() =>
        harness.messenger.post({ ...harness.target, threadId: parent.messageId }, say("a reply in the thread")),
      );
      expect(received).toEqual([
        {
          kind: "message",
          channelId: harness.target.channelId,
          threadId: parent.messageId,
          text: expect.stringContaining("a reply in the thread"),
        },
      ]);
    });

    it("edits a posted message in place", async () => {
      const posted = await harness.messenger.post(harness.target, say("before the edit"));
      const received = await during(() =>
        harness.messenger.update({ ...harness.target, messageId: posted.messageId }, say("after the edit")),
      );
      expect(received).toEqual([
        {
          kind: "edit",
          channelId: harness.target.channelId,
          messageId: posted.messageId,
          text: expect.stringContaining("after the edit"),
        },
      ]);
    });

    it("writes to one person directly", async () => {
      const received = await during(() => harness.messenger.directMessage(harness.recipient, say("only for you")));
      expect(received).toEqual([
        {
          kind: "message",
          channelId: harness.directChannel,
          threadId: null,
          text: expect.stringContaining("only for you"),
        },
      ]);
    });

    it("uploads a file into a message's thread", async () => {
      const parent = await harness.messenger.post(harness.target, say("a file follows"));
      const received = await during(() =>
        harness.messenger.upload({ ...harness.target, threadId: parent.messageId }, CHART),
      );
      expect(received).toEqual([
        { kind: "file", channelId: harness.target.channelId, threadId: parent.messageId, filename: CHART.filename },
      ]);
    });

    it("posts attachments after the message, in its thread", async () => {
      let outcome: Awaited<ReturnType<Messenger["post"]>> | undefined;
      const received = await during(async () => {
        outcome = await harness.messenger.post(harness.target, say("the digest with its chart"), [CHART]);
      });
      expect(outcome?.attachmentErrors).toBeUndefined();
      expect(received.filter((d) => d.kind === "message")).toHaveLength(1);
      expect(received.filter((d) => d.kind === "file")).toEqual([
        { kind: "file", channelId: harness.target.channelId, threadId: outcome?.messageId, filename: CHART.filename },
      ]);
    });

    it("tells whether it may post in a channel, and how to fix it when not", async () => {
      expect(await harness.messenger.canPost(harness.target)).toEqual({ ok: true });
      const refused = await harness.messenger.canPost(harness.outsider);
      expect(refused).toMatchObject({ ok: false, hint: expect.stringMatching(/\w/) });
    });

    it("classifies a rate limit as retryable, with the wait the platform asked for", async () => {
      harness.fail("rate-limited");
      const attempts = harness.attempts();
      const error = await failure(harness.messenger.post(harness.target, say("rate limited")));
      expect(error).toMatchObject({ status: 429, retryable: true, retryAfterMs: RETRY_AFTER_SECONDS * 1000 });
      expect(harness.attempts() - attempts).toBe(1);
    });

    it("classifies a platform failure (5xx) as retryable", async () => {
      harness.fail("unavailable");
      const attempts = harness.attempts();
      const error = await failure(harness.messenger.post(harness.target, say("platform down")));
      expect(error.status).toBeGreaterThanOrEqual(500);
      expect(error.retryable).toBe(true);
      expect(harness.attempts() - attempts).toBe(1);
    });

    it("classifies a refusal (4xx, such as not being in the channel) as permanent", async () => {
      harness.fail("refused");
      const attempts = harness.attempts();
      const error = await failure(harness.messenger.post(harness.target, say("refused")));
      expect(error.status).toBeGreaterThanOrEqual(400);
      expect(error.status).toBeLessThan(500);
      expect(error.retryable).toBe(false);
      expect(harness.attempts() - attempts).toBe(1);
    });

    it("never retries by itself: withRetries does, and the message goes out once", async () => {
      harness.fail("unavailable");
      const attempts = harness.attempts();
      const received = await during(() =>
        withRetries(harness.messenger, FAST).post(harness.target, say("out once after a retry")),
      );
      expect(harness.attempts() - attempts).toBe(2);
      expect(received.filter((d) => d.kind === "message" && d.text.includes("out once after a retry"))).toHaveLength(1);
    });
  });
}
