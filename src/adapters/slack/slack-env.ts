// What the Slack listeners share: the store, the chat layer every surface answers
// through, the log and the metrics. Built once in slack-app.ts.
import type { ChatCommands } from "../../app/chat/chat-commands.ts";
import type { BlockingSignal } from "../../core/blocking-signal.ts";
import type { KpiSnapshotDeps } from "../../core/kpi/get-kpi-snapshot.ts";
import type { Clock, Logger } from "../../core/ports.ts";
import type { Db } from "../../store/database.ts";
import type { HttpMetrics } from "../http/metrics.ts";

export type SlackEnv = {
  prisma: Db;
  clock: Clock;
  logger: Logger;
  /** for the App Home's scorecards */
  kpi: KpiSnapshotDeps;
  /** `/kpi`, `/pulse` and the Share button, answered like every other surface */
  chat: ChatCommands;
  metrics?: HttpMetrics;
  /** how long a command may compute before it is acknowledged empty and answered through response_url */
  ackBudgetMs: number;
  /** warned before the event loop blocks on an aggregate: a command still owing its acknowledgement sends it empty */
  blocking?: BlockingSignal;
};
