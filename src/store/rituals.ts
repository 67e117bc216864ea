// Rituals in the database (the RitualStore port): opening is an insert guarded by the
// unique (workspace, platform, channel, metric, period); votes upsert on (ritual,
// voter key); deciding is a compare-and-set open → decided that schedules the outcome
// check in the same statement.
import { isRecordId } from "../core/ids.ts";
import { asPlatform } from "../core/platform.ts";
import type { RitualStore } from "../core/rituals/ports.ts";
import {
  type OutcomeStatus,
  type Ritual,
  type RitualStatus,
  type Tally,
  type Verdict,
  WHY_REASONS,
  type WhyReason,
} from "../core/rituals/types.ts";
import { recordAudit } from "./audit-log.ts";
import type { Database, Db } from "./database.ts";
import { isUniqueViolation } from "./digest-runs.ts";
import { listDepartments } from "./members.ts";

type RitualRow = NonNullable<Awaited<ReturnType<Db["ritual"]["findUnique"]>>>;
type OutcomeRow = NonNullable<Awaited<ReturnType<Db["ritualOutcome"]["findUnique"]>>>;

const withOutcome = { outcome: true } as const;

function toRitual(row: RitualRow & { outcome?: OutcomeRow | null }): Ritual {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    metricKey: row.metricKey,
    periodKey: row.periodKey,
    platform: asPlatform(row.platform),
    channelId: row.channelId,
    threadId: row.threadId,
    status: row.status as RitualStatus,
    decision: row.decision,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt,
    createdAt: row.createdAt,
    outcome: row.outcome
      ? {
          dueAt: row.outcome.dueAt,
          status: row.outcome.status as OutcomeStatus,
          verdict: row.outcome.verdict as Verdict | null,
          value: row.outcome.value,
          target: row.outcome.target,
          baseline: row.outcome.baseline,
          postedAt: row.outcome.postedAt,
        }
      : null,
  };
}

const emptyTally = (): Tally => Object.fromEntries(WHY_REASONS.map((r) => [r, 0])) as Tally;

export function createRitualStore(db: Database): RitualStore {
  const prisma = db.prisma;
  async function tallies(ritualIds: number[]): Promise<Map<number, Tally>> {
    const result = new Map<number, Tally>(ritualIds.map((id) => [id, emptyTally()]));
    if (ritualIds.length === 0) return result;
    const groups = await prisma.ritualVote.groupBy({
      by: ["ritualId", "reason"],
      where: { ritualId: { in: ritualIds } },
      _count: { _all: true },
    });
    for (const group of groups) {
      const tally = result.get(group.ritualId);
      if (tally && (WHY_REASONS as readonly string[]).includes(group.reason))
        tally[group.reason as WhyReason] = group._count._all;
    }
    return result;
  }

  return {
    async open(input) {
      const key = {
        workspaceId_platform_channelId_metricKey_periodKey: {
          workspaceId: input.workspaceId,
          platform: input.platform,
          channelId: input.channelId,
          metricKey: input.metricKey,
          periodKey: input.periodKey,
        },
      };
      try {
        const row = await prisma.ritual.create({ data: { ...input } });
        return { ritual: toRitual(row), created: true };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const row = await prisma.ritual.findUnique({ where: key, include: withOutcome });
        if (!row) throw error;
        return { ritual: toRitual(row), created: false };
      }
    },

    async get(ritualId) {
      if (!isRecordId(ritualId)) return null;
      const row = await prisma.ritual.findUnique({ where: { id: ritualId }, include: withOutcome });
      return row ? toRitual(row) : null;
    },

    async vote({ ritualId, voterKey, reason }) {
      const where = { ritualId_voterKey: { ritualId, voterKey } };
      for (let tries = 1; ; tries++) {
        try {
          const previous = await prisma.ritualVote.findUnique({ where, select: { reason: true } });
          await prisma.ritualVote.upsert({ where, create: { ritualId, voterKey, reason }, update: { reason } });
          return { previous: (previous?.reason as WhyReason | undefined) ?? null };
        } catch (error) {
          if (!isUniqueViolation(error) || tries >= 3) throw error;
        }
      }
    },

    async tally(ritualId) {
      return (await tallies([ritualId])).get(ritualId) ?? emptyTally();
    },

    tallies,

    async decide({ ritualId, decision, decidedBy, now, checkAt }) {
      try {
        // One statement: a decided ritual always has its check scheduled.
        await prisma.ritual.update({
          where: { id: ritualId, status: "open" },
          data: { status: "decided", decision, decidedBy, decidedAt: now, outcome: { create: { dueAt: checkAt } } },
        });
        return true;
      } catch (error) {
        // P2025: no open ritual with that id; a unique violation: a concurrent decision won
        if ((error as { code?: string })?.code === "P2025" || isUniqueViolation(error)) return false;
        throw error;
      }
    },

    async list(workspaceId, limit) {
      const rows = await prisma.ritual.findMany({
        where: { workspaceId },
        orderBy: { id: "desc" },
        take: limit,
        include: withOutcome,
      });
      return rows.map(toRitual);
    },

    async zone(workspaceId) {
      const row = await prisma.workspace.findUnique({ where: { id: workspaceId }, select: { timezone: true } });
      return row?.timezone ?? "UTC";
    },

    departments: (workspaceId) => listDepartments(prisma, workspaceId),

    audit: (entry) => recordAudit(prisma, entry),
  };
}
