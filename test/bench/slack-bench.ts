// `npm run bench -- slack [--facts N] [--requests N]`: the signed `/kpi` mix people type
// (the scorecard, `cac 2026-09` with its sparkline, the funnel, a department comparison,
// a quarter) with 4 clients through the real server — signature check, Bolt, the KPI
// engine over the measure cache, Block Kit — on N generated facts (1,000,000 by default;
// `--facts 10000000` for the issue's second figure), next to a bare Node server in the
// same run that verifies the same signature and answers a constant: the transport's floor,
// measured for each database right before its warm run, so both see the same machine.
//
// Each server runs in a child process of its own (the load generator never shares its
// event loop), which reports its peak RSS and how many windows it computed from the facts.
// Per database (SQLite, and PostgreSQL when BENCH_POSTGRES_URL or TEST_POSTGRES_URL is set):
//  - cold: the first request of each command, one at a time, on an empty measure cache;
//  - warm: --requests requests (default 4,000) of the mix, 4 at a time, once the cold pass's
//    answers are stored. Targets (issue 14): warm rate ≥ 25 % of the bare server's, warm
//    p95 < 50 ms at 1M facts, and within 20 % of that at 10M.
// Both servers first answer WARMUP_REQUESTS untimed requests, then the same number of timed
// ones: a short run would time V8 compiling Tandem's hot path (a 400-request run read
// 25 % of bare where the steady state reads 40 %), not the answers.
// 127.0.0.1 only; every loop is bounded by a request count.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createHttpServer } from "../../src/adapters/http/server.ts";
import { computeSlackSignature } from "../../src/adapters/slack/verify-signature.ts";
import type { AppContext } from "../../src/app/context.ts";
import { servingKpiDeps } from "../../src/app/kpi.ts";
import { parseEnv } from "../../src/config/env.ts";
import { createBlockingSignal } from "../../src/core/blocking-signal.ts";
import { createLogger } from "../../src/core/logger.ts";
import { createSurfaces } from "../../src/main/serve.ts";
import { SERVER_WRITE_WAIT_MS } from "../../src/store/busy.ts";
import { type Database, openDatabase } from "../../src/store/database.ts";
import { createSqlFactStats } from "../../src/store/kpi-measures.ts";
import { ensureDefaultWorkspace } from "../../src/store/workspaces.ts";
import { startFakeSlack } from "../fakes/slack-api.ts";
import { counting } from "../helpers/counting-stats.ts";
import { slackSignatureHeaders, slashCommandBody } from "../helpers/slack-sign.ts";
import { benchDialects, withBenchDatabase } from "./bench-databases.ts";
import { countOption, loadAverage } from "./bench-options.ts";
import { generateBenchFacts, SPAN_END_MS } from "./kpi-bench-data.ts";
import { peakRss } from "./peak-rss.ts";

const SECRET = "bench-signing-secret";
const FACTS = countOption("facts", Number(process.env.BENCH_FACTS ?? 1_000_000));
const WARM_REQUESTS = countOption("requests", Number(process.env.BENCH_SLACK_REQUESTS ?? 4_000));
const WARMUP_REQUESTS = 500;
const CONCURRENCY = 4;
/** What people type; `cac 2026-09` answers with an eight-period sparkline. */
const COMMANDS = ["", "cac 2026-09", "funnel", "compare marketing sales", "new_revenue 2026-Q3", "cac"];
/** The bench's data ends on 1 Oct 2026; "now" just after it keeps `/kpi` on September. */
const NOW_MS = SPAN_END_MS + 86_400_000;
const self = import.meta.filename;
const root = path.resolve(import.meta.dirname, "..", "..");

type Sample = { ms: number; ackMs: number; ok: boolean };
type Outcome = { ok: boolean; ackMs: number };
type Figures = { perSecond: number; p50: number; p95: number; ackP95: number; failed: number };
type ServerReport = {
  computed: number;
  cachedRows: number;
  maxRssMb: number /** user + system CPU so far */;
  cpuMs: number;
};
type DialectResult = {
  dialect: string;
  /** the bare server, measured between this dialect's cold pass and its warm run */
  bare: Baseline;
  /** the server's CPU per warm request: what other load on the machine hardly changes */
  cpuPerRequestMs: number;
  cold: { text: string; ms: number }[];
  warm: Figures;
  computedWhileWarm: number;
  server: ServerReport;
};

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** Sends `total` requests, `CONCURRENCY` at a time. */
async function drive(total: number, send: (i: number) => Promise<Outcome>): Promise<Figures> {
  const samples: Sample[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        const outcome = await send(i).catch((): Outcome => ({ ok: false, ackMs: performance.now() - t0 }));
        samples.push({ ms: performance.now() - t0, ackMs: outcome.ackMs, ok: outcome.ok });
      }
    }),
  );
  const wallMs = performance.now() - started;
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const acks = samples.map((s) => s.ackMs).sort((a, b) => a - b);
  return {
    perSecond: (samples.length / wallMs) * 1000,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    ackP95: percentile(acks, 95),
    failed: samples.filter((s) => !s.ok).length,
  };
}

/** Where the server posts answers it sends after the acknowledgement: resolved the moment they land. */
async function startResponseSink(): Promise<{
  urlFor(id: string): string;
  answered(id: string): Promise<void>;
  close(): Promise<void>;
}> {
  const waiting = new Map<string, () => void>();
  const landed = new Set<string>();
  const server = createServer((req, res) => {
    const id = (req.url ?? "").slice("/respond/".length);
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
      const resolve = waiting.get(id);
      if (resolve) resolve();
      else landed.add(id);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/respond/`;
  return {
    urlFor: (id) => base + id,
    answered: (id) =>
      landed.delete(id)
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no answer for ${id}`)), 60_000);
            waiting.set(id, () => {
              clearTimeout(timer);
              waiting.delete(id);
              resolve();
            });
          }),
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

/** A server child: `server DIALECT URL SLACK_API_URL` or `bare`; resolves once it printed its port. */
async function startChild(args: string[]): Promise<{ url: string; child: ChildProcessWithoutNullStreams }> {
  // BENCH_PROFILE=DIR: each server writes a CPU profile there (open it in Chrome's DevTools)
  const profile = process.env.BENCH_PROFILE ? ["--cpu-prof", "--cpu-prof-dir", process.env.BENCH_PROFILE] : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", self, ...args], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: "warn" },
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      const match = /"port":(\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.on("exit", (code) => reject(new Error(`bench server exited (${code}):\n${stderr}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

async function stopChild(child: ChildProcessWithoutNullStreams): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

async function benchDialect(
  dialect: string,
  url: string,
  apiUrl: string,
  sink: Awaited<ReturnType<typeof startResponseSink>>,
): Promise<DialectResult> {
  const server = await startChild(["server", dialect, url, apiUrl]);
  try {
    let seq = 0;
    const kpi = async (text: string): Promise<Outcome> => {
      const id = `${dialect}-${seq++}`;
      const t0 = performance.now();
      const response = await signedPost(
        `${server.url}/slack/events`,
        slashCommandBody({ text, responseUrl: sink.urlFor(id) }),
      );
      const body = await response.text();
      const ackMs = performance.now() - t0;
      if (response.status !== 200) return { ok: false, ackMs };
      if (body !== "") return { ok: body.includes('"blocks"'), ackMs };
      await sink.answered(id); // answered after the acknowledgement, through response_url
      return { ok: true, ackMs };
    };
    const report = async () => (await (await fetch(`${server.url}/bench/report`)).json()) as ServerReport;
    const cold: DialectResult["cold"] = [];
    for (const text of COMMANDS) {
      const t0 = performance.now();
      const outcome = await kpi(text);
      if (!outcome.ok) throw new Error(`${dialect}: /kpi ${text} failed`);
      cold.push({ text, ms: performance.now() - t0 });
    }
    await report(); // waits for the cold pass's answers to be stored
    const bare = await measureBare(sink);
    const mix = (i: number) => kpi(COMMANDS[i % COMMANDS.length] as string);
    await drive(WARMUP_REQUESTS, mix);
    const before = await report();
    const warm = await drive(WARM_REQUESTS, mix);
    const after = await report();
    return {
      dialect,
      bare,
      cold,
      warm,
      cpuPerRequestMs: (after.cpuMs - before.cpuMs) / WARM_REQUESTS,
      computedWhileWarm: after.computed - before.computed,
      server: after,
    };
  } finally {
    await stopChild(server.child);
  }
}

type Baseline = { figures: Figures; cpuPerRequestMs: number; maxRssMb: number };

/** The bare server's figures, measured right before the warm run they are compared with. */
async function measureBare(sink: Awaited<ReturnType<typeof startResponseSink>>): Promise<Baseline> {
  const bareServer = await startChild(["bare"]);
  try {
    const report = async () => (await (await fetch(`${bareServer.url}/bench/report`)).json()) as ServerReport;
    const constant = slashCommandBody({ text: "cac 2026-09", responseUrl: sink.urlFor("bare") });
    const answer = async (): Promise<Outcome> => {
      const t0 = performance.now();
      const ok = (await (await signedPost(`${bareServer.url}/slack/events`, constant)).text()).includes("ok");
      return { ok, ackMs: performance.now() - t0 };
    };
    await drive(WARMUP_REQUESTS, answer);
    const before = await report();
    const figures = await drive(WARM_REQUESTS, answer);
    const after = await report();
    return { figures, cpuPerRequestMs: (after.cpuMs - before.cpuMs) / WARM_REQUESTS, maxRssMb: after.maxRssMb };
  } finally {
    await stopChild(bareServer.child);
  }
}

const seconds = (t0: number) => ((performance.now() - t0) / 1000).toFixed(1);
function printTable(results: DialectResult[]): void {
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const header = ["server", "req/s", "of bare", "p50", "p95", "ack p95", "CPU/req", "computed", "peak RSS"];
  const rows = results.flatMap((r) => [
    [
      "bare node:http",
      r.bare.figures.perSecond.toFixed(0),
      "100 %",
      ms(r.bare.figures.p50),
      ms(r.bare.figures.p95),
      ms(r.bare.figures.ackP95),
      `${r.bare.cpuPerRequestMs.toFixed(2)} ms`,
      "",
      `${r.bare.maxRssMb} MB`,
    ],
    [
      `tandem ${r.dialect}, warm`,
      r.warm.perSecond.toFixed(0),
      `${((r.warm.perSecond / r.bare.figures.perSecond) * 100).toFixed(1)} %`,
      ms(r.warm.p50),
      ms(r.warm.p95),
      ms(r.warm.ackP95),
      `${r.cpuPerRequestMs.toFixed(2)} ms`,
      `${r.computedWhileWarm} windows${r.warm.failed > 0 ? `, ${r.warm.failed} FAILED` : ""}`,
      `${r.server.maxRssMb} MB`,
    ],
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ");
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  for (const r of results)
    console.log(
      `cold ${r.dialect} (first request of each, empty cache): ` +
        r.cold.map((c) => `/kpi ${c.text || "(scorecard)"} ${c.ms.toFixed(0)} ms`).join(" · "),
    );
}

export async function run(): Promise<void> {
  const started = performance.now();
  const facts = generateBenchFacts(FACTS);
  console.log(
    `${facts.count.toLocaleString("en")} facts; ${CONCURRENCY} clients, ${WARM_REQUESTS} warm requests of ` +
      `${COMMANDS.length} commands; load average ${loadAverage()}`,
  );
  const fake = await startFakeSlack();
  const sink = await startResponseSink();
  try {
    const dialects = benchDialects();
    const results: DialectResult[] = [];
    for (const dialect of dialects)
      results.push(await withBenchDatabase(dialect, facts, ({ url }) => benchDialect(dialect, url, fake.apiUrl, sink)));
    printTable(results);
    console.log(
      `targets at 1,000,000 facts: warm ≥ 25 % of bare, warm p95 < 50 ms; at 10,000,000 within 20 % of those. ` +
        `"CPU/req": the server's user + system CPU per request. "computed": windows computed from the facts during the warm run (0: every answer came from the cache). ` +
        `load average now ${loadAverage()}; total ${seconds(started)} s`,
    );
  } finally {
    await sink.close();
    await fake.close();
  }
}

// ---- the children ----

/** started when a child starts: its own peak, not its parent's (peak-rss.ts) */
let rssMb = () => 0;
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

function reportRoute(report: () => Promise<ServerReport>) {
  return {
    method: "GET" as const,
    path: "/bench/report",
    handler: async (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(await report()));
    },
  };
}

/** The floor: Node's http, the same v0 signature check, a constant answer. */
async function serveBare(): Promise<void> {
  const server = createServer(async (req, res) => {
    if (req.method === "GET") {
      res.writeHead(200).end(JSON.stringify({ computed: 0, cachedRows: 0, maxRssMb: rssMb(), cpuMs: cpuMs() }));
      return;
    }
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
  console.log(JSON.stringify({ port: (server.address() as AddressInfo).port }));
  process.once("SIGTERM", () => server.close(() => process.exit(0)));
}

/** Tandem's server as `tandem serve` wires it, with the bench's clock. */
async function serveTandem(dialect: string, url: string, apiUrl: string): Promise<void> {
  const db: Database = await openDatabase(url, { migrate: false, writeWaitMs: SERVER_WRITE_WAIT_MS });
  const workspace = await ensureDefaultWorkspace(db.prisma, "UTC");
  const env = parseEnv({
    DATABASE_URL: url,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_BOT_TOKEN: "xoxb-bench",
    SLACK_API_URL: apiUrl,
    LOG_LEVEL: "warn",
  });
  const logger = createLogger("warn");
  const clock = { now: () => new Date(NOW_MS) };
  const ctx: AppContext = { env, db, workspace, clock, logger, close: () => db.close() };
  const sql = counting(createSqlFactStats(db));
  const blocking = createBlockingSignal();
  const kpi = servingKpiDeps(db, clock, logger, { sql, blocking });
  const { slack } = createSurfaces(ctx, { secret: Buffer.alloc(32, 1), kpi, blocking });
  if (!slack) throw new Error("Slack did not start");
  const settled = (kpi.stats as { settled?: () => Promise<void> }).settled ?? (async () => {});
  const report = async (): Promise<ServerReport> => {
    await settled();
    const [row] = await db.prisma.$queryRawUnsafe<{ n: unknown }[]>("SELECT COUNT(*) AS n FROM measure_cache");
    return { computed: sql.computed, cachedRows: Number(row?.n ?? 0), maxRssMb: rssMb(), cpuMs: cpuMs() };
  };
  const http = createHttpServer([...slack.routes, reportRoute(report)], { logger });
  const port = await http.listen(0, "127.0.0.1");
  await slack.start();
  console.log(JSON.stringify({ dialect, port }));
  process.once("SIGTERM", () => {
    void (async () => {
      await slack.stop();
      await http.close(1_000);
      await db.close();
      process.exit(0);
    })();
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [, , mode, dialect, url, apiUrl] = process.argv;
  if (mode) rssMb = peakRss();
  if (mode === "bare") await serveBare();
  else if (mode === "server") await serveTandem(dialect as string, url as string, apiUrl as string);
}
