// Pseudonymous respondent keys for pulse answers and ritual votes. The database keeps
// one answer per person per question by a unique (question_id, respondent_key); the key
// is an HMAC-SHA256 of (scope, pulse id, user) under a secret that never enters the
// database, so someone reading the tables cannot tell who answered, nor link one
// person's answers across pulses (the pulse id is part of the message).
import { createHmac, hkdfSync } from "node:crypto";

const KEY_BYTES = 32;

export type RespondentKeyer = (
  scope: { kind: "pulse" | "ritual"; id: number },
  who: { platform: string; userId: string },
) => string;

/** 32 key bytes for respondent keys from TANDEM_ENCRYPTION_KEY, separated from the secret box's key by HKDF's info. */
export function deriveRespondentSecret(encryptionKey: string): Buffer {
  const decoded = /^[A-Za-z0-9+/]{43}=?$/.test(encryptionKey) ? Buffer.from(encryptionKey, "base64") : null;
  const material = decoded?.length === KEY_BYTES ? decoded : Buffer.from(encryptionKey, "utf8");
  return Buffer.from(hkdfSync("sha256", material, "tandem", "pulse respondent key v1", KEY_BYTES));
}

export function createRespondentKeyer(secret: Buffer): RespondentKeyer {
  if (secret.length < KEY_BYTES)
    throw new Error(`respondent key secret: expected ${KEY_BYTES} bytes, got ${secret.length}`);
  return (scope, who) =>
    createHmac("sha256", secret)
      // length-prefixed fields: no two different inputs share one message
      .update(JSON.stringify([scope.kind, scope.id, who.platform, who.userId]))
      .digest("base64url");
}
