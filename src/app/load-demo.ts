// Loads the demo company (src/core/demo) into a workspace through the ordinary
// import path, and sets a few targets so statuses have something to compare to.
// Safe to run again: every demo fact carries an external id, so a second load
// inserts only facts whose time has come since.
import { generateDemoFacts } from "../core/demo/generate-demo.ts";
import { AppError, ErrorCode } from "../core/errors.ts";
import { importFacts } from "../core/facts/import-facts.ts";
import type { Grain } from "../core/kpi/types.ts";
import type { Clock } from "../core/ports.ts";
import type { Database } from "../store/database.ts";
import { createFactSink } from "../store/fact-repository.ts";
import { setTarget } from "../store/kpi-settings.ts";

export type DemoContext = { db: Database; workspace: { id: number; timezone: string }; clock: Clock };

/** Ambitious targets for the demo company: recent months land on track, at risk and off track. */
export const DEMO_TARGETS: { metricKey: string; grain: Grain; value: number }[] = [
  { metricKey: "leads", grain: "month", value: 700 },
  { metricKey: "mql_to_sql_rate", grain: "month", value: 0.38 },
  { metricKey: "win_rate", grain: "month", value: 0.4 },
  { metricKey: "new_revenue", grain: "month", value: 200000 },
  { metricKey: "cac", grain: "month", value: 4200 },
  { metricKey: "customer_churn_rate", grain: "month", value: 0.025 },
  { metricKey: "nps", grain: "month", value: 45 },
];

async function* numbered(records: Iterable<Record<string, unknown>>) {
  let line = 0;
  for (const record of records) yield { line: ++line, record };
}

export async function loadDemo(ctx: DemoContext): Promise<{ inserted: number; duplicates: number }> {
  const facts = generateDemoFacts({ endMs: ctx.clock.now().getTime() });
  const result = await importFacts(
    numbered(facts),
    { sink: createFactSink(ctx.db, ctx.workspace.id, { origin: "demo" }), zone: ctx.workspace.timezone },
    { skipInvalid: false },
  );
  // The generator's facts are valid by construction (its tests check each one); a
  // rejection here is a bug, not bad input.
  if (result.rejected > 0)
    throw new AppError(
      ErrorCode.Internal,
      `demo data: ${result.rejected} generated facts were rejected`,
      result.errors,
    );
  await setDemoTargets(ctx.db, ctx.workspace.id);
  return { inserted: result.inserted, duplicates: result.duplicates };
}

/**
 * Sets the demo targets where the workspace has none of its own for that metric and grain,
 * through the same checks and audit as every other target.
 */
export async function setDemoTargets(db: Database, workspaceId: number): Promise<void> {
  for (const { metricKey, grain, value } of DEMO_TARGETS) {
    const target = { metric: metricKey, grain, value, department: null };
    await setTarget(db.prisma, workspaceId, target, "tandem:demo", { keepExisting: true });
  }
}

/** True when the workspace has no facts yet (local mode loads the demo then). */
export async function isDatabaseEmpty(db: Database, workspaceId: number): Promise<boolean> {
  const any = await db.prisma.fact.findFirst({ where: { workspaceId }, select: { id: true } });
  return any === null;
}
