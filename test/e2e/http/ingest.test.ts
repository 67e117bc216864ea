import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createIngestRoute } from "../../../src/adapters/http/ingest.ts";
import { createMetrics, type HttpMetrics } from "../../../src/adapters/http/metrics.ts";
import { createHttpServer, type HttpServer } from "../../../src/adapters/http/server.ts";
import { createLogger } from "../../../src/core/logger.ts";
import { openDatabase } from "../../../src/store/database.ts";
import { createTokenRepository } from "../../../src/store/token-repository.ts";
import { ensureDefaultWorkspace, ensureWorkspace } from "../../../src/store/workspaces.ts";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../../helpers/databases.ts";
import { holdWriteLock } from "../../helpers/locks.ts";

describe.each(DIALECTS)("POST /api/v1/facts on %s", (dialect) => {
  let test: TestDatabase;
  let server: HttpServer;
  let metrics: HttpMetrics;
  let base: string;
  let token: string;
  let otherToken: string;
  let revokedToken: string;
  let workspaceId: number;
  let otherWorkspaceId: number;

  beforeAll(async () => {
    test = await createTestDatabase(dialect);
    workspaceId = (await ensureDefaultWorkspace(test.db.prisma, "America/New_York")).id;
    otherWorkspaceId = (
      await ensureWorkspace(test.db.prisma, { platform: "slack", externalId: "T2", name: "Other", timezone: "UTC" })
    ).id;
    const tokens = createTokenRepository(test.db.prisma);
    token = (await tokens.create(workspaceId, "ci")).token;
    otherToken = (await tokens.create(otherWorkspaceId, "other")).token;
    revokedToken = (await tokens.create(workspaceId, "old")).token;
    await tokens.revoke(workspaceId, "old");

    metrics = createMetrics();
    const logger = createLogger("silent");
    server = createHttpServer([createIngestRoute({ db: test.db, metrics, logger })], { logger, metrics });
    const port = await server.listen(0, "127.0.0.1");
    base = `http://127.0.0.1:${port}/api/v1/facts`;
  });
  afterAll(async () => {
    await server.close(1000);
    await test.drop();
  });
  beforeEach(async () => {
    await test.db.prisma.fact.deleteMany({});
  });

  const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
    fetch(base, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
  const auth = (value = token) => ({ authorization: `Bearer ${value}` });
  const count = (id = workspaceId) => test.db.prisma.fact.count({ where: { workspaceId: id } });
  const lead = (entity: string, extra: Record<string, unknown> = {}) => ({
    occurred_at: "2026-09-14T10:00:00Z",
    kind: "lead",
    entity_id: entity,
    ...extra,
  });
  const body = (facts: unknown[]) => JSON.stringify({ facts });
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by the assertions
  const json = async (response: Response): Promise<any> => response.json();

  describe("authentication", () => {
    it("answers 401 without a token", async () => {
      const response = await post(body([lead("a")]));
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect((await json(response)).error).toMatch(/missing ingest token/);
      expect(await count()).toBe(0);
    });

    it("answers 401 with a wrong, malformed or revoked token", async () => {
      const wrong = `tdm_${"A".repeat(43)}`;
      for (const value of [wrong, "not-a-token", revokedToken, `${token}x`]) {
        const response = await post(body([lead("a")]), auth(value));
        expect(response.status).toBe(401);
        expect(await json(response)).toEqual({ error: "invalid or revoked ingest token" });
      }
      const basic = await post(body([lead("a")]), { authorization: `Basic ${Buffer.from("a:b").toString("base64")}` });
      expect(basic.status).toBe(401);
      expect(await count()).toBe(0);
    });

    it("refuses every near miss of a real token: empty, truncated, prefix-only, too long, another case", async () => {
      const last = token.at(-1) === "A" ? "B" : "A";
      const nearMisses = [
        "Bearer",
        "Bearer ",
        "Bearer tdm_",
        `Bearer ${token.slice(0, -1)}`,
        `Bearer ${token.slice(0, 8)}`,
        `Bearer ${token.slice(0, token.length / 2)}`,
        `Bearer ${token}${token.slice(4)}`,
        `Bearer ${token.slice(0, -1)}${last}`,
        `Bearer ${token.toUpperCase()}`,
        `Bearer ${token.slice(4)}`,
        `Bearer ${token} ${token}`,
        `Token ${token}`,
        token,
        "",
      ];
      for (const header of nearMisses) {
        const response = await post(body([lead("a")]), { authorization: header });
        expect(response.status, `Authorization: ${header.slice(0, 20)}…`).toBe(401);
        expect((await json(response)).error).toMatch(/^(missing ingest token|invalid or revoked ingest token)/);
      }
      expect(await count()).toBe(0);
      // the unaltered token goes through: the near misses failed for their token alone
      expect((await post(body([lead("a")]), auth())).status).toBe(200);
    });

    it("records when a token was last used", async () => {
      await post(body([lead("a")]), auth());
      const row = await test.db.prisma.ingestToken.findFirstOrThrow({ where: { name: "ci" } });
      expect(row.lastUsedAt).not.toBeNull();
    });
  });

  describe("limits and validation", () => {
    it("answers 413 for a body over 10 MB", async () => {
      const filler = "x".repeat(10 * 1024 * 1024);
      const response = await post(JSON.stringify({ facts: [], filler }), auth());
      expect(response.status).toBe(413);
      expect((await json(response)).error).toMatch(/over 10 MB/);
    });

    it("answers 400 naming each bad fact by index, and writes nothing", async () => {
      const facts = [lead("a"), lead("b", { kind: "won" }), lead("c"), "text", lead("d", { segment: "upsell", x: 1 })];
      const response = await post(body(facts), auth());
      expect(response.status).toBe(400);
      expect(await json(response)).toEqual({
        error: "3 invalid facts; nothing was written",
        errors: [
          { index: 1, field: "value", message: "required for kind won" },
          { index: 3, field: "fact", message: "expected a JSON object, got a string" },
          { index: 4, field: "segment", message: "only applies to kind won, not lead" },
          {
            index: 4,
            field: "x",
            message:
              "unknown field (expected occurred_at, kind, entity_id, value, channel, department, segment, external_id)",
          },
        ],
      });
      expect(await count()).toBe(0);
    });

    it("answers 400 naming bad NDJSON lines, and writes nothing", async () => {
      const text = `${JSON.stringify(lead("a"))}\n\n{nope}\n${JSON.stringify(lead("b", { occurred_at: "2026-09-14T10:00" }))}\n`;
      const response = await post(text, { ...auth(), "content-type": "application/x-ndjson" });
      expect(response.status).toBe(400);
      const answer = await json(response);
      expect(answer.errors.map((error: { line: number; field: string }) => [error.line, error.field])).toEqual([
        [3, "record"],
        [4, "occurred_at"],
      ]);
      expect(await count()).toBe(0);
    });

    it("answers 400 for a body that is not a list of facts", async () => {
      for (const text of ["{not json", '{"rows": []}', "42"]) {
        const response = await post(text, auth());
        expect(response.status).toBe(400);
        expect(typeof (await json(response)).error).toBe("string");
      }
    });
  });

  describe("ingesting", () => {
    it("stores a JSON batch and counts duplicates by external_id", async () => {
      const facts = [
        lead("a", { external_id: "k1", channel: "Webinar" }),
        { occurred_at: "2026-09-14", kind: "won", entity_id: "a", value: 900, external_id: "k2" },
        lead("b", { external_id: "k1" }),
      ];
      const first = await post(body(facts), auth());
      expect(first.status).toBe(200);
      expect(await first.json()).toEqual({ inserted: 2, duplicates: 1, rejected: 0 });
      const again = await post(body(facts), auth());
      expect(await again.json()).toEqual({ inserted: 0, duplicates: 3, rejected: 0 });

      const stored = await test.db.prisma.fact.findMany({ where: { workspaceId }, orderBy: { id: "asc" } });
      expect(stored.map((f) => [f.kind, f.channel, f.externalId, f.segment, f.origin])).toEqual([
        ["lead", "webinar", "k1", null, "ingest"],
        ["won", null, "k2", "new", "ingest"],
      ]);
      // a bare date is midnight in the token's workspace zone (America/New_York)
      expect(new Date(Number(stored[1]?.occurredMs)).toISOString()).toBe("2026-09-14T04:00:00.000Z");
    });

    it("accepts NDJSON by content type, and by sniffing without one", async () => {
      const text = `${JSON.stringify(lead("a"))}\r\n${JSON.stringify(lead("b"))}\r\n`;
      const typed = await post(text, { ...auth(), "content-type": "application/x-ndjson" });
      expect(await typed.json()).toEqual({ inserted: 2, duplicates: 0, rejected: 0 });
      const sniffed = await fetch(base, { method: "POST", body: text, headers: { ...auth(), "content-type": "" } });
      expect(sniffed.status).toBe(200);
      expect(await count()).toBe(4);
      const single = await fetch(base, { method: "POST", body: JSON.stringify(lead("c")), headers: auth() });
      expect(await json(single)).toEqual({ inserted: 1, duplicates: 0, rejected: 0 });
      const wrapped = await fetch(base, { method: "POST", body: body([lead("d")]), headers: auth() });
      expect(await json(wrapped)).toEqual({ inserted: 1, duplicates: 0, rejected: 0 });
    });

    it("writes to the token's workspace", async () => {
      const response = await post(body([lead("z", { external_id: "shared" })]), auth(otherToken));
      expect(response.status).toBe(200);
      expect(await count(otherWorkspaceId)).toBe(1);
      expect(await count(workspaceId)).toBe(0);
      // the same external_id in another workspace is not a duplicate
      expect(await (await post(body([lead("z", { external_id: "shared" })]), auth())).json()).toMatchObject({
        inserted: 1,
      });
    });

    it("waits its turn while another writer holds the lock, and goes through once it is free", async () => {
      const lock = await holdWriteLock(dialect, test.url, "queued");
      const answered = post(body([lead("q", { external_id: "queued" })]), auth());
      await new Promise((resolve) => setTimeout(resolve, 300));
      await lock.release();
      const response = await answered;
      expect(response.status).toBe(200);
      expect(await json(response)).toEqual({ inserted: 1, duplicates: 0, rejected: 0 });
    });

    it("answers 503 with Retry-After, and writes nothing, when the lock stays taken past its wait", async () => {
      const impatient = await openDatabase(test.url, { migrate: false, writeWaitMs: 300 });
      const logger = createLogger("silent");
      const busyServer = createHttpServer([createIngestRoute({ db: impatient, logger })], { logger });
      const port = await busyServer.listen(0, "127.0.0.1");
      const lock = await holdWriteLock(dialect, test.url, "busy-1");
      try {
        const response = await fetch(`http://127.0.0.1:${port}/api/v1/facts`, {
          method: "POST",
          headers: { ...auth(), "content-type": "application/json" },
          body: body([lead("b", { external_id: "busy-1" }), lead("c", { external_id: "busy-2" })]),
        });
        expect(response.status).toBe(503);
        expect(response.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
        const answer = await json(response);
        expect(answer.error).toMatch(/^the database is busy with another write/);
        expect(JSON.stringify(answer)).not.toMatch(/SQLITE|P\d{4}|55P03|lock_timeout|stack/i);
      } finally {
        await lock.release();
        await busyServer.close(1000);
        await impatient.close();
      }
      expect(await count()).toBe(0);
    });

    it("counts ingested, duplicate and rejected facts in the metrics", async () => {
      const read = async (outcome: string) => {
        const text = await metrics.registry.getSingleMetricAsString("tandem_facts_ingested_total");
        const match = new RegExp(`tandem_facts_ingested_total\\{source="api",outcome="${outcome}"\\} (\\d+)`).exec(
          text,
        );
        return Number(match?.[1] ?? 0);
      };
      const before = {
        inserted: await read("inserted"),
        duplicate: await read("duplicate"),
        rejected: await read("rejected"),
      };
      await post(body([lead("m1", { external_id: "m" }), lead("m2", { external_id: "m" })]), auth());
      await post(body([lead("m3", { kind: "nope" })]), auth());
      expect(await read("inserted")).toBe(before.inserted + 1);
      expect(await read("duplicate")).toBe(before.duplicate + 1);
      expect(await read("rejected")).toBe(before.rejected + 1);
    });
  });
});
