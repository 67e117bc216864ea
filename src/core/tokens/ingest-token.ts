// Ingest tokens for POST /api/v1/facts: `tdm_` + 32 random bytes (base64url). Only a
// SHA-256 hash is stored, with a short prefix to tell tokens apart in listings; the
// token itself is shown once, when it is created.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { AppError, ErrorCode } from "../errors.ts";

export const TOKEN_PREFIX = "tdm_";
const TOKEN_SHAPE = /^tdm_[A-Za-z0-9_-]{43}$/;
const NAME_SHAPE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** characters of the token kept in clear, e.g. `tdm_Xy3q` */
export const SHOWN_PREFIX_LENGTH = 8;

export type NewToken = { token: string; hash: string; prefix: string };

export function createToken(): NewToken {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { token, hash: hashToken(token), prefix: token.slice(0, SHOWN_PREFIX_LENGTH) };
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Whether the text has a token's shape (checked before any database look-up). */
export function looksLikeToken(text: string): boolean {
  return TOKEN_SHAPE.test(text);
}

/** Whether `token` hashes to `storedHash`, compared in constant time. */
export function tokenMatches(token: string, storedHash: string): boolean {
  const actual = Buffer.from(hashToken(token), "hex");
  const expected = Buffer.from(storedHash, "hex");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export function checkTokenName(name: string): string {
  if (!NAME_SHAPE.test(name))
    throw new AppError(
      ErrorCode.InvalidInput,
      `token name ${JSON.stringify(name)}: use 1–64 letters, digits, "-", "_" or ".", starting with a letter or digit`,
    );
  return name;
}
