// `npm run bench -- sources`: a sync of 100,000 HubSpot contacts and 20,000 deals from
// the local fake, next to the same facts through `tandem import` in the same run (each
// into a fresh SQLite database), and where the sync's time goes: waiting for the fake's
// pages (HTTP and the fake itself, which runs in this process), mapping records to facts,
// and the database's transactions. The fake answers without HubSpot's rate limit; at the
// real 4 searches a second the reading alone would take requests ÷ 4 seconds (printed).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { SourceStore } from "../../src/core/sources/ports.ts";
import type { SourceReader } from "../../src/core/sources/reader.ts";
import { syncSource } from "../../src/core/sources/sync-source.ts";
import { runCli } from "../../src/main/cli.ts";
import { createSourceReader } from "../../src/main/sources.ts";
import { openDatabase } from "../../src/store/database.ts";
import { applySources, createSourceStore } from "../../src/store/sources.ts";
import { ensureDefaultWorkspace } from "../../src/store/workspaces.ts";
import { startFakeHubspot } from "../fakes/vendors/hubspot.ts";
import { hubspotCompany, hubspotFacts } from "../fakes/vendors/hubspot-company.ts";

const CONTACTS = Number(process.env.BENCH_SOURCES_CONTACTS ?? 100_000);
const DEALS = Number(process.env.BENCH_SOURCES_DEALS ?? 20_000);
const HEADER = "occurred_at,kind,entity_id,value,channel,department,segment,external_id";

function csvCell(value: string | number | null): string {
  if (value === null) return "";
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Wraps the reader and the store to add up the time spent in each. */
function timed(reader: SourceReader, store: SourceStore) {
  const spent = { reading: 0, writing: 0, pages: 0 };
  const timedReader: SourceReader = {
    coverage: (cursor, options) => reader.coverage(cursor, options),
    async *pages(cursor, options) {
      const iterator = reader.pages(cursor, options)[Symbol.asyncIterator]();
      for (;;) {
        const started = performance.now();
        const next = await iterator.next();
        spent.reading += performance.now() - started;
        if (next.done) return;
        spent.pages++;
        yield next.value;
      }
    },
  };
  const timedStore: SourceStore = {
    ...store,
    async commitPage(...args) {
      const started = performance.now();
      try {
        return await store.commitPage(...args);
      } finally {
        spent.writing += performance.now() - started;
      }
    },
  };
  return { spent, reader: timedReader, store: timedStore };
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "tandem-sources-bench-"));
  const fake = await startFakeHubspot();
  try {
    let started = performance.now();
    hubspotCompany(fake, { contacts: CONTACTS, deals: DEALS });
    const facts = hubspotFacts(fake, { source: "crm", currency: "USD", rates: {}, zone: "UTC" });
    console.log(
      `fake HubSpot: ${CONTACTS.toLocaleString("en-US")} contacts, ${DEALS.toLocaleString("en-US")} deals → ${facts.length.toLocaleString("en-US")} facts (set up in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );

    // Baseline: the same facts as a CSV through `tandem import`.
    const csv = path.join(dir, "facts.csv");
    writeFileSync(
      csv,
      `${HEADER}\n${facts.map(([id, kind, at, entity, value, channel, segment, department]) => [at, kind, entity, value, channel, department, segment, id].map(csvCell).join(",")).join("\n")}\n`,
    );
    process.env.DATABASE_URL = `file:${path.join(dir, "import.db")}`;
    process.env.LOG_LEVEL = "error";
    process.env.TANDEM_TIMEZONE = "UTC";
    const quiet = { out: () => {}, err: (text: string) => console.error(text) };
    started = performance.now();
    const code = await runCli(["import", csv], quiet);
    const importSeconds = (performance.now() - started) / 1000;
    if (code !== 0) throw new Error("the baseline import failed");

    // The sync, through the same engine, store and reader as `tandem sources sync`.
    const db = await openDatabase(`file:${path.join(dir, "sync.db")}`);
    const workspace = await ensureDefaultWorkspace(db.prisma, "UTC");
    await applySources(db.prisma, workspace.id, [
      { name: "crm", kind: "hubspot", everyMs: 3_600_000, settings: { base_url: fake.url, token_env: "BENCH_TOKEN" } },
    ]);
    const store = createSourceStore(db);
    const source = await store.get(workspace.id, "crm");
    if (source === null) throw new Error("source not applied");
    const reader = createSourceReader(
      source,
      { timezone: "UTC", currency: "USD" },
      {
        env: { BENCH_TOKEN: fake.token },
        http: { requestsPerSecond: 1_000_000 },
      },
    );
    const probe = timed(reader, store);
    started = performance.now();
    const report = await syncSource(
      source,
      { full: false },
      {
        store: probe.store,
        reader: probe.reader,
        clock: { now: () => new Date() },
        holder: "bench",
      },
    );
    const syncSeconds = (performance.now() - started) / 1000;
    const requests = fake.requests.length;
    started = performance.now();
    const again = await syncSource(
      (await store.get(workspace.id, "crm")) ?? source,
      { full: true },
      {
        store,
        reader,
        clock: { now: () => new Date() },
        holder: "bench",
      },
    );
    const fullSeconds = (performance.now() - started) / 1000;
    await db.close();
    if (report.written !== facts.length)
      throw new Error(`sync wrote ${report.written} facts, expected ${facts.length}`);

    const rate = (n: number, s: number) => `${Math.round(n / s).toLocaleString("en-US")}/s`;
    console.log(`\n| run | seconds | facts/s |`);
    console.log(`|---|---:|---:|`);
    console.log(
      `| tandem import (same facts, CSV) | ${importSeconds.toFixed(1)} | ${rate(facts.length, importSeconds)} |`,
    );
    console.log(`| tandem sources sync (first) | ${syncSeconds.toFixed(1)} | ${rate(facts.length, syncSeconds)} |`);
    console.log(
      `| tandem sources sync --full (nothing changed) | ${fullSeconds.toFixed(1)} | ${rate(facts.length, fullSeconds)} |`,
    );
    console.log(`\nsync / import: ${(syncSeconds / importSeconds).toFixed(2)}×`);
    console.log(`where the first sync's time goes (${probe.spent.pages} pages, ${requests} requests to the fake):`);
    const other = syncSeconds * 1000 - probe.spent.reading - probe.spent.writing;
    for (const [what, ms] of [
      ["reading pages (HTTP + the in-process fake + mapping)", probe.spent.reading],
      ["database transactions (one per page)", probe.spent.writing],
      ["the rest (claim, reconciliation, bookkeeping)", other],
    ] as const)
      console.log(`  ${what}: ${(ms / 1000).toFixed(1)} s (${Math.round((ms / (syncSeconds * 1000)) * 100)}%)`);
    console.log(
      `at HubSpot's real limit of 4 searches a second, reading alone would take ${Math.round(requests / 4 / 60)} min (${requests} requests)`,
    );
    console.log(`second sync wrote ${again.written} facts and removed ${again.removed}`);
  } finally {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
