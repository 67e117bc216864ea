// What the Slack listeners share: the store, the /kpi command environment, the log
// and the metrics. Built once in slack-app.ts.
import type { KpiCommandEnv } from "../../app/answer-kpi-command.ts";
import type { KpiSnapshotDeps } from "../../core/kpi/get-kpi-snapshot.ts";
import type { Clock, Logger } from "../../core/ports.ts";
import type { Db } from "../../store/database.ts";
import type { HttpMetrics } from "../http/metrics.ts";

export type SlackEnv = {
  prisma: Db;
  clock: Clock;
  logger: Logger;
  kpi: KpiSnapshotDeps;
  commands: KpiCommandEnv;
  metrics?: HttpMetrics;
  /** how long a command may compute before it is acknowledged empty and answered through response_url */
  ackBudgetMs: number;
};
