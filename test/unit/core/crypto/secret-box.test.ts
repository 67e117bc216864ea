import { describe, expect, it } from "vitest";
import { createSecretBox } from "../../../../src/core/crypto/secret-box.ts";

describe("the secret box", () => {
  const box = createSecretBox("Gm1kq8mN0Jb8pS1vQm2M3o5lZsR1x9vWb7yQ2f0Ae4c=");

  it("opens what it sealed, for the same context", () => {
    const sealed = box.seal('{"bot":{"token":"xoxb-1"}}', "installation:slack::T1");
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain("xoxb");
    expect(box.open(sealed, "installation:slack::T1")).toBe('{"bot":{"token":"xoxb-1"}}');
  });

  it("seals the same text differently each time", () => {
    expect(box.seal("x", "c")).not.toBe(box.seal("x", "c"));
  });

  it("refuses a ciphertext moved to another context (another team's row)", () => {
    const sealed = box.seal("secret", "installation:slack::T1");
    expect(() => box.open(sealed, "installation:slack::T2")).toThrow(/cannot decrypt/);
  });

  it("refuses a tampered ciphertext, and a different key", () => {
    const sealed = box.seal("secret", "c");
    const raw = Buffer.from(sealed.slice(3), "base64");
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    expect(() => box.open(`v1:${raw.toString("base64")}`, "c")).toThrow(/cannot decrypt/);
    expect(() => createSecretBox("another key of enough length").open(sealed, "c")).toThrow(/TANDEM_ENCRYPTION_KEY/);
  });

  it("will not exist without a key, and says which variable to set", () => {
    expect(() => createSecretBox(undefined)).toThrow(/TANDEM_ENCRYPTION_KEY is not set/);
  });
});
