import { describe, expect, it } from "vitest";
import { computeSlackSignature, verifySlackSignature } from "../../../../src/adapters/slack/verify-signature.ts";
import { slackSignatureHeaders } from "../../../helpers/slack-sign.ts";

const secret = "8f742231b10e8888abcd99yyyzzz85a5";
const body = "token=xyz&team_id=T1&command=%2Fkpi&text=cac";
const now = 1_790_000_000_000;

const check = (headers: Record<string, string>, nowMs = now, rawBody = body) =>
  verifySlackSignature({
    signingSecret: secret,
    signature: headers["x-slack-signature"],
    timestamp: headers["x-slack-request-timestamp"],
    rawBody: Buffer.from(rawBody),
    nowMs,
  });

describe("Slack request signatures", () => {
  it("matches Slack's documented example", () => {
    // https://docs.slack.dev/authentication/verifying-requests-from-slack
    const example =
      "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    expect(computeSlackSignature(secret, 1531420618, example)).toBe(
      "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
    );
  });

  it("accepts a fresh, correct signature (the test helper signs as Slack does)", () => {
    expect(check(slackSignatureHeaders(secret, body, now / 1000))).toEqual({ ok: true });
  });

  it("accepts up to 5 minutes of clock difference either way, and no more", () => {
    expect(check(slackSignatureHeaders(secret, body, now / 1000 - 300)).ok).toBe(true);
    expect(check(slackSignatureHeaders(secret, body, now / 1000 + 300)).ok).toBe(true);
    expect(check(slackSignatureHeaders(secret, body, now / 1000 - 301))).toEqual({
      ok: false,
      reason: "stale timestamp",
    });
    expect(check(slackSignatureHeaders(secret, body, now / 1000 + 301))).toEqual({
      ok: false,
      reason: "stale timestamp",
    });
  });

  it("refuses another secret, another body, and malformed headers", () => {
    expect(check(slackSignatureHeaders("other", body, now / 1000)).ok).toBe(false);
    expect(check(slackSignatureHeaders(secret, body, now / 1000), now, `${body}&x=1`).ok).toBe(false);
    expect(check({ "x-slack-signature": "v0=abc", "x-slack-request-timestamp": String(now / 1000) }).ok).toBe(false);
    expect(check({ "x-slack-signature": "v0=abc", "x-slack-request-timestamp": "soon" })).toEqual({
      ok: false,
      reason: "malformed timestamp",
    });
    expect(check({})).toEqual({ ok: false, reason: "missing headers" });
  });

  it("refuses every near miss of the right signature, whichever side a prefix test would look from", () => {
    const headers = slackSignatureHeaders(secret, body, now / 1000);
    const right = headers["x-slack-signature"] as string;
    expect(check(headers).ok).toBe(true);
    for (const signature of [
      "",
      "v0=",
      right.slice(0, -1),
      right.slice(0, 4),
      `${right}0`,
      `${right}${right}`,
      right.toUpperCase(),
      right.replace(/^v0=/, "v1="),
    ]) {
      expect(check({ ...headers, "x-slack-signature": signature }), JSON.stringify(signature)).toEqual({
        ok: false,
        reason: "bad signature",
      });
    }
  });
});
