// Digest subscriptions (one per channel) and runs over Prisma: the SubscriptionStore
// and DigestRunStore ports of src/core/digest/ports.ts. Every change to a subscription
// writes an audit row in the same transaction.
import type {
  DigestPlatform,
  DigestRunStore,
  DigestSubscription,
  SubscriptionSpec,
  SubscriptionStore,
} from "../core/digest/ports.ts";
import { CADENCES, type Cadence } from "../core/digest/schedule.ts";
import { recordAudit } from "./audit-log.ts";
import type { Db } from "./database.ts";
import { claimDigestRun, markDigestFailed, markDigestPosted } from "./digest-runs.ts";

type Row = {
  id: number;
  workspaceId: number;
  platform: string;
  channelId: string;
  cadence: string;
  dayOfWeek: number;
  time: string;
  timezone: string;
  createdBy: string;
  createdAt: Date;
  workspace: { timezone: string };
};

function toSubscription(row: Row): DigestSubscription {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    platform: row.platform === "teams" ? "teams" : "slack",
    channelId: row.channelId,
    cadence: (CADENCES as readonly string[]).includes(row.cadence) ? (row.cadence as Cadence) : "weekly",
    dayOfWeek: row.dayOfWeek,
    time: row.time,
    timezone: row.timezone,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    workspaceZone: row.workspace.timezone,
  };
}

const specOf = (row: { cadence: string; dayOfWeek: number; time: string; timezone: string }): SubscriptionSpec => ({
  cadence: row.cadence as Cadence,
  dayOfWeek: row.dayOfWeek,
  time: row.time,
  timezone: row.timezone,
});

const withWorkspace = { workspace: { select: { timezone: true } } } as const;

export function createSubscriptionStore(prisma: Db): SubscriptionStore {
  return {
    async subscribe({ workspaceId, platform, channelId, userId, spec, now }) {
      return prisma.$transaction(async (tx) => {
        const where = { workspaceId_platform_channelId: { workspaceId, platform, channelId } };
        const before = await tx.digestSubscription.findUnique({ where });
        const previous = before?.active ? specOf(before) : null;
        // Re-subscribing counts from now: a schedule changed today starts with its next due time.
        const row = await tx.digestSubscription.upsert({
          where,
          create: { workspaceId, platform, channelId, ...spec, createdBy: userId, createdAt: now, active: true },
          update: { ...spec, createdBy: userId, createdAt: now, active: true },
          include: withWorkspace,
        });
        await recordAudit(tx, {
          workspaceId,
          actor: `${platform}:${userId}`,
          action: previous ? "digest.resubscribe" : "digest.subscribe",
          detail: { channelId, ...spec, previous },
        });
        return { subscription: toSubscription(row), previous };
      });
    },

    async unsubscribe({ workspaceId, platform, channelId, userId }) {
      return prisma.$transaction(async (tx) => {
        const changed = await tx.digestSubscription.updateMany({
          where: { workspaceId, platform, channelId, active: true },
          data: { active: false },
        });
        if (changed.count === 0) return false;
        await recordAudit(tx, {
          workspaceId,
          actor: `${platform}:${userId}`,
          action: "digest.unsubscribe",
          detail: { channelId },
        });
        return true;
      });
    },

    async list(workspaceId) {
      const rows = await prisma.digestSubscription.findMany({
        where: { workspaceId, active: true },
        orderBy: { id: "asc" },
        include: withWorkspace,
      });
      return rows.map(toSubscription);
    },

    async active() {
      const rows = await prisma.digestSubscription.findMany({
        where: { active: true, platform: { in: ["slack", "teams"] satisfies DigestPlatform[] } },
        orderBy: { id: "asc" },
        include: withWorkspace,
      });
      return rows.map(toSubscription);
    },
  };
}

export function createDigestRunStore(prisma: Db): DigestRunStore {
  return {
    async states(keys) {
      if (keys.length === 0) return [];
      const rows = await prisma.digestRun.findMany({
        where: { OR: keys.map((key) => ({ subscriptionId: key.subscriptionId, periodKey: key.periodKey })) },
        select: { subscriptionId: true, periodKey: true, status: true, leaseUntil: true },
      });
      return rows;
    },
    claim: (input) => claimDigestRun(prisma, input),
    markPosted: (runId, worker, messageId, now) => markDigestPosted(prisma, runId, worker, messageId, now),
    markFailed: (runId, worker, error) => markDigestFailed(prisma, runId, worker, error),
  };
}
