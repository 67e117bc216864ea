// The `/kpi` verbs that change the team's set-up: joining a department, placing someone
// in one, setting a target, issuing an ingest token. Who may run them is declared in the
// table (kpi-handlers.ts); the checks on what is written and the audit entries are the
// admin store's (KpiAdminStore), the same for every surface.
import { AppError, ErrorCode } from "../../core/errors.ts";
import { formatValue, GRAIN_ADVERB } from "../../core/kpi/format.ts";
import { getKpiSnapshot } from "../../core/kpi/get-kpi-snapshot.ts";
import { findDepartment } from "../../core/kpi/parse-kpi-command.ts";
import type { KpiSettings } from "../../core/kpi/types.ts";
import { makeMessage } from "../../core/messages/model.ts";
import { actorOf, departmentName, type KpiContext, type KpiHandler, privateNote } from "./kpi-handler.ts";

function departmentOrThrow(settings: KpiSettings, text: string): string {
  const key = findDepartment({ departments: settings.departments }, text);
  if (key) return key;
  const keys = settings.departments.map((d) => d.key);
  throw new AppError(ErrorCode.NotFound, `I don't know the department “${text}”. Departments: ${keys.join(", ")}.`, {
    suggestions: keys,
  });
}

/** Puts a person (the caller, or whom an admin names) in the department the words name. */
function placeMember(
  { workspace, caller, settings, admin }: KpiContext,
  person: { userId: string; displayName: string | null },
  departmentWords: string,
) {
  return admin.placeMember({
    workspaceId: workspace.id,
    platform: caller.platform,
    userId: person.userId,
    departmentKey: departmentOrThrow(settings, departmentWords),
    displayName: person.displayName,
    actor: actorOf(caller),
  });
}

export const answerJoin: KpiHandler<"join">["run"] = async (command, context) => {
  const { caller, settings, prefix } = context;
  const change = await placeMember(
    context,
    { userId: caller.userId, displayName: caller.displayName ?? null },
    command.department,
  );
  const moved =
    change.previous && change.previous !== change.department.key
      ? ` (you were in ${departmentName(settings, change.previous)})`
      : "";
  return privateNote(
    `You're in *${change.department.name}* now${moved}. \`${prefix}\` shows its scorecard, and the Home tab keeps it at hand.`,
  );
};

export const answerMember: KpiHandler<"member">["run"] = async (command, context) => {
  const change = await placeMember(
    context,
    { userId: command.userId, displayName: command.userName },
    command.department,
  );
  const who = command.userName ? `@${command.userName}` : command.userId;
  return privateNote(`${who} is in *${change.department.name}* now.`);
};

export const answerTarget: KpiHandler<"target">["run"] = async (command, context) => {
  const { workspace, caller, settings, kpi, admin } = context;
  const { catalog } = await getKpiSnapshot(kpi, { workspaceId: workspace.id, zone: workspace.timezone, metric: null });
  const resolved = catalog.resolve(command.metric);
  if (!resolved.ok) {
    throw new AppError(ErrorCode.NotFound, `I don't know the metric “${command.metric}”.`, {
      suggestions: resolved.suggestions,
    });
  }
  const def = resolved.metric;
  const department = command.department === null ? null : departmentOrThrow(settings, command.department);
  const grain = command.grain ?? "month";
  const { previous } = await admin.setTarget(
    workspace.id,
    { metric: def.key, grain, department, value: command.value, written: command.percent ? "percent" : "number" },
    actorOf(caller),
  );
  const who = department === null ? "the whole company" : departmentName(settings, department);
  const show = (value: number) => formatValue(value, def.unit, def.decimals, settings.currency);
  const was = previous === null ? "" : ` (was ${show(previous)})`;
  return privateNote(`Target set: *${def.name}*, ${GRAIN_ADVERB[grain]} for ${who}: ${show(command.value)}${was}.`);
};

export const answerToken: KpiHandler<"token">["run"] = async (command, { workspace, caller, admin }) => {
  const actor = actorOf(caller);
  const token = await admin.issueToken({ workspaceId: workspace.id, name: command.name, actor });
  await admin.audit({
    workspaceId: workspace.id,
    actor,
    action: "token.create",
    detail: { name: command.name, via: caller.platform },
  });
  return {
    message: makeMessage(
      [
        { type: "section", text: `Ingest token *${command.name}*: \`${token}\`` },
        {
          type: "context",
          text:
            "Shown once, only to you: store it in your secret manager now. Send facts with " +
            "`POST /api/v1/facts` and the header `Authorization: Bearer <token>`.",
        },
      ],
      { visibility: "private" },
    ),
    share: null,
  };
};
