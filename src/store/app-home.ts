// What the Slack App Home lists besides KPIs, read straight from the tables: the
// digest subscriptions of the workspace and its open pulses.

import type { Platform } from "../core/platform.ts";
import type { Db } from "./database.ts";

export type DigestSchedule = {
  channelId: string;
  cadence: string;
  dayOfWeek: number;
  time: string;
  timezone: string;
};

export type OpenPulse = { id: number; title: string; channelId: string; closesAt: Date };

export async function listDigestSchedules(
  prisma: Db,
  workspaceId: number,
  platform: Platform,
): Promise<DigestSchedule[]> {
  const rows = await prisma.digestSubscription.findMany({
    where: { workspaceId, platform, active: true },
    orderBy: { id: "asc" },
    take: 20,
  });
  return rows.map((row) => ({
    channelId: row.channelId,
    cadence: row.cadence,
    dayOfWeek: row.dayOfWeek,
    time: row.time,
    timezone: row.timezone,
  }));
}

export async function listOpenPulses(prisma: Db, workspaceId: number, platform: Platform): Promise<OpenPulse[]> {
  const rows = await prisma.pulse.findMany({
    where: { workspaceId, platform, status: "open" },
    orderBy: { closesAt: "asc" },
    take: 20,
  });
  return rows.map((row) => ({ id: row.id, title: row.title, channelId: row.channelId, closesAt: row.closesAt }));
}
