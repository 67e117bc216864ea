// Writers never starve readers: `tandem serve` processes and `tandem import` processes on
// one database, as an operator runs them. A long import (its rows streamed in for as long
// as the test needs, so it is certainly still running when the probes arrive) holds the
// write lock; meanwhile the servers answer /healthz and signed /kpi requests, an ingest
// call is refused with 503 and Retry-After (or, on PostgreSQL, goes through when its
// facts do not collide with the import's), a new server starts, and a second import
// waits its turn or says in one line that another import is running. Assertions are on
// outcomes and order (answered while the import still ran), never on durations.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Writable } from "node:stream";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Dialect, openDatabase, sqlitePath } from "../../../src/store/database.ts";
import { createTokenRepository } from "../../../src/store/token-repository.ts";
import { ensureDefaultWorkspace } from "../../../src/store/workspaces.ts";
import { type FakeSlack, startFakeSlack } from "../../fakes/slack-api.ts";
import { createEmptyDatabaseUrl, DIALECTS } from "../../helpers/databases.ts";
import { sqliteWriteLockHeld } from "../../helpers/locks.ts";
import { postSigned, slashCommandBody } from "../../helpers/slack-sign.ts";
import {
  baseEnv,
  type ServeProcess,
  spawnTandem,
  startServe,
  type TandemProcess,
} from "../../helpers/tandem-process.ts";
import { answerText } from "../slack/slack-server.ts";

const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const HEADER = "occurred_at,kind,entity_id,value,channel,department,segment,external_id\n";

const row = (id: string) => `2026-09-14T10:30:00Z,lead,${id},,webinar,,,${id}\n`;

/** Streams generated rows into an import's stdin until stopped; returns how many went in. */
function feed(stdin: Writable, prefix: string, first: string[] = []): { stop(): Promise<number> } {
  let stopping = false;
  let count = first.length;
  const done = (async () => {
    stdin.write(HEADER + first.map(row).join(""));
    while (!stopping) {
      let chunk = "";
      for (let i = 0; i < 2_000; i++) chunk += row(`${prefix}-${count++}`);
      if (!stdin.write(chunk)) await new Promise((resolve) => stdin.once("drain", resolve));
    }
    await new Promise<void>((resolve) => stdin.end(resolve));
    return count;
  })();
  return {
    stop: () => {
      stopping = true;
      return done;
    },
  };
}

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** PostgreSQL: whether another session's open transaction has written to facts. */
async function postgresFactsLocked(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
       WHERE c.relname = 'facts' AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()
         AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    return Number(rows[0]?.n) > 0;
  } finally {
    await client.end();
  }
}

type Probe<T> = { value: T; importRunning: boolean };

/** Runs `work` and notes whether `running` was still true when it finished. */
async function probe<T>(running: () => boolean, work: () => Promise<T>): Promise<Probe<T>> {
  const value = await work();
  return { value, importRunning: running() };
}

describe.each(DIALECTS)("tandem serve and tandem import on one %s database", (dialect: Dialect) => {
  const dir = mkdtempSync(path.join(tmpdir(), "tandem-shared-"));
  let url: string;
  let drop: () => Promise<void>;
  let token: string;
  let fake: FakeSlack;
  let env: Record<string, string>;
  const servers: ServeProcess[] = [];
  const imports: TandemProcess[] = [];

  const serve = async () => {
    const server = await startServe({ cwd: dir, env });
    servers.push(server);
    return server;
  };
  const runImport = (args: string[]) => {
    const child = spawnTandem(["import", ...args], { cwd: dir, env: baseEnv({ DATABASE_URL: url }) });
    imports.push(child);
    return child;
  };
  const kpi = async (server: ServeProcess, text: string, userId = "U0001") => {
    const id = `r-${Math.random().toString(36).slice(2)}`;
    const body = slashCommandBody({ text, userId, responseUrl: fake.responseUrl(id) });
    const ack = await postSigned(`${server.url}/slack/events`, SIGNING_SECRET, body);
    if (ack.status !== 200) return { status: ack.status, text: ack.text };
    const answer =
      ack.text !== "" ? ack.json() : (await fake.waitFor(() => fake.responses.find((r) => r.id === id), 90_000)).body;
    return { status: ack.status, text: answerText(answer as { text?: string; blocks?: unknown[] }) };
  };
  const ingest = (server: ServeProcess, ids: string[]) =>
    fetch(`${server.url}/api/v1/facts`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/x-ndjson" },
      body: ids
        .map((id) => JSON.stringify({ occurred_at: "2026-09-15", kind: "lead", entity_id: id, external_id: id }))
        .join("\n"),
    });
  const importHoldsLock = () =>
    dialect === "sqlite" ? sqliteWriteLockHeld(sqlitePath(url)) : postgresFactsLocked(url);

  beforeAll(async () => {
    ({ url, drop } = await createEmptyDatabaseUrl(dialect));
    const db = await openDatabase(url);
    const workspace = await ensureDefaultWorkspace(db.prisma, "UTC");
    ({ token } = await createTokenRepository(db.prisma).create(workspace.id, "probe"));
    await db.close();
    fake = await startFakeSlack();
    env = {
      DATABASE_URL: url,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: "xoxb-test-token",
      SLACK_API_URL: fake.apiUrl,
      TANDEM_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
    };
  });

  afterAll(async () => {
    for (const child of imports) if (child.running()) child.child.kill("SIGKILL");
    await Promise.all(servers.map((server) => server.stop()));
    await fake?.close();
    await drop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps answering, starts, and lets a second import wait while a long import writes", async () => {
    const first = await serve();
    const importing = runImport(["-"]);
    const feeding = feed(importing.child.stdin, "bulk", ["shared-1"]);
    await until(importHoldsLock, "the import to hold its lock");
    const running = () => importing.running();

    const [health, snapshot, blocked, colliding, joined] = await Promise.all([
      probe(running, () => fetch(`${first.url}/healthz`)),
      probe(running, () => kpi(first, "leads 2026-09")),
      // does not collide with the import's facts: SQLite still has to wait for its one writer
      probe(running, () => ingest(first, ["api-1"])),
      // collides with an external_id the import has written but not committed
      probe(running, () => ingest(first, ["shared-1"])),
      probe(running, () => kpi(first, "join marketing", "UJOIN")),
    ]);
    expect(health.value.status).toBe(200);
    expect(health.importRunning).toBe(true);
    expect(snapshot.value.status).toBe(200);
    expect(snapshot.value.text).toContain("Leads");
    expect(snapshot.value.text).not.toContain("something went wrong");
    expect(snapshot.importRunning).toBe(true);
    for (const refused of dialect === "sqlite" ? [blocked, colliding] : [colliding]) {
      expect(refused.value.status).toBe(503);
      expect(refused.value.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(((await refused.value.json()) as { error: string }).error).toContain("the database is busy");
      expect(refused.importRunning).toBe(true);
    }
    if (dialect === "postgres") {
      // row locks only on the colliding external_id: other facts go in at once
      expect(blocked.value.status).toBe(200);
      expect(await blocked.value.json()).toMatchObject({ inserted: 1 });
    }
    expect(joined.importRunning).toBe(true);
    expect(joined.value.text).not.toContain("something went wrong");
    // SQLite: the join waited its bounded time and then said so; PostgreSQL: no conflict
    expect(joined.value.text).toContain(dialect === "sqlite" ? "the database is busy" : "You're in *Marketing* now");

    // a second server starts, and answers, while the import runs
    const second = await serve();
    const secondHealth = await probe(running, () => fetch(`${second.url}/healthz`));
    expect(secondHealth.value.status).toBe(200);
    expect(secondHealth.importRunning).toBe(true);

    if (dialect === "sqlite") {
      // local mode on a database without facts yet: the demo cannot go in while the import
      // writes, so the server starts without it and says so
      const local = await startServe({ cwd: dir, env: { DATABASE_URL: url } });
      servers.push(local);
      expect(local.stderr()).toContain('"msg":"local mode: the demo data set was not loaded, the database is busy"');
      expect((await fetch(`${local.url}/healthz`)).status).toBe(200);
      expect(importing.running()).toBe(true);
      await local.stop();
    }

    const small = path.join(dir, "small.csv");
    writeFileSync(small, HEADER + row("small-1") + row("small-2"));
    if (dialect === "sqlite") {
      // a second import that will not wait says so in one line, and exits 75
      const impatient = runImport([small, "--wait", "0"]);
      expect(await impatient.exited).toBe(75);
      expect(importing.running()).toBe(true);
      expect(impatient.stderr().trim().split("\n")).toEqual([
        expect.stringMatching(/^tandem: another import is still writing to this database/),
      ]);
      // one that may wait, waits its turn and then imports
      const patient = runImport([small, "--wait", "300"]);
      await patient.waitForStderr(/waiting up to 300 s/);
      expect(patient.running()).toBe(true);
      const fed = await feeding.stop();
      expect(await importing.exited).toBe(0);
      expect(importing.stdout()).toContain(`inserted ${fed}, duplicates 0, rejected 0`);
      expect(patient.running() || (await patient.exited) === 0).toBe(true);
      expect(await patient.exited).toBe(0);
      expect(patient.stdout()).toContain("inserted 2, duplicates 0, rejected 0");
    } else {
      // PostgreSQL: imports of different facts run side by side
      const alongside = runImport([small]);
      expect(await alongside.exited).toBe(0);
      expect(importing.running()).toBe(true);
      // one that collides waits for the row lock as long as --wait says, then exits 75
      writeFileSync(small, HEADER + row("shared-1"));
      const impatient = runImport([small, "--wait", "1"]);
      expect(await impatient.exited).toBe(75);
      expect(importing.running()).toBe(true);
      expect(impatient.stderr()).toMatch(/^tandem: another import is still writing to this database/m);
      expect(impatient.stderr()).not.toMatch(/\n\s+at /);
      const fed = await feeding.stop();
      expect(await importing.exited).toBe(0);
      expect(importing.stdout()).toContain(`inserted ${fed}, duplicates 0, rejected 0`);
    }

    // after the import, the refused ingest goes through when tried again
    const retried = await ingest(first, ["api-1", "shared-1"]);
    expect(retried.status).toBe(200);
  }, 240_000);

  it("never answers 'something went wrong' when two servers take joins at once", async () => {
    const live = servers.filter((server) => server.running());
    const [a, b] = live.length >= 2 ? (live as [ServeProcess, ServeProcess]) : await Promise.all([serve(), serve()]);
    const users = Array.from({ length: 24 }, (_, i) => `UJ${i}`);
    const answers = await Promise.all(
      users.map((user, i) => kpi(i % 2 === 0 ? a : b, `join ${i % 3 === 0 ? "sales" : "marketing"}`, user)),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.text).toMatch(/You're in \*(Sales|Marketing)\* now/);
    }
    const db = await openDatabase(url, { migrate: false });
    try {
      expect(await db.prisma.member.count({ where: { userId: { in: users }, platform: "slack" } })).toBe(users.length);
    } finally {
      await db.close();
    }
  }, 120_000);
});
