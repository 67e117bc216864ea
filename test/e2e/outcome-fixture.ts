// What the outcome e2e tests share (Slack and Teams): the facts of a ritual about the
// MQL-to-SQL rate that recovers in October, its 50% monthly target, and two schedulers
// on one database running the outcome job as two replicas would.
import { createScheduler, type Scheduler } from "../../src/adapters/scheduler/scheduler.ts";
import type { AppContext } from "../../src/app/context.ts";
import type { Messenger } from "../../src/core/delivery/ports.ts";
import { importFacts, type RawRow } from "../../src/core/facts/import-facts.ts";
import type { OutcomeReport } from "../../src/core/rituals/run-due-outcomes.ts";
import { outcomeJob } from "../../src/main/outcome-job.ts";
import { createFactSink } from "../../src/store/fact-repository.ts";

function funnel(prefix: string, at: string, mqls: number, sqls: number) {
  return Array.from({ length: mqls }, (_, i) => [
    { occurred_at: at, kind: "mql", entity_id: `${prefix}-${i}` },
    ...(i < sqls ? [{ occurred_at: at, kind: "sql", entity_id: `${prefix}-${i}` }] : []),
  ]).flat();
}

/**
 * September: 3 of 10 MQLs became SQLs (30%). 20 October: 6 of 10 (60%). 30 October: 10
 * MQLs and no SQL, which a check on the 29th must not count (it would make October 30%).
 */
export async function seedRecoveringRate(ctx: Pick<AppContext, "db" | "workspace">): Promise<void> {
  const facts = [
    ...funnel("sep", "2026-09-10T10:00:00Z", 10, 3),
    ...funnel("oct", "2026-10-20T10:00:00Z", 10, 6),
    ...funnel("late", "2026-10-30T10:00:00Z", 10, 0),
  ];
  const rows: RawRow[] = facts.map((record, i) => ({ line: i + 2, record }));
  const report = await importFacts(
    rows,
    { sink: createFactSink(ctx.db, ctx.workspace.id, { origin: "import" }), zone: ctx.workspace.timezone },
    { skipInvalid: false },
  );
  if (report.inserted !== facts.length) throw new Error(`seeded ${report.inserted} of ${facts.length} facts`);
  await ctx.db.prisma.target.create({
    data: { workspaceId: ctx.workspace.id, metricKey: "mql_to_sql_rate", grain: "month", department: "", value: 0.5 },
  });
}

/** Two schedulers ticked by hand (no cron), each with the outcome job under its own worker name. */
export function twoSchedulers(ctx: AppContext, messenger: Messenger, reports: OutcomeReport[]): Scheduler[] {
  return ["replica-a", "replica-b"].map((worker) => {
    const scheduler = createScheduler({
      clock: ctx.clock,
      logger: ctx.logger,
      cron: () => ({ start() {}, stop() {} }),
    });
    scheduler.add("outcomes", outcomeJob(ctx, { messenger, worker, onReport: (done) => reports.push(...done) }));
    return scheduler;
  });
}
