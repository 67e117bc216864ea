// `/kpi alert RULE`, `/kpi alert pause|resume|delete ID` and `/kpi alerts`: a channel's
// alert rules. Anyone may add a rule to the channel they type in; only admins may pause,
// resume or delete one (the table in kpi-handlers.ts says so).
import { stateWords, windowWords } from "../../core/alerts/describe-rule.ts";
import { parseAlertRule, ruleText } from "../../core/alerts/parse-alert-rule.ts";
import { AppError, ErrorCode } from "../../core/errors.ts";
import { buildCatalog } from "../../core/kpi/catalog.ts";
import { resolveTarget } from "../../core/kpi/targets.ts";
import { makeMessage } from "../../core/messages/model.ts";
import type { Platform } from "../../core/platform.ts";
import { actorOf, type KpiContext, type KpiHandler, privateNote } from "./kpi-handler.ts";

function channelOf({ caller }: KpiContext): { platform: Platform; channelId: string } {
  if (!caller.channelId) {
    throw new AppError(
      ErrorCode.InvalidInput,
      "Alert rules belong to a channel: type the command in the channel to alert.",
    );
  }
  return { platform: caller.platform, channelId: caller.channelId };
}

export const answerAlert: KpiHandler<"alert">["run"] = async (command, context) => {
  const { workspace, settings, alerts, prefix } = context;
  const channel = channelOf(context);
  const catalog = buildCatalog(settings);
  const rule = parseAlertRule(command.rule, catalog);
  const text = ruleText(rule, (key) => catalog.get(key)?.unit);
  const { rule: stored, created } = await alerts.add({
    workspaceId: workspace.id,
    ...channel,
    rule: text,
    createdBy: actorOf(context.caller),
    source: "chat",
  });
  if (!created) return privateNote(`This channel has that rule already: #${stored.id} \`${text}\`.`);
  const notes = [
    `Alert rule *#${stored.id}* added for this channel: \`${text}\`.`,
    `It watches ${windowWords(rule.window)} and posts here once when the rule is crossed, ` +
      "then again only after the metric is back within bounds and crosses once more.",
  ];
  if (rule.condition.kind === "status" && !resolveTarget(settings.targets, rule.metric, rule.window.grain, null)) {
    notes.push(`${rule.metric} has no target yet, so it cannot go off track: set one with \`${prefix} target\`.`);
  }
  notes.push(`\`${prefix} alerts\` lists this channel's rules.`);
  return { message: makeMessage([{ type: "section", text: notes.join("\n") }]), share: null };
};

export const answerAlertChange: KpiHandler<"alertChange">["run"] = async (command, context) => {
  const { workspace, alerts, prefix } = context;
  const missing = () =>
    new AppError(ErrorCode.NotFound, `There is no alert rule #${command.id}. \`${prefix} alerts\` lists the rules.`);
  if (command.action === "delete") {
    const rule = await alerts.get(command.id);
    if (!rule || rule.workspaceId !== workspace.id || !(await alerts.remove(workspace.id, command.id))) throw missing();
    const again =
      rule.source === "config" ? " It is in the config file: remove it there too, or the next apply adds it back." : "";
    return privateNote(`Alert rule #${rule.id} \`${rule.rule}\` is deleted.${again}`);
  }
  const rule = await alerts.setPaused(workspace.id, command.id, command.action === "pause");
  if (!rule) throw missing();
  return privateNote(
    command.action === "pause"
      ? `Alert rule #${rule.id} \`${rule.rule}\` is paused: it posts nothing until \`${prefix} alert resume ${rule.id}\`.`
      : `Alert rule #${rule.id} \`${rule.rule}\` is watching again.`,
  );
};

export const answerAlerts: KpiHandler<"alerts">["run"] = async (_command, context) => {
  const { workspace, alerts, prefix, kpi } = context;
  const channel = channelOf(context);
  const rules = await alerts.list(workspace.id, channel);
  if (rules.length === 0) {
    return privateNote(`This channel has no alert rules. Add one: \`${prefix} alert cac above 5000\`.`);
  }
  const now = kpi.clock.now();
  const latest = await alerts.latestAlerts(rules.map((rule) => rule.id));
  const lines = rules.map(
    (rule) =>
      `*#${rule.id}* \`${rule.rule}\`: ${stateWords(rule, now, workspace.timezone, latest.get(rule.id))}${rule.source === "config" ? " (from the config file)" : ""}`,
  );
  return {
    message: makeMessage(
      [
        { type: "header", text: "Alert rules of this channel" },
        { type: "section", text: lines.join("\n") },
        { type: "context", text: `Admins: \`${prefix} alert pause|resume|delete ID\`.` },
      ],
      { visibility: "private" },
    ),
    share: null,
  };
};
