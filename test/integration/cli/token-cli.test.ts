import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIo } from "../../../src/adapters/cli/io.ts";
import { hashToken } from "../../../src/core/tokens/ingest-token.ts";
import { runCli } from "../../../src/main/cli.ts";
import { createTokenRepository } from "../../../src/store/token-repository.ts";
import { ensureDefaultWorkspace } from "../../../src/store/workspaces.ts";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../../helpers/databases.ts";

const ENV_KEYS = ["DATABASE_URL", "TANDEM_TIMEZONE", "LOG_LEVEL"] as const;

async function tandem(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: CliIo = {
    out: (text) => {
      out += `${text}\n`;
    },
    err: (text) => {
      err += `${text}\n`;
    },
  };
  const code = await runCli(["token", ...args], io);
  return { code, out, err };
}

describe.each(DIALECTS)("tandem token on %s", (dialect) => {
  let test: TestDatabase;
  let workspaceId: number;
  const saved: Partial<Record<(typeof ENV_KEYS)[number], string>> = {};

  beforeAll(async () => {
    for (const key of ENV_KEYS) saved[key] = process.env[key];
    test = await createTestDatabase(dialect);
    process.env.DATABASE_URL = test.url;
    process.env.TANDEM_TIMEZONE = "UTC";
    process.env.LOG_LEVEL = "error";
    workspaceId = (await ensureDefaultWorkspace(test.db.prisma, "UTC")).id;
  });
  afterAll(async () => {
    for (const key of ENV_KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    await test.drop();
  });

  it("creates a token, shows it once, and stores only its hash and a prefix", async () => {
    const created = await tandem("create", "ci");
    expect(created.code).toBe(0);
    const token = created.out.trim();
    expect(token).toMatch(/^tdm_[A-Za-z0-9_-]{43}$/);
    expect(created.err).toContain("will not be shown again");
    const row = await test.db.prisma.ingestToken.findFirstOrThrow({ where: { workspaceId, name: "ci" } });
    expect(row.tokenHash).toBe(hashToken(token));
    expect(row.tokenHash).not.toContain(token.slice(4));
    expect(row.prefix).toBe(token.slice(0, 8));
    const verified = await createTokenRepository(test.db.prisma).verify(token);
    expect(verified).toMatchObject({ workspaceId, name: "ci" });

    const listed = await tandem("list");
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/^NAME\s+TOKEN\s+CREATED\s+LAST USED\s+STATUS\n/);
    expect(listed.out).toMatch(
      new RegExp(`ci\\s+${token.slice(0, 8).replace(/[-_]/g, "\\$&")}…\\s+\\S+\\s+\\S+\\s+active`),
    );
    expect(listed.out).not.toContain(token);
  });

  it("refuses a second active token of the same name", async () => {
    const again = await tandem("create", "ci");
    expect(again.code).toBe(1);
    expect(again.err).toContain("already exists");
  });

  it("revokes a token, which then no longer verifies; the name can be reused", async () => {
    const token = (await tandem("create", "etl")).out.trim();
    const revoked = await tandem("revoke", "etl");
    expect(revoked).toMatchObject({ code: 0, out: "revoked token etl\n" });
    expect(await createTokenRepository(test.db.prisma).verify(token)).toBeNull();
    expect((await tandem("list")).out).toMatch(/etl\s+\S+\s+\S+\s+never\s+revoked /);
    expect((await tandem("revoke", "etl")).out).toBe("token etl was already revoked\n");

    const replaced = (await tandem("create", "etl")).out.trim();
    expect(replaced).not.toBe(token);
    expect(await createTokenRepository(test.db.prisma).verify(replaced)).toMatchObject({ name: "etl" });
  });

  it("says what is wrong with a bad call", async () => {
    expect((await tandem("revoke", "nope")).err).toContain("no token named nope");
    expect((await tandem("create")).err).toContain("needs a NAME");
    expect((await tandem("create", "has space")).err).toContain("token name");
    expect((await tandem("frobnicate")).code).toBe(1);
  });
});
