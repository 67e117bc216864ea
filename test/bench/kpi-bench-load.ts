// Loads the benchmark's facts straight through the drivers (one better-sqlite3
// transaction of prepared inserts; multi-row INSERT … SELECT FROM unnest for pg):
// going through Prisma would take minutes for a million rows.
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { BENCH_CHANNELS, BENCH_DEPARTMENTS, BENCH_KINDS, BENCH_SEGMENTS, type BenchFacts } from "./kpi-bench-data.ts";

const COLUMNS = "workspace_id, occurred_ms, kind, entity_id, value, channel, department, segment";

function label<T extends readonly string[]>(names: T, index: number): string | null {
  return index < 0 ? null : (names[index] ?? null);
}

export function loadSqlite(file: string, workspaceId: number, facts: BenchFacts): void {
  const db = new BetterSqlite3(file);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = OFF");
    const insert = db.prepare(`INSERT INTO facts (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    db.transaction(() => {
      for (let i = 0; i < facts.count; i++) {
        const value = facts.value[i] as number;
        insert.run(
          workspaceId,
          facts.occurredMs[i],
          BENCH_KINDS[facts.kind[i] as number],
          facts.entityId[i],
          Number.isNaN(value) ? null : value,
          label(BENCH_CHANNELS, facts.channel[i] as number),
          label(BENCH_DEPARTMENTS, facts.department[i] as number),
          label(BENCH_SEGMENTS, facts.segment[i] as number),
        );
      }
    })();
  } finally {
    db.close();
  }
}

export async function loadPostgres(url: string, workspaceId: number, facts: BenchFacts): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const batch = 50_000;
    await client.query("BEGIN");
    for (let from = 0; from < facts.count; from += batch) {
      const to = Math.min(facts.count, from + batch);
      const ms: string[] = [];
      const kinds: string[] = [];
      const entities: (string | null)[] = [];
      const values: (number | null)[] = [];
      const channels: (string | null)[] = [];
      const departments: (string | null)[] = [];
      const segments: (string | null)[] = [];
      for (let i = from; i < to; i++) {
        const value = facts.value[i] as number;
        ms.push(String(facts.occurredMs[i]));
        kinds.push(BENCH_KINDS[facts.kind[i] as number] as string);
        entities.push(facts.entityId[i] ?? null);
        values.push(Number.isNaN(value) ? null : value);
        channels.push(label(BENCH_CHANNELS, facts.channel[i] as number));
        departments.push(label(BENCH_DEPARTMENTS, facts.department[i] as number));
        segments.push(label(BENCH_SEGMENTS, facts.segment[i] as number));
      }
      await client.query(
        `INSERT INTO facts (${COLUMNS})
         SELECT $1::int, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::float8[], $6::text[], $7::text[], $8::text[])`,
        [workspaceId, ms, kinds, entities, values, channels, departments, segments],
      );
    }
    await client.query("COMMIT");
    await client.query("VACUUM ANALYZE facts");
  } finally {
    await client.end();
  }
}
