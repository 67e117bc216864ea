// The demo kept apart from real data: `tandem demo` tags its facts and targets as demo;
// a real `tandem import` or ingest call into a workspace still holding them stops with
// one line saying what to do; `tandem demo remove` removes exactly the demo's rows.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIngestRoute } from "../../../src/adapters/http/ingest.ts";
import { createHttpServer, type HttpServer } from "../../../src/adapters/http/server.ts";
import { DEMO_DATA_REFUSAL } from "../../../src/core/demo/demo-guard.ts";
import { createLogger } from "../../../src/core/logger.ts";
import { runCli } from "../../../src/main/cli.ts";
import { setTarget } from "../../../src/store/kpi-settings.ts";
import { createTokenRepository } from "../../../src/store/token-repository.ts";
import { ensureDefaultWorkspace } from "../../../src/store/workspaces.ts";
import { captureIo } from "../../helpers/cli-io.ts";
import { createTestDatabase, type TestDatabase } from "../../helpers/databases.ts";

const ENV_KEYS = ["DATABASE_URL", "LOG_LEVEL", "TANDEM_KEEP_DEMO"] as const;

describe("the demo kept apart (tandem demo, import, ingest, demo remove)", () => {
  let test: TestDatabase;
  let dir: string;
  let workspaceId: number;
  let server: HttpServer;
  let ingestUrl: string;
  let token: string;
  const saved: Partial<Record<(typeof ENV_KEYS)[number], string>> = {};

  async function tandem(...args: string[]) {
    const io = captureIo();
    const code = await runCli(args, io);
    return { code, out: io.stdout, err: io.stderr };
  }
  const csv = (name: string, entity: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, `occurred_at,kind,entity_id,external_id\n2026-11-03T10:00:00Z,lead,${entity},real-${entity}\n`);
    return file;
  };
  const ingest = (entity: string) =>
    fetch(ingestUrl, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ facts: [{ occurred_at: "2026-11-04T10:00:00Z", kind: "lead", entity_id: entity }] }),
    });
  const count = (origin: string) => test.db.prisma.fact.count({ where: { workspaceId, origin } });

  beforeAll(async () => {
    for (const key of ENV_KEYS) saved[key] = process.env[key];
    test = await createTestDatabase("sqlite");
    process.env.DATABASE_URL = test.url;
    process.env.LOG_LEVEL = "error";
    delete process.env.TANDEM_KEEP_DEMO;
    workspaceId = (await ensureDefaultWorkspace(test.db.prisma, "UTC")).id;
    dir = mkdtempSync(path.join(tmpdir(), "tandem-demo-"));
    token = (await createTokenRepository(test.db.prisma).create(workspaceId, "crm")).token;
    const logger = createLogger("silent");
    server = createHttpServer([createIngestRoute({ db: test.db, logger })], { logger });
    ingestUrl = `http://127.0.0.1:${await server.listen(0, "127.0.0.1")}/api/v1/facts`;
  });
  afterAll(async () => {
    for (const key of ENV_KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    await server?.close(1000);
    await test?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses real data while the demo is there, keeps it deliberately when asked, and removes only the demo", async () => {
    // a target of the team's own, set before the demo: the demo leaves it as it is
    await setTarget(test.db.prisma, workspaceId, { metric: "cac", grain: "month", value: 3900, department: null }, "t");
    const loaded = await tandem("demo");
    expect(loaded.code).toBe(0);
    expect(loaded.out).toContain("`tandem demo remove` removes it");
    const demoFacts = await count("demo");
    expect(demoFacts).toBeGreaterThan(1000);
    const demoTargets = await test.db.prisma.target.count({ where: { workspaceId, origin: "demo" } });
    expect(demoTargets).toBe(6);

    const refused = await tandem("import", csv("leads.csv", "L1"));
    expect(refused.code).toBe(1);
    expect(refused.err).toBe(`tandem: ${DEMO_DATA_REFUSAL}\n`);
    expect(refused.err.trim().split("\n")).toHaveLength(1);
    const ingested = await ingest("L2");
    expect(ingested.status).toBe(409);
    expect(await ingested.json()).toEqual({ error: DEMO_DATA_REFUSAL });
    expect(await count("import")).toBe(0);
    expect(await count("ingest")).toBe(0);

    const kept = await tandem("import", csv("kept.csv", "L3"), "--keep-demo");
    expect(kept.code).toBe(0);
    expect(await count("import")).toBe(1);

    const removed = await tandem("demo", "remove");
    expect(removed.code).toBe(0);
    expect(removed.out).toBe(
      `removed the demo's ${demoFacts.toLocaleString("en-US")} facts and 6 targets; your own facts, targets and tokens are untouched\n`,
    );
    expect(await count("demo")).toBe(0);
    expect(await count("import")).toBe(1);
    const targets = await test.db.prisma.target.findMany({ where: { workspaceId } });
    expect(targets.map((t) => [t.metricKey, t.value, t.origin])).toEqual([["cac", 3900, "user"]]);
    expect(await test.db.prisma.ingestToken.count({ where: { workspaceId } })).toBe(1);

    expect((await tandem("import", csv("after.csv", "L4"))).code).toBe(0);
    expect((await ingest("L5")).status).toBe(200);
    expect(await count("import")).toBe(2);
    expect(await count("ingest")).toBe(1);
    expect((await tandem("demo", "remove")).out).toBe("no demo data here: nothing to remove\n");
  }, 180_000);

  it("names a demo subcommand it does not know", async () => {
    const wrong = await tandem("demo", "delete");
    expect(wrong.code).not.toBe(0);
    expect(wrong.err).toContain('unknown demo command "delete"');
    expect(wrong.err).toContain("usage: tandem demo [remove] [--workspace ID]");
  });
});
