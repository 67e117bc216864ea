// Secrets at rest (Slack installations with their tokens): AES-256-GCM under a key
// derived from TANDEM_ENCRYPTION_KEY. The `context` is bound in as associated data,
// so a ciphertext copied onto another row (another team) fails to open.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { AppError, ErrorCode } from "../errors.ts";

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type SecretBox = {
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
};

/** 32 key bytes: the key itself when it is 32 bytes of base64, else HKDF-SHA256 of the text. */
function deriveKey(secret: string): Buffer {
  const decoded = /^[A-Za-z0-9+/]{43}=?$/.test(secret) ? Buffer.from(secret, "base64") : null;
  const material = decoded?.length === 32 ? decoded : Buffer.from(secret, "utf8");
  return Buffer.from(hkdfSync("sha256", material, "tandem", "secret-box v1", 32));
}

export function createSecretBox(secret: string | undefined): SecretBox {
  if (!secret) {
    throw new AppError(
      ErrorCode.Unavailable,
      "TANDEM_ENCRYPTION_KEY is not set: Tandem will not store secrets unencrypted. " +
        "Set it to 32 random bytes in base64 (openssl rand -base64 32) and restart.",
    );
  }
  const key = deriveKey(secret);
  return {
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(Buffer.from(context, "utf8"));
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
    },
    open(sealed, context) {
      const [version, payload] = sealed.split(":", 2);
      if (version !== VERSION || !payload) throw new AppError(ErrorCode.Internal, "unknown secret format");
      const raw = Buffer.from(payload, "base64");
      if (raw.length < IV_BYTES + TAG_BYTES) throw new AppError(ErrorCode.Internal, "truncated secret");
      const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(context, "utf8"));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      try {
        return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
      } catch {
        throw new AppError(
          ErrorCode.Internal,
          "cannot decrypt a stored secret: TANDEM_ENCRYPTION_KEY differs from the key it was stored with",
        );
      }
    },
  };
}
