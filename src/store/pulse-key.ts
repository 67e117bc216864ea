// Where the respondent-key secret comes from (see src/core/crypto/respondent-key.ts):
// TANDEM_ENCRYPTION_KEY when it is set; otherwise a key file created once in the data
// directory (next to the SQLite file: ./data/pulse.key, mode 0600). Never the database:
// a copy of the tables alone cannot be turned back into who answered what.
//
// Several replicas must share the secret (set TANDEM_ENCRYPTION_KEY, or mount the same
// key file), or one person's answers would get a different key on each replica.
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { deriveRespondentSecret } from "../core/crypto/respondent-key.ts";
import { AppError, ErrorCode } from "../core/errors.ts";
import { dialectOf, sqlitePath } from "./database.ts";

export const PULSE_KEY_FILE = "pulse.key";

/** The data directory: the SQLite file's directory, or ./data beside a PostgreSQL database. */
export function dataDirFor(databaseUrl: string): string {
  if (dialectOf(databaseUrl) === "sqlite") {
    const file = sqlitePath(databaseUrl);
    if (file !== ":memory:") return path.dirname(file);
  }
  return path.resolve("data");
}

export function loadRespondentSecret(options: { encryptionKey?: string | undefined; dataDir: string }): {
  secret: Buffer;
  source: "TANDEM_ENCRYPTION_KEY" | "key file";
  file?: string;
} {
  if (options.encryptionKey)
    return { secret: deriveRespondentSecret(options.encryptionKey), source: "TANDEM_ENCRYPTION_KEY" };
  const file = path.join(options.dataDir, PULSE_KEY_FILE);
  return { secret: readOrCreateKeyFile(file), source: "key file", file };
}

function readOrCreateKeyFile(file: string): Buffer {
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    // "wx": only one process ever creates the file; the others read what it wrote
    writeFileSync(file, `${randomBytes(32).toString("base64")}\n`, { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  chmodSync(file, 0o600);
  const text = readFileSync(file, "utf8").trim();
  const secret = Buffer.from(text, "base64");
  if (secret.length !== 32) {
    // a half-written file from a racing creator reads short for a moment: read once more
    const again = Buffer.from(readFileSync(file, "utf8").trim(), "base64");
    if (again.length === 32) return again;
    throw new AppError(
      ErrorCode.Internal,
      `${file}: expected 32 bytes of base64 (the pulse answer key). Restore it from backup, or set TANDEM_ENCRYPTION_KEY.`,
    );
  }
  return secret;
}
