// `/kpi`'s verbs, one small handler each, with who may run them and whether a shared
// answer may replay them. Verbs other features own (`digest`, `rituals`) are registered
// beside this table when the chat layer is built (chat-commands.ts).
import { AppError, ErrorCode } from "../../core/errors.ts";
import { answerAlert, answerAlertChange, answerAlerts } from "./kpi-alerts.ts";
import type { KpiHandlers } from "./kpi-handler.ts";
import {
  answerCompare,
  answerDepartment,
  answerFunnel,
  answerHelp,
  answerMetric,
  answerScorecard,
  answerShared,
} from "./kpi-reads.ts";
import { answerJoin, answerMember, answerTarget, answerToken } from "./kpi-team.ts";

export const KPI_HANDLERS: KpiHandlers = {
  help: { readOnly: true, run: answerHelp },
  scorecard: { readOnly: true, run: answerScorecard },
  shared: { readOnly: true, run: answerShared },
  department: { readOnly: true, run: answerDepartment },
  metric: { readOnly: true, run: answerMetric },
  funnel: { readOnly: true, run: answerFunnel },
  compare: { readOnly: true, run: answerCompare },
  join: { run: answerJoin },
  member: { admin: true, run: answerMember },
  target: { admin: true, run: answerTarget },
  token: { admin: true, run: answerToken },
  alert: { run: answerAlert },
  alertChange: { admin: true, run: answerAlertChange },
  alerts: { run: answerAlerts },
  invalid: {
    run: async (command) => {
      throw new AppError(ErrorCode.InvalidInput, command.message);
    },
  },
};
