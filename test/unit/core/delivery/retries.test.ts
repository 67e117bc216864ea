import { describe, expect, it } from "vitest";
import { DeliveryError } from "../../../../src/core/delivery/delivery-error.ts";
import { type RetryPolicy, withDeliveryRetries } from "../../../../src/core/delivery/retries.ts";
import { routeMessenger } from "../../../../src/core/delivery/route-messenger.ts";
import { makeMessage } from "../../../../src/core/messages/model.ts";
import { createFakeMessenger } from "../../../fakes/fake-messenger.ts";

function policy(overrides: Partial<RetryPolicy> = {}): RetryPolicy & { slept: number[] } {
  const slept: number[] = [];
  return {
    retries: 4,
    minTimeoutMs: 1,
    maxTimeoutMs: 8,
    budgetMs: 60_000,
    sleep: async (ms) => {
      slept.push(ms);
    },
    slept,
    ...overrides,
  };
}

const message = makeMessage([{ type: "section", text: "hello" }]);
const target = { platform: "slack" as const, workspaceId: 1, channelId: "C1" };

describe("withDeliveryRetries", () => {
  it("posts once after a 429, having waited what Retry-After asked", async () => {
    const messenger = createFakeMessenger();
    messenger.failPosts(new DeliveryError("rate limited", { status: 429, retryAfterMs: 30_000 }));
    const retries: number[] = [];
    const p = policy();
    const result = await withDeliveryRetries(
      () => messenger.post(target, message),
      p,
      (_error, waitMs) => retries.push(waitMs),
    );
    expect(result.messageId).toBeDefined();
    expect(messenger.posts).toHaveLength(1);
    expect(messenger.attempts).toBe(2);
    expect(retries).toEqual([30_000]);
    // p-retry waits its own 1 ms backoff; the rest of the 30 s is ours
    expect(p.slept).toEqual([29_999]);
  });

  it("backs off exponentially on 5xx and network errors, then posts", async () => {
    const messenger = createFakeMessenger();
    messenger.failPosts(
      new DeliveryError("bad gateway", { status: 502 }),
      new DeliveryError("unreachable", { status: 0 }),
      new DeliveryError("unavailable", { status: 503 }),
    );
    const retries: number[] = [];
    await withDeliveryRetries(
      () => messenger.post(target, message),
      policy(),
      (_error, waitMs) => retries.push(waitMs),
    );
    expect(messenger.posts).toHaveLength(1);
    expect(retries).toEqual([1, 2, 4]);
  });

  it("does not retry a refusal (4xx) or an error that is not a delivery error", async () => {
    const messenger = createFakeMessenger();
    messenger.failPosts(new DeliveryError("not in channel", { status: 403, code: "not_in_channel" }));
    await expect(withDeliveryRetries(() => messenger.post(target, message), policy())).rejects.toMatchObject({
      code: "not_in_channel",
    });
    expect(messenger.attempts).toBe(1);

    messenger.failPosts(new TypeError("a bug"));
    await expect(withDeliveryRetries(() => messenger.post(target, message), policy())).rejects.toThrow("a bug");
    expect(messenger.attempts).toBe(2);
  });

  it("gives up after its retries, with the last error", async () => {
    const messenger = createFakeMessenger();
    messenger.failPosts(...Array.from({ length: 10 }, (_, i) => new DeliveryError(`down ${i}`, { status: 500 })));
    await expect(withDeliveryRetries(() => messenger.post(target, message), policy({ retries: 2 }))).rejects.toThrow(
      "down 2",
    );
    expect(messenger.attempts).toBe(3);
    expect(messenger.posts).toHaveLength(0);
  });

  it("gives up at once when Retry-After would outlast the delivery budget", async () => {
    const messenger = createFakeMessenger();
    messenger.failPosts(new DeliveryError("rate limited", { status: 429, retryAfterMs: 10 * 60_000 }));
    await expect(
      withDeliveryRetries(() => messenger.post(target, message), policy({ budgetMs: 60_000 })),
    ).rejects.toMatchObject({ status: 429, message: expect.stringContaining("exceed the delivery budget") });
    expect(messenger.attempts).toBe(1);
  });
});

describe("routeMessenger", () => {
  it("posts through the target platform's messenger and refuses, for good, a platform not configured", async () => {
    const slack = createFakeMessenger();
    const messenger = routeMessenger({ slack });
    await messenger.post(target, message);
    expect(slack.posts).toHaveLength(1);
    const refusal = await messenger.post({ ...target, platform: "teams" }, message).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(DeliveryError);
    expect((refusal as DeliveryError).retryable).toBe(false);
    expect(await messenger.canPost?.({ ...target, platform: "teams" })).toMatchObject({ ok: false });
  });
});
