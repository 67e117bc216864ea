// SIGTERM stops `tandem serve` in the right order: the listener closes before anything
// else, so a request arriving after the signal is refused and never written, while a
// request already in flight finishes and is answered; then the background work ends,
// the database closes and the process exits 0. A source sync held open by a fake CSV
// host keeps the shutdown busy (the old order stopped the jobs first and kept serving
// meanwhile), so "after SIGTERM" is a wide, certain window, not a race.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../../src/store/database.ts";
import { createTokenRepository } from "../../../src/store/token-repository.ts";
import { ensureDefaultWorkspace } from "../../../src/store/workspaces.ts";
import { baseEnv, spawnTandem, startServe } from "../../helpers/tandem-process.ts";

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };

const fact = (id: string) => ({ occurred_at: "2026-09-14T10:30:00Z", kind: "lead", entity_id: id, external_id: id });
const factsBody = (id: string) => JSON.stringify({ facts: [fact(id)] });

function answerOf(req: http.ClientRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    req.on("error", reject);
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
  });
}

/** A CSV host that holds every request until released: a source sync in flight for as long as the test needs. */
async function startHeldCsvHost() {
  let arrived: () => void = () => {};
  const requested = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  const held: http.ServerResponse[] = [];
  const server = http.createServer((_req, res) => {
    held.push(res);
    arrived();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sheet.csv`,
    requested,
    release() {
      for (const res of held.splice(0)) {
        res.writeHead(200, { "content-type": "text/csv" });
        res.end("occurred_at,kind,entity_id,external_id\n2026-09-01T00:00:00Z,lead,sheet-1,sheet-1\n");
      }
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("tandem serve on SIGTERM", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "tandem-shutdown-"));
  const url = `file:${path.join(dir, "tandem.db")}`;
  let token: string;
  let csv: Awaited<ReturnType<typeof startHeldCsvHost>>;

  beforeAll(async () => {
    const db = await openDatabase(url);
    const workspace = await ensureDefaultWorkspace(db.prisma, "UTC");
    ({ token } = await createTokenRepository(db.prisma).create(workspace.id, "probe"));
    // a fact already there: local mode does not load the demo
    await db.prisma.fact.create({
      data: { workspaceId: workspace.id, occurredMs: 0n, kind: "lead", externalId: "before", origin: "import" },
    });
    await db.close();
    csv = await startHeldCsvHost();
    writeFileSync(
      path.join(dir, "tandem.config.yaml"),
      ["version: 1", "sources:", "  - name: sheet", "    kind: csv_url", `    url: ${csv.url}`].join("\n"),
    );
    const apply = spawnTandem(["config", "apply", "tandem.config.yaml"], {
      cwd: dir,
      env: baseEnv({ DATABASE_URL: url, LOG_LEVEL: "error" }),
    });
    expect(await apply.exited, apply.stderr()).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await csv?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses requests that arrive after the signal, finishes the one in flight, and exits 0", async () => {
    const serve = await startServe({ cwd: dir, env: { DATABASE_URL: url }, readyMs: 120_000 });
    const { port } = new URL(serve.url);
    const ingest = (id: string, agent: http.Agent | false) =>
      answerOf(
        http
          .request({
            port,
            host: "127.0.0.1",
            method: "POST",
            path: "/api/v1/facts",
            agent,
            headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          })
          .end(factsBody(id)),
      );
    try {
      // the scheduler's first tick is syncing the source, held by the CSV host
      await csv.requested;

      // a kept-alive connection, idle when the signal comes
      const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const first = await answerOf(http.get({ port, host: "127.0.0.1", path: "/healthz", agent: keepAlive }));
      expect(first.status).toBe(200);

      // a request in flight: the server has started on it (100 Continue) but its body is still to come
      const body = factsBody("in-flight");
      const inFlight = http.request({
        port,
        host: "127.0.0.1",
        method: "POST",
        path: "/api/v1/facts",
        agent: false,
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          expect: "100-continue",
        },
      });
      const inFlightAnswer = answerOf(inFlight);
      await new Promise((resolve) => inFlight.once("continue", resolve));

      serve.child.kill("SIGTERM");
      await serve.waitForStderr(/"msg":"shutting down"/);

      // after the signal: a new connection is refused, the kept-alive one answers nothing it processed
      await expect(ingest("new-connection", false)).rejects.toMatchObject({ code: "ECONNREFUSED" });
      const reused = await ingest("kept-alive", keepAlive).catch((error: NodeJS.ErrnoException) => error);
      if (!(reused instanceof Error)) {
        expect(reused.status).toBe(503);
        expect(reused.headers.connection).toBe("close");
      }
      keepAlive.destroy();

      // the request in flight completes and is answered
      inFlight.end(body);
      const answered = await inFlightAnswer;
      expect(answered.status, answered.body).toBe(200);
      expect(JSON.parse(answered.body)).toMatchObject({ inserted: 1 });
      expect(answered.headers.connection).toBe("close");

      csv.release();
      expect(await serve.exited).toBe(0);
    } finally {
      csv.release();
      await serve.stop();
    }

    const db = await openDatabase(url, { migrate: false });
    try {
      const written = await db.prisma.fact.findMany({ where: { origin: "ingest" }, select: { externalId: true } });
      expect(written.map((row) => row.externalId)).toEqual(["in-flight"]);
    } finally {
      await db.close();
    }
  }, 180_000);
});
