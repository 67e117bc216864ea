// Answers a `/kpi …` command on any surface: parse the grammar, call one use case,
// build the neutral message. Platform specifics come in through the caller (who
// is admin) and the environment (issuing tokens, extra subcommands such as
// `digest` and `rituals` that other features register).
import { AppError, ErrorCode, isAppError } from "../core/errors.ts";
import { compareDepartments } from "../core/kpi/compare-departments.ts";
import { computeSeries } from "../core/kpi/engine.ts";
import { formatValue, GRAIN_ADVERB } from "../core/kpi/format.ts";
import { getFunnel } from "../core/kpi/get-funnel.ts";
import { getKpiSnapshot, type KpiSnapshotDeps } from "../core/kpi/get-kpi-snapshot.ts";
import { checkCommandLength, findDepartment, type KpiCommand, parseKpiCommand } from "../core/kpi/parse-kpi-command.ts";
import { looksLikePeriod } from "../core/kpi/period-words.ts";
import { describePeriod } from "../core/kpi/periods.ts";
import type { KpiSettings } from "../core/kpi/types.ts";
import {
  compareMessage,
  errorMessage,
  funnelMessage,
  helpMessage,
  metricDetailMessage,
  snapshotMessage,
} from "../core/messages/build-kpi-messages.ts";
import { type Message, makeMessage } from "../core/messages/model.ts";
import type { KpiSettingsSource, Logger } from "../core/ports.ts";
import { recordAudit } from "../store/audit-log.ts";
import type { Db } from "../store/database.ts";
import { setTarget } from "../store/kpi-settings.ts";
import { findMemberDepartment, setMemberDepartment } from "../store/members.ts";
import { createTokenRepository } from "../store/token-repository.ts";
import type { WorkspaceRow } from "../store/workspaces.ts";

export const SERIES_LENGTH = 8;

export type KpiCaller = {
  platform: string;
  userId: string;
  displayName?: string | null;
  /** the channel or conversation the command was typed in (subscriptions, pulses) */
  channelId?: string | null;
  /** asked only for admin commands (it may call the chat platform) */
  isAdmin(): Promise<boolean>;
};

export type KpiSubcommand = (request: {
  workspace: WorkspaceRow;
  caller: KpiCaller;
  /** the words after the subcommand */
  args: string;
}) => Promise<Message>;

export type KpiCommandEnv = {
  prisma: Db;
  kpi: KpiSnapshotDeps;
  /** the command as people type it on this surface */
  prefix: "/kpi" | "kpi";
  /** issues an ingest token and returns it in the clear, once (default: the token repository); the command audits it */
  issueToken?(request: { workspaceId: number; name: string; actor: string }): Promise<string>;
  /** `/kpi digest …`, `/kpi rituals`: owned by other features */
  subcommands?: Record<string, KpiSubcommand>;
};

export type KpiAnswer = {
  message: Message;
  /** the command that reproduces this answer for the channel, or null when it must stay private */
  share: string | null;
};

const ADMIN_ONLY = new Set<KpiCommand["kind"]>(["target", "member", "token"]);
/** commands that only read; a button replaying a command may run nothing else */
const READ_ONLY = new Set<KpiCommand["kind"]>([
  "help",
  "scorecard",
  "shared",
  "department",
  "metric",
  "funnel",
  "compare",
]);

/** Per command, settings are read once however many use cases need them. */
function onceSettings(source: KpiSettingsSource): KpiSettingsSource {
  const cache = new Map<number, Promise<KpiSettings>>();
  return {
    load(workspaceId) {
      let settings = cache.get(workspaceId);
      if (!settings) {
        settings = source.load(workspaceId);
        cache.set(workspaceId, settings);
      }
      return settings;
    },
  };
}

export async function answerKpiCommand(
  env: KpiCommandEnv,
  workspace: WorkspaceRow,
  caller: KpiCaller,
  text: string,
  options: { readOnly?: boolean } = {},
): Promise<KpiAnswer> {
  checkCommandLength(text);
  const kpi: KpiSnapshotDeps = { ...env.kpi, settingsSource: onceSettings(env.kpi.settingsSource) };
  const head = text.trim().split(/\s+/)[0]?.toLowerCase() ?? "";
  const subcommand = env.subcommands?.[head];
  if (subcommand && !options.readOnly) {
    const message = await subcommand({ workspace, caller, args: text.trim().slice(head.length).trim() });
    return { message, share: null };
  }
  const settings = await kpi.settingsSource.load(workspace.id);
  const command = parseKpiCommand(text, { departments: settings.departments, looksLikePeriod });
  if (options.readOnly && !READ_ONLY.has(command.kind)) {
    throw new AppError(ErrorCode.Forbidden, "Only answers that read numbers can be shared.");
  }
  if (ADMIN_ONLY.has(command.kind) && !(await caller.isAdmin())) {
    throw new AppError(
      ErrorCode.Forbidden,
      `Only workspace admins and owners, or people the Tandem config names as admins, can use \`${env.prefix} ${command.kind}\`. ` +
        "Ask one of them to make the change.",
    );
  }
  const zone = workspace.timezone;
  const actor = `${caller.platform}:${caller.userId}`;
  const deptName = (key: string) => settings.departments.find((d) => d.key === key)?.name ?? key;

  switch (command.kind) {
    case "help":
      return { message: helpMessage(env.prefix), share: null };
    case "invalid":
      throw new AppError(ErrorCode.InvalidInput, command.message);
    case "scorecard": {
      const mine = await findMemberDepartment(env.prisma, workspace.id, caller.platform, caller.userId);
      const result = await getKpiSnapshot(kpi, {
        workspaceId: workspace.id,
        zone,
        period: command.period,
        department: mine?.key ?? null,
      });
      const when = describePeriod(result.snapshot.period);
      if (mine) {
        return {
          message: snapshotMessage(result.snapshot, result.catalog, { title: `${mine.name} · ${when}` }),
          share: `${mine.key} ${result.snapshot.period.key}`,
        };
      }
      const message = snapshotMessage(result.snapshot, result.catalog, { title: `Shared metrics · ${when}` });
      message.blocks.push({
        type: "context",
        text: `These are the metrics two or more departments share. \`${env.prefix} join DEPARTMENT\` shows your own department's scorecard here.`,
      });
      return { message: makeMessage(message.blocks), share: `shared ${result.snapshot.period.key}` };
    }
    case "shared": {
      const result = await getKpiSnapshot(kpi, { workspaceId: workspace.id, zone, period: command.period });
      const when = describePeriod(result.snapshot.period);
      return {
        message: snapshotMessage(result.snapshot, result.catalog, { title: `Shared metrics · ${when}` }),
        share: `shared ${result.snapshot.period.key}`,
      };
    }
    case "department": {
      const result = await getKpiSnapshot(kpi, {
        workspaceId: workspace.id,
        zone,
        period: command.period,
        department: command.department,
      });
      const when = describePeriod(result.snapshot.period);
      return {
        message: snapshotMessage(result.snapshot, result.catalog, {
          title: `${deptName(command.department)} · ${when}`,
        }),
        share: `${command.department} ${result.snapshot.period.key}`,
      };
    }
    case "metric": {
      const result = await getKpiSnapshot(kpi, { workspaceId: workspace.id, zone, words: command.words });
      const metricResult = result.snapshot.metrics[0];
      const def = metricResult ? result.catalog.get(metricResult.key) : undefined;
      if (!metricResult || !def) throw new AppError(ErrorCode.NotFound, `I couldn't compute “${command.words}”.`);
      const series = await computeSeries(
        { stats: kpi.stats, settings, catalog: result.catalog },
        { workspaceId: workspace.id, metricKey: def.key, period: result.snapshot.period, count: SERIES_LENGTH },
      );
      return {
        message: metricDetailMessage(metricResult, def, result.snapshot.period, series),
        share: `${def.key} ${result.snapshot.period.key}`,
      };
    }
    case "funnel": {
      const funnel = await getFunnel(kpi, { workspaceId: workspace.id, zone, period: command.period });
      return { message: funnelMessage(funnel), share: `funnel ${funnel.period.key}` };
    }
    case "compare": {
      const comparison = await compareDepartments(kpi, {
        workspaceId: workspace.id,
        zone,
        a: command.a,
        b: command.b,
        period: command.period,
      });
      return {
        message: compareMessage({ ...comparison, a: deptName(comparison.a), b: deptName(comparison.b) }),
        share: `compare ${comparison.a} ${comparison.b} ${comparison.period.key}`,
      };
    }
    case "join": {
      const key = departmentOrThrow(settings, command.department);
      const change = await setMemberDepartment(env.prisma, {
        workspaceId: workspace.id,
        platform: caller.platform,
        userId: caller.userId,
        departmentKey: key,
        displayName: caller.displayName ?? null,
        actor,
      });
      const moved = change.previous && change.previous !== key ? ` (you were in ${deptName(change.previous)})` : "";
      return {
        message: note(
          `You're in *${change.department.name}* now${moved}. \`${env.prefix}\` shows its scorecard, and the Home tab keeps it at hand.`,
        ),
        share: null,
      };
    }
    case "member": {
      const key = departmentOrThrow(settings, command.department);
      const change = await setMemberDepartment(env.prisma, {
        workspaceId: workspace.id,
        platform: caller.platform,
        userId: command.userId,
        departmentKey: key,
        displayName: command.userName,
        actor,
      });
      const who = command.userName ? `@${command.userName}` : command.userId;
      return { message: note(`${who} is in *${change.department.name}* now.`), share: null };
    }
    case "target": {
      const catalog = (await getKpiSnapshot(kpi, { workspaceId: workspace.id, zone, metric: null })).catalog;
      const resolved = catalog.resolve(command.metric);
      if (!resolved.ok) {
        throw new AppError(ErrorCode.NotFound, `I don't know the metric “${command.metric}”.`, {
          suggestions: resolved.suggestions,
        });
      }
      const def = resolved.metric;
      if (command.percent && def.unit !== "percent") {
        throw new AppError(
          ErrorCode.InvalidInput,
          `${def.name} is not a percentage; give the target as a plain number.`,
        );
      }
      if (def.unit === "percent" && !command.percent && Math.abs(command.value) > 1) {
        throw new AppError(
          ErrorCode.InvalidInput,
          `${def.name} is a percentage: write the target as ${command.value}% or ${command.value / 100}.`,
        );
      }
      const department = command.department === null ? null : departmentOrThrow(settings, command.department);
      const grain = command.grain ?? "month";
      const { previous } = await setTarget(
        env.prisma,
        workspace.id,
        { metric: def.key, grain, department, value: command.value },
        actor,
      );
      const who = department === null ? "the whole company" : deptName(department);
      const show = (value: number) => formatValue(value, def.unit, def.decimals, settings.currency);
      const was = previous === null ? "" : ` (was ${show(previous)})`;
      return {
        message: note(`Target set: *${def.name}*, ${GRAIN_ADVERB[grain]} for ${who}: ${show(command.value)}${was}.`),
        share: null,
      };
    }
    case "token": {
      const request = { workspaceId: workspace.id, name: command.name, actor };
      const token = env.issueToken
        ? await env.issueToken(request)
        : (await createTokenRepository(env.prisma).create(workspace.id, command.name)).token;
      await recordAudit(env.prisma, {
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
    }
  }
}

function note(text: string): Message {
  return makeMessage([{ type: "section", text }], { visibility: "private" });
}

function departmentOrThrow(settings: KpiSettings, text: string): string {
  const key = findDepartment({ departments: settings.departments }, text);
  if (key) return key;
  const keys = settings.departments.map((d) => d.key);
  throw new AppError(ErrorCode.NotFound, `I don't know the department “${text}”. Departments: ${keys.join(", ")}.`, {
    suggestions: keys,
  });
}

/** Any failure as a friendly, private answer; only unexpected errors are logged with their stack. */
export function errorAnswer(error: unknown, logger: Logger, context: Record<string, unknown> = {}): Message {
  if (isAppError(error) && error.code !== ErrorCode.Internal) {
    const details = (error.details ?? {}) as { suggestions?: unknown; departments?: unknown };
    const list = Array.isArray(details.suggestions)
      ? details.suggestions
      : Array.isArray(details.departments)
        ? details.departments
        : [];
    const suggestions = list.filter((s): s is string => typeof s === "string");
    // messages that already name the alternatives are not repeated underneath
    const named = suggestions.some((s) => error.message.includes(s));
    return errorMessage(error.message, named ? [] : suggestions);
  }
  logger.error("chat command failed", { ...context, error: String((error as Error)?.stack ?? error) });
  return errorMessage("Sorry, something went wrong answering that. The details are in Tandem's log.");
}
