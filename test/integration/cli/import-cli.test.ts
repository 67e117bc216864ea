import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../../src/main/cli.ts";
import { ensureDefaultWorkspace } from "../../../src/store/workspaces.ts";
import { captureIo } from "../../helpers/cli-io.ts";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../../helpers/databases.ts";

const ENV_KEYS = ["DATABASE_URL", "TANDEM_TIMEZONE", "LOG_LEVEL"] as const;
const HEADER = "occurred_at,kind,entity_id,value,channel,department,segment,external_id";

describe.each(DIALECTS)("tandem import on %s", (dialect) => {
  let test: TestDatabase;
  let dir: string;
  let workspaceId: number;
  const saved: Partial<Record<(typeof ENV_KEYS)[number], string>> = {};

  function file(name: string, text: string): string {
    const target = path.join(dir, name);
    writeFileSync(target, text);
    return target;
  }

  async function tandem(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    const io = captureIo();
    const code = await runCli(["import", ...args], io);
    return { code, out: io.stdout, err: io.stderr };
  }

  const facts = async () =>
    (await test.db.prisma.fact.findMany({ where: { workspaceId }, orderBy: { id: "asc" } })).map((f) => ({
      at: new Date(Number(f.occurredMs)).toISOString(),
      kind: f.kind,
      entity: f.entityId,
      value: f.value,
      channel: f.channel,
      external: f.externalId,
    }));

  beforeAll(async () => {
    for (const key of ENV_KEYS) saved[key] = process.env[key];
    test = await createTestDatabase(dialect);
    process.env.DATABASE_URL = test.url;
    process.env.TANDEM_TIMEZONE = "America/New_York";
    process.env.LOG_LEVEL = "error";
    workspaceId = (await ensureDefaultWorkspace(test.db.prisma, "America/New_York")).id;
    dir = mkdtempSync(path.join(tmpdir(), "tandem-import-"));
  });
  afterAll(async () => {
    for (const key of ENV_KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    await test.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await test.db.prisma.fact.deleteMany({});
  });

  it("imports a CSV with BOM, CRLF and quoting, counting duplicates within the file", async () => {
    const csv = file(
      "facts.csv",
      `\uFEFF${HEADER}\r\n` +
        "2026-09-14,lead,e1,,Paid_Search,,,crm-1\r\n" +
        '2026-09-14T10:30:00-04:00,won,"Acme, Inc.",1200.5,webinar,,upsell,crm-2\r\n' +
        "2026-09-15,lead,e2,,,,,crm-1\r\n" +
        "2026-09-16,spend,,300,ads,marketing,,\r\n",
    );
    const result = await tandem(csv);
    expect(result).toMatchObject({ code: 0, out: "inserted 3, duplicates 1, rejected 0\n", err: "" });
    expect(await facts()).toEqual([
      {
        at: "2026-09-14T04:00:00.000Z",
        kind: "lead",
        entity: "e1",
        value: null,
        channel: "paid_search",
        external: "crm-1",
      },
      {
        at: "2026-09-14T14:30:00.000Z",
        kind: "won",
        entity: "Acme, Inc.",
        value: 1200.5,
        channel: "webinar",
        external: "crm-2",
      },
      { at: "2026-09-16T04:00:00.000Z", kind: "spend", entity: null, value: 300, channel: "ads", external: null },
    ]);
  });

  it("counts facts already stored as duplicates on a second import", async () => {
    const csv = file("again.csv", `${HEADER}\n2026-09-14,lead,e1,,,,,k1\n2026-09-14,lead,e2,,,,,k2\n`);
    expect((await tandem(csv)).out).toBe("inserted 2, duplicates 0, rejected 0\n");
    const more = file("more.csv", `${HEADER}\n2026-09-14,lead,e1,,,,,k1\n2026-09-15,lead,e3,,,,,k3\n`);
    expect((await tandem(more)).out).toBe("inserted 1, duplicates 1, rejected 0\n");
    expect(await test.db.prisma.fact.count()).toBe(3);
    expect(await test.db.prisma.fact.count({ where: { origin: "import" } })).toBe(3);
  });

  it("writes nothing when a row in the middle is invalid, names every bad line, exits 1", async () => {
    const lines = [HEADER];
    for (let i = 0; i < 30; i++) lines.push(`2026-09-14,lead,e${i},,,,,`);
    lines[10] = "2026-09-14,nps,e9,11,,,,";
    lines[20] = "2026-02-30,lead,e19,,,,,";
    lines[25] = '2026-09-14,lead,"multi\nline",,,,';
    const csv = file("bad.csv", `${lines.join("\n")}\n`);
    const result = await tandem(csv);
    expect(result.code).toBe(1);
    expect(result.out).toBe("inserted 0, duplicates 0, rejected 3\n");
    expect(result.err).toContain("line 11: value: must be an integer 0–10 for kind nps, got 11\n");
    expect(result.err).toContain('line 21: occurred_at: not a real date: "2026-02-30"\n');
    expect(result.err).toContain("line 26: record: expected 8 columns as in the header, got 7\n");
    expect(result.err).toContain("nothing was written");
    expect(await test.db.prisma.fact.count()).toBe(0);
  });

  it("with --skip-invalid writes the valid rows, reports the bad ones, exits 0", async () => {
    const csv = file(
      "mixed.csv",
      `${HEADER}\n2026-09-14,lead,e1,,,,,\n2026-09-14,won,e1,,,,,\n2026-09-15,mql,e1,,,,,\n`,
    );
    const result = await tandem(csv, "--skip-invalid");
    expect(result).toMatchObject({ code: 0, out: "inserted 2, duplicates 0, rejected 1\n" });
    expect(result.err).toBe("line 3: value: required for kind won\n");
    expect(await test.db.prisma.fact.count()).toBe(2);
  });

  it("refuses a header with unknown columns, even with --skip-invalid", async () => {
    const csv = file("header.csv", "occurred_at,kind,amount\n2026-09-14,lead,3\n");
    const result = await tandem(csv, "--skip-invalid");
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^line 1: header: unknown column "amount"/);
    expect(result.err).toContain("nothing was written");
    expect(await test.db.prisma.fact.count()).toBe(0);
  });

  it("imports NDJSON, by extension or by content", async () => {
    const text =
      '{"occurred_at":"2026-09-14","kind":"lead","entity_id":"n1"}\n\n{"occurred_at":"2026-09-14T08:00:00Z","kind":"csat","entity_id":"n1","value":4}\n';
    expect((await tandem(file("facts.ndjson", text))).out).toBe("inserted 2, duplicates 0, rejected 0\n");
    expect((await tandem(file("facts.txt", text))).out).toBe("inserted 2, duplicates 0, rejected 0\n");
    const bad = await tandem(
      file("bad.jsonl", '{"occurred_at":"2026-09-14","kind":"lead","entity_id":"n1"}\n{oops}\n7\n'),
    );
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/line 2: record: not valid JSON/);
    expect(bad.err).toContain("line 3: record: expected a JSON object, got a number");
  });

  it("says so when the file is missing, and exits 1", async () => {
    const result = await tandem(path.join(dir, "nope.csv"));
    expect(result.code).toBe(1);
    expect(result.err).toContain("cannot read");
    expect(result.err).toContain("no such file");
  });

  it("explains its usage when the file is not given", async () => {
    const result = await tandem();
    expect(result.code).toBe(1);
    expect(result.err).toContain("usage: tandem import FILE [--skip-invalid]");
  });

  it("says in one line that there is nothing to import for an empty file or a header alone, and exits 0", async () => {
    for (const [name, text, why] of [
      ["zero.csv", "", "zero.csv is empty"],
      ["header.csv", `${HEADER}\r\n`, "header.csv holds no facts"],
      ["blank.ndjson", "\n\n", "blank.ndjson holds no facts"],
      ["none.json", '{"facts": []}', "none.json holds no facts"],
    ] as const) {
      const { code, out, err } = await tandem(file(name, text));
      expect(code).toBe(0);
      expect(out).toBe(`nothing to import: ${path.join(dir, why)} (inserted 0, duplicates 0, rejected 0)\n`);
      expect(err).toBe("");
    }
  });

  it("parses --wait, and refuses a wait that is not a number of seconds", async () => {
    for (const bad of ["soon", "-1", "1.5", "999999"]) {
      const { code, err } = await tandem(file("w.csv", `${HEADER}\n`), "--wait", bad);
      expect(code).toBe(1);
      expect(err).toMatch(/^tandem: --wait expects a number of seconds, 0 to 99999\n/);
    }
    expect((await tandem(file("w.csv", `${HEADER}\n`), "--wait", "0")).code).toBe(0);
  });
});
