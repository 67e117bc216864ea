import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createRespondentKeyer } from "../../../src/core/crypto/respondent-key.ts";
import { dataDirFor, loadRespondentSecret } from "../../../src/store/pulse-key.ts";

describe("the respondent key", () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tandem-key-"));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("is the same for one person in one pulse, different across pulses and people", () => {
    const key = createRespondentKeyer(Buffer.alloc(32, 1));
    const ada = { platform: "slack", userId: "U1" };
    expect(key({ kind: "pulse", id: 1 }, ada)).toBe(key({ kind: "pulse", id: 1 }, ada));
    expect(key({ kind: "pulse", id: 2 }, ada)).not.toBe(key({ kind: "pulse", id: 1 }, ada));
    expect(key({ kind: "pulse", id: 1 }, { platform: "slack", userId: "U2" })).not.toBe(
      key({ kind: "pulse", id: 1 }, ada),
    );
    expect(key({ kind: "pulse", id: 1 }, ada)).not.toContain("U1");
  });

  it("differs under another secret, so the tables alone cannot be matched to people", () => {
    const who = { platform: "slack", userId: "U1" };
    const a = createRespondentKeyer(Buffer.alloc(32, 1))({ kind: "pulse", id: 1 }, who);
    const b = createRespondentKeyer(Buffer.alloc(32, 2))({ kind: "pulse", id: 1 }, who);
    expect(a).not.toBe(b);
  });

  it("creates the key file once, readable by its owner only, and reuses it", () => {
    const dir = tempDir();
    const first = loadRespondentSecret({ dataDir: dir });
    expect(first.source).toBe("key file");
    const file = path.join(dir, "pulse.key");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = loadRespondentSecret({ dataDir: dir });
    expect(again.secret.equals(first.secret)).toBe(true);
    expect(Buffer.from(readFileSync(file, "utf8").trim(), "base64")).toHaveLength(32);
  });

  it("derives from TANDEM_ENCRYPTION_KEY when it is set, writing no file", () => {
    const dir = tempDir();
    const loaded = loadRespondentSecret({ encryptionKey: "a".repeat(32), dataDir: dir });
    expect(loaded.source).toBe("TANDEM_ENCRYPTION_KEY");
    expect(() => statSync(path.join(dir, "pulse.key"))).toThrow();
    expect(loadRespondentSecret({ encryptionKey: "a".repeat(32), dataDir: dir }).secret.equals(loaded.secret)).toBe(
      true,
    );
  });

  it("keeps the key file beside the SQLite database", () => {
    expect(dataDirFor("file:/srv/tandem/data/tandem.db")).toBe("/srv/tandem/data");
  });
});
