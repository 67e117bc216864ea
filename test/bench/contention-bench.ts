// `npm run bench -- contention`: what a running server answers while a 1,000,000-row
// `tandem import` writes to its SQLite database. Real processes, as an operator runs
// them: `tandem serve` (Slack configured, its Web API a local fake) on a database that
// already holds BENCH_CONTENTION_BASE facts, then `tandem import FILE`. From the moment the
// import holds the write lock until it exits, three clients ask one request after
// another: /healthz, a signed `/kpi`, and (every few seconds) an ingest call. Baseline:
// the same probes against the same server before the import starts. Slack's limit is
// 3 s to the acknowledgement. On a 2-core machine the server, the import and this load
// generator share the CPU.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openDatabase } from "../../src/store/database.ts";
import { createTokenRepository } from "../../src/store/token-repository.ts";
import { ensureDefaultWorkspace } from "../../src/store/workspaces.ts";
import { startFakeSlack } from "../fakes/slack-api.ts";
import { sqliteWriteLockHeld } from "../helpers/locks.ts";
import { slackSignatureHeaders, slashCommandBody } from "../helpers/slack-sign.ts";
import { baseEnv, spawnTandem, startServe } from "../helpers/tandem-process.ts";
import { writeCsv } from "./import-bench.ts";
import { generateBenchFacts } from "./kpi-bench-data.ts";
import { loadSqlite } from "./kpi-bench-load.ts";

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const BASE_FACTS = Number(process.env.BENCH_CONTENTION_BASE ?? 200_000);
const BASELINE_MS = 10_000;
const INGEST_EVERY_MS = 3_000;
const SECRET = "bench-signing-secret";
const SLACK_ACK_LIMIT_MS = 3_000;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function line(name: string, samples: number[], extra = ""): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const f = (ms: number) => `${ms.toFixed(0).padStart(6)} ms`;
  console.log(
    `${name.padEnd(40)} n ${String(samples.length).padStart(4)}   p50 ${f(percentile(sorted, 50))}   ` +
      `p95 ${f(percentile(sorted, 95))}   max ${f(sorted.at(-1) ?? Number.NaN)}${extra}`,
  );
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "tandem-contention-bench-"));
  const fake = await startFakeSlack();
  const file = path.join(dir, "tandem.db");
  const url = `file:${file}`;
  const csv = path.join(dir, "facts.csv");
  const processes: { stop(): unknown }[] = [];
  try {
    await writeCsv(csv, ROWS);
    const db = await openDatabase(url);
    const workspace = await ensureDefaultWorkspace(db.prisma, "UTC");
    const { token } = await createTokenRepository(db.prisma).create(workspace.id, "bench");
    await db.close();
    loadSqlite(file, workspace.id, generateBenchFacts(BASE_FACTS));

    const server = await startServe({
      cwd: dir,
      env: {
        DATABASE_URL: url,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_BOT_TOKEN: "xoxb-bench",
        SLACK_API_URL: fake.apiUrl,
      },
    });
    processes.push(server);

    let seq = 0;
    /** ms to /healthz's answer */
    const health = async (): Promise<number> => {
      const t0 = performance.now();
      const response = await fetch(`${server.url}/healthz`);
      await response.text();
      if (response.status !== 200) throw new Error(`/healthz answered ${response.status}`);
      return performance.now() - t0;
    };
    /** ms to Slack's acknowledgement, and to the answer (in the ack or through response_url) */
    const kpi = async (): Promise<{ ackMs: number; answerMs: number }> => {
      const id = `c${seq++}`;
      const body = slashCommandBody({
        text: seq % 2 === 0 ? "cac 2026-09" : "2026-09",
        responseUrl: fake.responseUrl(id),
      });
      const t0 = performance.now();
      const response = await fetch(`${server.url}/slack/events`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...slackSignatureHeaders(SECRET, body) },
        body,
      });
      const text = await response.text();
      const ackMs = performance.now() - t0;
      if (response.status !== 200) throw new Error(`/kpi answered ${response.status}`);
      if (text === "") await fake.waitFor(() => fake.responses.find((r) => r.id === id), 60_000);
      return { ackMs, answerMs: performance.now() - t0 };
    };
    const ingest = async (): Promise<{ status: number; retryAfter: string | null; ms: number }> => {
      const t0 = performance.now();
      const response = await fetch(`${server.url}/api/v1/facts`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({
          facts: [
            { occurred_at: "2026-09-14", kind: "lead", entity_id: `bench-${seq}`, external_id: `bench-${seq++}` },
          ],
        }),
      });
      await response.text();
      return { status: response.status, retryAfter: response.headers.get("retry-after"), ms: performance.now() - t0 };
    };

    /** Probes one after another (a /healthz client, a /kpi client, an ingest client) until `keepGoing` says stop. */
    const probe = async (keepGoing: () => boolean) => {
      const healthMs: number[] = [];
      const acks: number[] = [];
      const answers: number[] = [];
      const ingests: Awaited<ReturnType<typeof ingest>>[] = [];
      const pause = () => new Promise((resolve) => setTimeout(resolve, INGEST_EVERY_MS));
      await Promise.all([
        (async () => {
          while (keepGoing()) healthMs.push(await health());
        })(),
        (async () => {
          while (keepGoing()) {
            const { ackMs, answerMs } = await kpi();
            acks.push(ackMs);
            answers.push(answerMs);
          }
        })(),
        (async () => {
          while (keepGoing()) {
            ingests.push(await ingest());
            await pause();
          }
        })(),
      ]);
      return { healthMs, acks, answers, ingests };
    };

    await kpi(); // warm-up: Bolt's first auth, the query plans
    const baselineEnds = performance.now() + BASELINE_MS;
    const before = await probe(() => performance.now() < baselineEnds);

    const t0 = performance.now();
    const importing = spawnTandem(["import", csv], { cwd: dir, env: baseEnv({ DATABASE_URL: url }) });
    processes.push({ stop: () => importing.child.kill("SIGKILL") });
    // "during": from the moment the import holds the write lock until it has exited
    while (importing.running() && !sqliteWriteLockHeld(file)) await new Promise((resolve) => setTimeout(resolve, 20));
    const during = await probe(() => importing.running());
    const importSeconds = (performance.now() - t0) / 1000;
    const code = await importing.exited;
    if (code !== 0) throw new Error(`tandem import exited ${code}:\n${importing.stderr()}`);

    console.log(
      `tandem import of ${ROWS.toLocaleString("en-US")} CSV rows into a database of ${BASE_FACTS.toLocaleString("en-US")} facts ` +
        `that tandem serve is using: ${importSeconds.toFixed(1)} s (${Math.round(ROWS / importSeconds).toLocaleString("en-US")} rows/s, ` +
        `${importing.stdout().trim()})`,
    );
    const over = (samples: number[]) => {
      const late = samples.filter((ms) => ms > SLACK_ACK_LIMIT_MS).length;
      return late > 0 ? `   ${late} over 3 s` : "   none over 3 s";
    };
    line("/healthz, before the import", before.healthMs);
    line("/healthz, during the import", during.healthMs, over(during.healthMs));
    line("/kpi acknowledged, before", before.acks);
    line("/kpi acknowledged, during", during.acks, over(during.acks));
    line("/kpi answered, before", before.answers);
    line("/kpi answered, during", during.answers);
    const outcomes = new Map<string, number>();
    for (const { status, retryAfter } of during.ingests) {
      const key = retryAfter ? `${status} (Retry-After ${retryAfter})` : String(status);
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
    line(
      "POST /api/v1/facts, during the import",
      during.ingests.map((i) => i.ms),
      `   ${[...outcomes].map(([key, n]) => `${n}× ${key}`).join(", ")}`,
    );
  } finally {
    for (const child of processes) await child.stop();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
