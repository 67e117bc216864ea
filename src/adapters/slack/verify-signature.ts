// Slack's request signing (v0): HMAC-SHA256 of `v0:timestamp:rawbody` under the
// signing secret, compared in constant time, with a 5-minute window either side
// so a captured request cannot be replayed later.
import { createHmac, timingSafeEqual } from "node:crypto";

export const REPLAY_WINDOW_SECONDS = 5 * 60;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export function computeSlackSignature(signingSecret: string, timestampSec: string | number, rawBody: string | Buffer) {
  const hmac = createHmac("sha256", signingSecret);
  hmac.update(`v0:${timestampSec}:`);
  hmac.update(rawBody);
  return `v0=${hmac.digest("hex")}`;
}

export function verifySlackSignature(options: {
  signingSecret: string;
  signature: string | string[] | undefined;
  timestamp: string | string[] | undefined;
  rawBody: Buffer;
  nowMs: number;
}): SignatureCheck {
  const { signature, timestamp } = options;
  if (typeof signature !== "string" || typeof timestamp !== "string") return { ok: false, reason: "missing headers" };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: "malformed timestamp" };
  const ageSec = Math.abs(Math.floor(options.nowMs / 1000) - Number(timestamp));
  if (ageSec > REPLAY_WINDOW_SECONDS) return { ok: false, reason: "stale timestamp" };
  const expected = Buffer.from(computeSlackSignature(options.signingSecret, timestamp, options.rawBody));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: "bad signature" };
  return { ok: true };
}
