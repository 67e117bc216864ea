// Slack bench: signed `/kpi` requests per second and p95 latency through the real
// server (signature check, Bolt, the KPI engine on 1,000,000 facts in SQLite,
// Block Kit), next to a bare Node HTTP server in the same run that verifies the
// same signature and answers a constant: the floor of the transport.
// 127.0.0.1 only; every loop is bounded by a request count.
import { timingSafeEqual } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createHttpServer } from "../../src/adapters/http/server.ts";
import { computeSlackSignature } from "../../src/adapters/slack/verify-signature.ts";
import type { AppContext } from "../../src/app/context.ts";
import { parseEnv } from "../../src/config/env.ts";
import { createLogger } from "../../src/core/logger.ts";
import { createSurfaces } from "../../src/main/serve.ts";
import { openDatabase } from "../../src/store/database.ts";
import { ensureDefaultWorkspace } from "../../src/store/workspaces.ts";
import { startFakeSlack } from "../fakes/slack-api.ts";
import { slackSignatureHeaders, slashCommandBody } from "../helpers/slack-sign.ts";
import { generateBenchFacts, SPAN_END_MS } from "./kpi-bench-data.ts";
import { loadSqlite } from "./kpi-bench-load.ts";

const SECRET = "bench-signing-secret";
const FACTS = Number(process.env.BENCH_FACTS ?? 1_000_000);
const CONCURRENCY = 4;
const COMMANDS = ["cac 2026-09", "new_revenue 2026-Q3", "funnel 2026-09", "compare marketing sales 2026-09", ""];
const APP_REQUESTS_PER_COMMAND = Number(process.env.BENCH_SLACK_REQUESTS ?? 40);
const BASELINE_REQUESTS = 4_000;

/** ms: until the answer was in hand; ackMs: until the HTTP response (what Slack's 3 s limit is about) */
type Sample = { ms: number; ackMs: number; ok: boolean };
type Outcome = { ok: boolean; ackMs?: number };

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** Sends `total` requests, `CONCURRENCY` at a time; returns per-request latencies and the wall time. */
async function drive(
  total: number,
  send: (i: number) => Promise<Outcome>,
): Promise<{ samples: Sample[]; wallMs: number }> {
  const samples: Sample[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        const outcome = await send(i).catch((): Outcome => ({ ok: false }));
        const ms = performance.now() - t0;
        samples.push({ ms, ackMs: outcome.ackMs ?? ms, ok: outcome.ok });
      }
    }),
  );
  return { samples, wallMs: performance.now() - started };
}

function report(name: string, result: { samples: Sample[]; wallMs: number }): void {
  const sorted = result.samples.map((s) => s.ms).sort((a, b) => a - b);
  const acks = result.samples.map((s) => s.ackMs).sort((a, b) => a - b);
  const failed = result.samples.filter((s) => !s.ok).length;
  const perSecond = (result.samples.length / result.wallMs) * 1000;
  console.log(
    `${name.padEnd(44)} ${perSecond.toFixed(1).padStart(8)} req/s   p50 ${percentile(sorted, 50).toFixed(1).padStart(7)} ms   ` +
      `p95 ${percentile(sorted, 95).toFixed(1).padStart(7)} ms   max ${(sorted.at(-1) ?? 0).toFixed(1).padStart(7)} ms   ` +
      `ack p95 ${percentile(acks, 95).toFixed(1).padStart(7)} ms` +
      (failed > 0 ? `   ${failed} FAILED` : ""),
  );
}

/** The floor: Node's http, the same v0 signature check, a constant answer. */
async function startBaseline(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const timestamp = String(req.headers["x-slack-request-timestamp"] ?? "");
    const given = Buffer.from(String(req.headers["x-slack-signature"] ?? ""));
    const expected = Buffer.from(computeSlackSignature(SECRET, timestamp, raw));
    const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) <= 300;
    if (!fresh || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.writeHead(401).end();
      return;
    }
    const body = JSON.stringify({ response_type: "ephemeral", text: "ok" });
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function signedPost(url: string, body: string): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...slackSignatureHeaders(SECRET, body) },
    body,
  });
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "tandem-slack-bench-"));
  const fake = await startFakeSlack();
  const url = `file:${path.join(dir, "bench.db")}`;
  const db = await openDatabase(url);
  try {
    const workspace = await ensureDefaultWorkspace(db.prisma, "UTC");
    const t0 = performance.now();
    loadSqlite(path.join(dir, "bench.db"), workspace.id, generateBenchFacts(FACTS));
    console.log(
      `loaded ${FACTS.toLocaleString("en-US")} facts into SQLite in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const env = parseEnv({
      DATABASE_URL: url,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: "xoxb-bench",
      SLACK_API_URL: fake.apiUrl,
      LOG_LEVEL: "silent",
    });
    const logger = createLogger("silent");
    // the bench's data ends on 1 Oct 2026; "now" just after it keeps `/kpi` on September
    const ctx: AppContext = {
      env,
      db,
      workspace,
      clock: { now: () => new Date(SPAN_END_MS + 86_400_000) },
      logger,
      close: async () => {},
    };
    // the server's own wiring, as `tandem serve` builds it
    const { slack } = createSurfaces(ctx, { secret: Buffer.alloc(32, 1) });
    if (!slack) throw new Error("Slack did not start");
    const http = createHttpServer(slack.routes, { logger });
    const port = await http.listen(0, "127.0.0.1");
    const events = `http://127.0.0.1:${port}/slack/events`;
    const baseline = await startBaseline();

    let seq = 0;
    const kpi = async (text: string): Promise<Outcome> => {
      const id = `b${seq++}`;
      const t0 = performance.now();
      const response = await signedPost(events, slashCommandBody({ text, responseUrl: fake.responseUrl(id) }));
      const body = await response.text();
      const ackMs = performance.now() - t0;
      if (response.status !== 200) return { ok: false, ackMs };
      if (body !== "") return { ok: body.includes('"blocks"'), ackMs };
      // answered after the ack: wait for the response_url post (bounded by waitFor)
      await fake.waitFor(() => fake.responses.find((r) => r.id === id), 30_000);
      return { ok: true, ackMs };
    };

    console.log(`${CONCURRENCY} concurrent clients, 127.0.0.1, signed form-encoded slash commands`);
    for (const text of COMMANDS) await kpi(text); // warm-up: Bolt's first auth, the query plans
    const constant = slashCommandBody({ text: "cac 2026-09", responseUrl: fake.responseUrl("baseline") });
    report(
      "bare node:http, verify + constant answer",
      await drive(BASELINE_REQUESTS, async () => ({
        ok: (await (await signedPost(baseline.url, constant)).text()).includes("ok"),
      })),
    );
    const all: Sample[] = [];
    let allWall = 0;
    // how long the server's event loop was stuck at once: while it is, nothing is acknowledged
    const stalls = monitorEventLoopDelay({ resolution: 10 });
    stalls.enable();
    for (const text of COMMANDS) {
      const result = await drive(APP_REQUESTS_PER_COMMAND, () => kpi(text));
      all.push(...result.samples);
      allWall += result.wallMs;
      report(`tandem /kpi ${text || "(scorecard)"}`, result);
    }
    report("tandem /kpi, all of the above", { samples: all, wallMs: allWall });
    stalls.disable();
    console.log(
      `event loop blocked at most ${(stalls.max / 1e6).toFixed(0)} ms at a time (p99 ${(stalls.percentile(99) / 1e6).toFixed(0)} ms) ` +
        `while tandem answered; the load generator shares that loop, so latencies include its waits`,
    );

    await baseline.close();
    await slack.stop();
    await http.close(1_000);
  } finally {
    await db.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
