import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIo } from "../../../../src/adapters/cli/io.ts";
import { validateMetricsConfig } from "../../../../src/config/metrics-config.ts";
import { runCli } from "../../../../src/main/cli.ts";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../../../helpers/databases.ts";

const EXAMPLE_PATH = new URL("../../../../src/config/tandem.config.example.yaml", import.meta.url).pathname;

function capture(): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: "",
    stderr: "",
    out: (text: string) => {
      io.stdout += `${text}\n`;
    },
    err: (text: string) => {
      io.stderr += `${text}\n`;
    },
  };
  return io;
}

async function cli(...argv: string[]) {
  const io = capture();
  const code = await runCli(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe.each(DIALECTS)("tandem config on %s", (dialect) => {
  let test: TestDatabase;
  let dir: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    test = await createTestDatabase(dialect);
    dir = mkdtempSync(path.join(tmpdir(), "tandem-config-"));
    process.env.DATABASE_URL = test.url;
    process.env.LOG_LEVEL = "silent";
    process.env.TANDEM_TIMEZONE = "UTC";
  });
  afterAll(async () => {
    process.env = { ...saved };
    rmSync(dir, { recursive: true, force: true });
    await test?.drop();
  });

  it("applies the example file and prints a summary", async () => {
    const result = await cli("config", "apply", EXAMPLE_PATH);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `Applied ${EXAMPLE_PATH}: 4 departments, 21 targets, 3 custom metrics, 5 built-in metric changes, gross margin 0.8, 2 admins.\n`,
    );
  });

  it("exports the configuration in force as YAML that applies again", async () => {
    const result = await cli("config", "export");
    expect(result.code).toBe(0);
    const check = validateMetricsConfig(result.stdout);
    expect(check.ok).toBe(true);
    const example = validateMetricsConfig(readFileSync(EXAMPLE_PATH, "utf8"));
    if (!check.ok || !example.ok) throw new Error("unreachable");
    expect(check.config).toEqual(example.config);
  });

  it("applies sources, exports them with their variable names only, and forgets one no longer declared", async () => {
    const file = path.join(dir, "sources.yaml");
    const entries = [
      "sources:",
      "  - { name: crm, kind: hubspot, token_env: HUBSPOT_TOKEN }",
      "  - { name: billing, kind: stripe, token_env: STRIPE_KEY, every: 30m, rates: { EUR: 1.1 } }",
    ];
    writeFileSync(file, ["version: 1", "currency: USD", ...entries].join("\n"));
    const applied = await cli("config", "apply", file);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain("2 sources: sync with `tandem sources sync`.");
    const exported = await cli("config", "export");
    const config = validateMetricsConfig(exported.stdout);
    if (!config.ok) throw new Error(config.errors.join("\n"));
    expect(config.config.sources).toEqual([
      { name: "crm", kind: "hubspot", every: "1h", token_env: "HUBSPOT_TOKEN" },
      { name: "billing", kind: "stripe", every: "30m", token_env: "STRIPE_KEY", rates: { EUR: 1.1 } },
    ]);
    writeFileSync(file, ["version: 1", "currency: USD", ...entries.slice(0, 2)].join("\n"));
    const again = await cli("config", "apply", file);
    expect(again.stdout).toContain("Removed sources: billing");
    expect(await test.db.prisma.source.findMany({ select: { name: true } })).toEqual([{ name: "crm" }]);
    writeFileSync(file, "version: 1\n");
    expect((await cli("config", "apply", file)).code).toBe(0);
  });

  it("lists every error of an invalid file with file and line, exits 1 and applies nothing", async () => {
    const before = (await cli("config", "export")).stdout;
    const file = path.join(dir, "bad.yaml");
    writeFileSync(
      file,
      [
        "version: 1",
        "gross_margin: 0.5",
        "departments:",
        "  sales: Sales",
        "targets:",
        "  - { metric: cacc, grain: month, value: 1300 }",
        "  - { metric: mql_to_sql_rate, grain: quarter, value: 35, department: marketing }",
        "",
      ].join("\n"),
    );
    const result = await cli("config", "apply", file);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      [
        `tandem: ${file} is not valid (3 errors); nothing was applied`,
        `  ${file}:6: targets[0].metric: unknown metric "cacc" (did you mean cac?)`,
        `  ${file}:7: targets[1].department: unknown department "marketing" (declared: sales)`,
        `  ${file}:7: targets[1].value: mql_to_sql_rate is a percent: write it as a fraction from 0 to 1 (35% is 0.35), got 35`,
        "",
      ].join("\n"),
    );
    expect((await cli("config", "export")).stdout).toBe(before);
  });

  it("validates a file without touching the database", async () => {
    const result = await cli("config", "validate", EXAMPLE_PATH);
    expect(result).toEqual({ code: 0, stdout: `${EXAMPLE_PATH} is valid.\n`, stderr: "" });
  });

  it("says which file it cannot read", async () => {
    const missing = path.join(dir, "missing.yaml");
    const result = await cli("config", "apply", missing);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`tandem: cannot read ${missing}: no such file\n`);
  });

  it("refuses a file over 256 KB before reading it, in one line, and applies nothing", async () => {
    const big = path.join(dir, "big.yaml");
    writeFileSync(big, `version: 1\nadmins:\n${"  - U0123456789\n".repeat(20_000)}`);
    for (const action of ["validate", "apply"]) {
      const result = await cli("config", action, big);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`tandem: ${big}: the file is 313 KB; a metrics config is at most 256 KB\n`);
    }
    expect(validateMetricsConfig("x".repeat(256 * 1024 + 1))).toMatchObject({
      ok: false,
      errors: ["the file is 256 KB; a metrics config is at most 256 KB"],
    });
  });

  it("refuses aliases that expand without bound (a billion laughs), and nesting too deep to read", async () => {
    const laughs = [
      "version: 1",
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      ...["b", "c", "d", "e", "f", "g", "h"].map(
        (name, i) => `${name}: &${name} [${Array(9).fill(`*${"abcdefg"[i]}`).join(",")}]`,
      ),
    ].join("\n");
    const bomb = path.join(dir, "bomb.yaml");
    writeFileSync(bomb, laughs);
    const result = await cli("config", "validate", bomb);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("aliases (*name) expand to too much; each may stand for at most 100 copies");
    // a few aliases stay fine
    expect(
      validateMetricsConfig("version: 1\nadmins: &people [U1, U2]\ndepartments:\n  ops: Operations\n"),
    ).toMatchObject({ ok: true });
    const deep = path.join(dir, "deep.yaml");
    writeFileSync(deep, `version: 1\nadmins: ${"[".repeat(50_000)}${"]".repeat(50_000)}\n`);
    const nested = await cli("config", "validate", deep);
    expect(nested.code).toBe(1);
    expect(nested.stderr).toMatch(/deep\.yaml:2: YAML syntax: /);
    expect(nested.stderr).not.toMatch(/\n\s+at /);
  });

  it("finds a key written twice among thousands in one pass", () => {
    const keys = Array.from({ length: 5_000 }, (_, i) => `  d${i}: Department ${i}`);
    keys.push("  d17: Again");
    expect(validateMetricsConfig(`version: 1\ndepartments:\n${keys.join("\n")}\n`)).toMatchObject({
      ok: false,
      errors: ["line 5003: YAML syntax: Map keys must be unique"],
    });
  });

  it("explains how to call it", async () => {
    const result = await cli("config");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^tandem: missing the action: expected apply, export or validate\nusage: tandem config apply FILE/,
    );
    expect((await cli("config", "export", "--workspace", "999")).stderr).toBe("tandem: no workspace 999\n");
  });
});
