// Alert rules and their alerts in the database (the AlertRuleStore port). Firing is a
// compare-and-set on the rule (armed → firing, crossings + 1, only from the state the
// worker read) followed by the alert row, unique per (rule, crossing): two schedulers
// on one database never both post a crossing.

import type { RuleState } from "../core/alerts/evaluate-alert.ts";
import type { AlertRuleStore, StoredAlert, StoredRule } from "../core/alerts/ports.ts";
import { isRecordId } from "../core/ids.ts";
import type { Message } from "../core/messages/model.ts";
import { asPlatform } from "../core/platform.ts";
import type { Database, Db } from "./database.ts";
import { isUniqueViolation } from "./digest-runs.ts";

type RuleRow = NonNullable<Awaited<ReturnType<Db["alertRule"]["findUnique"]>>>;
type AlertRow = NonNullable<Awaited<ReturnType<Db["alert"]["findUnique"]>>>;

function toRule(row: RuleRow): StoredRule {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    platform: asPlatform(row.platform),
    channelId: row.channelId,
    rule: row.rule,
    source: row.source === "config" ? "config" : "chat",
    createdBy: row.createdBy,
    paused: row.paused,
    state: row.state as RuleState,
    crossings: row.crossings,
    snoozedUntil: row.snoozedUntil,
  };
}

function readMessage(json: string): Message | null {
  try {
    const message = JSON.parse(json) as Message;
    return typeof message?.text === "string" && Array.isArray(message.blocks) ? message : null;
  } catch {
    return null;
  }
}

function toAlert(row: AlertRow): StoredAlert {
  return {
    id: row.id,
    ruleId: row.ruleId,
    crossing: row.crossing,
    status: row.status as StoredAlert["status"],
    value: row.value,
    message: readMessage(row.message),
    messageId: row.messageId,
    acknowledgedBy: row.acknowledgedBy,
    snoozedUntil: row.snoozedUntil,
    snoozedBy: row.snoozedBy,
    ritualId: row.ritualId,
    createdAt: row.createdAt,
  };
}

export function createAlertRuleStore(db: Database): AlertRuleStore {
  const prisma = db.prisma;
  const findRule = async (workspaceId: number, ruleId: number) =>
    isRecordId(ruleId) ? prisma.alertRule.findFirst({ where: { id: ruleId, workspaceId } }) : null;

  return {
    async add(input) {
      try {
        return { rule: toRule(await prisma.alertRule.create({ data: input })), created: true };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
      const row = await prisma.alertRule.findUniqueOrThrow({
        where: {
          workspaceId_platform_channelId_rule: {
            workspaceId: input.workspaceId,
            platform: input.platform,
            channelId: input.channelId,
            rule: input.rule,
          },
        },
      });
      return { rule: toRule(row), created: false };
    },
    async list(workspaceId, channel) {
      const rows = await prisma.alertRule.findMany({
        where: { workspaceId, ...(channel ? { platform: channel.platform, channelId: channel.channelId } : {}) },
        orderBy: { id: "asc" },
        take: 200,
      });
      return rows.map(toRule);
    },
    async get(ruleId) {
      if (!isRecordId(ruleId)) return null;
      const row = await prisma.alertRule.findUnique({ where: { id: ruleId } });
      return row ? toRule(row) : null;
    },
    async setPaused(workspaceId, ruleId, paused) {
      const row = await findRule(workspaceId, ruleId);
      if (!row) return null;
      return toRule(await prisma.alertRule.update({ where: { id: row.id }, data: { paused } }));
    },
    async remove(workspaceId, ruleId) {
      if (!isRecordId(ruleId)) return false;
      const { count } = await prisma.alertRule.deleteMany({ where: { id: ruleId, workspaceId } });
      return count === 1;
    },
    async active(workspaceId) {
      const rows = await prisma.alertRule.findMany({
        where: { paused: false, ...(workspaceId === undefined ? {} : { workspaceId }) },
        orderBy: { id: "asc" },
      });
      return rows.map(toRule);
    },
    async claimCrossing({ rule, worker, value, now }) {
      const crossing = rule.crossings + 1;
      const { count } = await prisma.alertRule.updateMany({
        where: { id: rule.id, state: "armed", crossings: rule.crossings },
        data: { state: "firing", crossings: crossing, lastValue: value, evaluatedAt: now },
      });
      if (count !== 1) return null;
      try {
        const row = await prisma.alert.create({
          data: { ruleId: rule.id, crossing, status: "claimed", claimedBy: worker, value, createdAt: now },
        });
        return toAlert(row);
      } catch (error) {
        if (isUniqueViolation(error)) return null;
        throw error;
      }
    },
    async rearm(rule, now) {
      const { count } = await prisma.alertRule.updateMany({
        where: { id: rule.id, state: "firing", crossings: rule.crossings },
        data: { state: "armed", evaluatedAt: now },
      });
      return count === 1;
    },
    async markPosted(alertId, messageId, message) {
      await prisma.alert.update({
        where: { id: alertId },
        data: { status: "posted", messageId, message: JSON.stringify(message) },
      });
    },
    async markFailed(alertId, error) {
      await prisma.alert.update({
        where: { id: alertId },
        data: { status: "failed", message: JSON.stringify({ error: error.slice(0, 500) }) },
      });
    },
    async getAlert(alertId) {
      if (!isRecordId(alertId)) return null;
      const row = await prisma.alert.findUnique({ where: { id: alertId }, include: { rule: true } });
      return row ? { alert: toAlert(row), rule: toRule(row.rule) } : null;
    },
    async acknowledge(alertId, who, now) {
      const { count } = await prisma.alert.updateMany({
        where: { id: alertId, acknowledgedBy: null },
        data: { acknowledgedBy: who, acknowledgedAt: now },
      });
      return count === 1;
    },
    async snooze(alertId, { until, who, now }) {
      const { count } = await prisma.alert.updateMany({
        where: { id: alertId, OR: [{ snoozedUntil: null }, { snoozedUntil: { lte: now } }] },
        data: { snoozedUntil: until, snoozedBy: who },
      });
      if (count !== 1) return false;
      const alert = await prisma.alert.findUniqueOrThrow({ where: { id: alertId }, select: { ruleId: true } });
      await prisma.alertRule.update({ where: { id: alert.ruleId }, data: { snoozedUntil: until, state: "armed" } });
      return true;
    },
    async setRitual(alertId, ritualId) {
      const { count } = await prisma.alert.updateMany({ where: { id: alertId, ritualId: null }, data: { ritualId } });
      return count === 1;
    },
    async latestAlerts(ruleIds) {
      const ids = ruleIds.filter(isRecordId);
      if (ids.length === 0) return new Map();
      const rows = await prisma.alert.findMany({
        where: { ruleId: { in: ids } },
        orderBy: [{ ruleId: "asc" }, { crossing: "desc" }],
        distinct: ["ruleId"],
      });
      return new Map(rows.map((row) => [row.ruleId, toAlert(row)]));
    },
    async setMessage(alertId, message) {
      await prisma.alert.update({ where: { id: alertId }, data: { message: JSON.stringify(message) } });
    },
    async latestFactAt(workspaceId) {
      const row = await prisma.fact.findFirst({
        where: { workspaceId },
        orderBy: { occurredMs: "desc" },
        select: { occurredMs: true },
      });
      return row ? new Date(Number(row.occurredMs)) : null;
    },
  };
}

/** The "facts changed" stamp writers leave (an import, an ingest call, a source sync). */
export async function markFactsChanged(prisma: Db, workspaceId: number, now: Date): Promise<void> {
  await prisma.factsChange.upsert({
    where: { workspaceId },
    update: { version: { increment: 1 }, changedAt: now },
    create: { workspaceId, version: 1, changedAt: now },
  });
}

/** Each workspace's facts version: evaluation runs again when it moves. */
export async function factsVersions(prisma: Db): Promise<Map<number, number>> {
  const rows = await prisma.factsChange.findMany({ select: { workspaceId: true, version: true } });
  return new Map(rows.map((row) => [row.workspaceId, row.version]));
}

/**
 * The config file's rules become exactly `rules`, inside the apply's transaction: rules
 * the file still names keep their state, a chat rule with the same words becomes the
 * file's, and the rest of the file's old rules go.
 */
export async function replaceConfigAlertRules(
  tx: Pick<Db, "alertRule">,
  workspaceId: number,
  rules: { platform: string; channelId: string; rule: string }[],
  actor: string,
): Promise<void> {
  const keyOf = (r: { platform: string; channelId: string; rule: string }) =>
    `${r.platform}\u0000${r.channelId}\u0000${r.rule}`;
  const wanted = new Map(rules.map((r) => [keyOf(r), r]));
  const existing = await tx.alertRule.findMany({ where: { workspaceId, source: "config" } });
  const stale = existing.filter((row) => !wanted.has(keyOf(row))).map((row) => row.id);
  if (stale.length > 0) await tx.alertRule.deleteMany({ where: { id: { in: stale } } });
  for (const rule of wanted.values()) {
    await tx.alertRule.upsert({
      where: {
        workspaceId_platform_channelId_rule: {
          workspaceId,
          platform: rule.platform,
          channelId: rule.channelId,
          rule: rule.rule,
        },
      },
      update: { source: "config" },
      create: { ...rule, workspaceId, source: "config", createdBy: actor },
    });
  }
}
