// Pulses in the database (the PulseStore port). Exactly-once steps are compare-and-set
// updates (status open → closed, reminder_sent_at null → now, scheduled → open). An
// answer is one INSERT … ON CONFLICT on the unique (question_id, respondent_key) that
// writes only while the pulse is open: on SQLite a statement is atomic against the
// close; on PostgreSQL it share-locks the pulse row, which the close's UPDATE waits for
// (and vice versa). Either way an answer counts in the results or is refused, never
// lands after them.
//
// On SQLite (better-sqlite3, one connection per process) any statement issued while an
// interactive transaction is open runs inside it, and is rolled back with it: so the hot
// path (answers) uses single statements, and the few transactions here never roll back
// on purpose.
import { AppError, ErrorCode } from "../core/errors.ts";
import { isRecordId } from "../core/ids.ts";
import { asPlatform } from "../core/platform.ts";
import type { PulseStore, RecordOutcome } from "../core/pulse/ports.ts";
import {
  MIN_GROUP_SIZE,
  type NewPulse,
  type Pulse,
  type PulseStatus,
  type QuestionKind,
  RecurrenceSchema,
} from "../core/pulse/types.ts";
import { recordAudit } from "./audit-log.ts";
import type { Database, Db } from "./database.ts";
import { findMemberDepartment, listDepartments } from "./members.ts";

type PulseRow = NonNullable<Awaited<ReturnType<Db["pulse"]["findUnique"]>>>;
type QuestionRow = NonNullable<Awaited<ReturnType<Db["pulseQuestion"]["findUnique"]>>>;

const TX_OPTIONS = { maxWait: 20_000, timeout: 20_000 };
/** how long a pulse's definition and a workspace's zone are reused before being read again */
const CACHE_MS = 60_000;
const CACHE_ENTRIES = 500;

// One statement: the answer is written only if the pulse is open at that moment, and an
// existing answer of the same person is replaced (one row per question and respondent).
// Single statements keep SQLite's one connection out of long transactions; on PostgreSQL
// FOR SHARE makes the close's UPDATE and this statement wait for each other.
const UPSERT_COLUMNS = "pulse_id, question_id, respondent_key, department, value, text, created_at, updated_at";
const ON_CONFLICT =
  "ON CONFLICT (question_id, respondent_key) DO UPDATE SET department = excluded.department, value = excluded.value, " +
  "text = excluded.text, updated_at = excluded.updated_at";
const UPSERT_ANSWER_SQLITE =
  `INSERT INTO pulse_responses (${UPSERT_COLUMNS}) SELECT ?, ?, ?, ?, ?, ?, ?, ? ` +
  `WHERE EXISTS (SELECT 1 FROM pulses WHERE id = ? AND status = 'open') ${ON_CONFLICT}`;
const UPSERT_ANSWER_POSTGRES =
  `INSERT INTO pulse_responses (${UPSERT_COLUMNS}) ` +
  "SELECT $1::integer, $2::integer, $3::text, $4::text, $5::double precision, $6::text, $7::timestamp(3), $8::timestamp(3) " +
  `WHERE EXISTS (SELECT 1 FROM pulses WHERE id = $9::integer AND status = 'open' FOR SHARE) ${ON_CONFLICT}`;

function toPulse(row: PulseRow & { questions: QuestionRow[] }): Pulse {
  let recurrence: Pulse["recurrence"] = null;
  if (row.recurrence) {
    const parsed = RecurrenceSchema.safeParse(JSON.parse(row.recurrence));
    if (!parsed.success)
      throw new AppError(ErrorCode.Internal, `pulse ${row.id}: malformed recurrence ${row.recurrence}`);
    recurrence = parsed.data;
  }
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    platform: asPlatform(row.platform),
    channelId: row.channelId,
    createdBy: row.createdBy,
    title: row.title,
    template: row.template,
    anonymous: row.anonymous,
    status: row.status as PulseStatus,
    opensAt: row.opensAt,
    closesAt: row.closesAt,
    closedAt: row.closedAt,
    reminderAt: row.reminderAt,
    reminderSentAt: row.reminderSentAt,
    askedCount: row.askedCount,
    minGroupSize: row.minGroupSize,
    recurrence,
    messageId: row.messageId,
    questions: [...row.questions]
      .sort((a, b) => a.position - b.position)
      .map((q) => ({
        id: q.id,
        position: q.position,
        text: q.text,
        kind: q.kind as QuestionKind,
        tag: q.tag,
        aboutDepartment: q.aboutDepartment,
      })),
  };
}

async function insertPulse(tx: Pick<Db, "pulse">, pulse: NewPulse): Promise<Pulse> {
  const row = await tx.pulse.create({
    data: {
      workspaceId: pulse.workspaceId,
      platform: pulse.platform,
      channelId: pulse.channelId,
      createdBy: pulse.createdBy,
      title: pulse.title,
      template: pulse.template,
      anonymous: pulse.anonymous,
      status: pulse.status,
      opensAt: pulse.opensAt,
      closesAt: pulse.closesAt,
      reminderAt: pulse.reminderAt,
      askedCount: pulse.askedCount,
      minGroupSize: pulse.minGroupSize,
      recurrence: pulse.recurrence ? JSON.stringify(pulse.recurrence) : null,
      questions: { create: pulse.questions },
    },
    include: { questions: true },
  });
  return toPulse(row);
}

export function minGroupSizeFrom(settings: string): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(settings);
  } catch {
    throw new AppError(ErrorCode.Internal, "workspaces.settings is not JSON");
  }
  const value = (parsed as { pulseMinGroupSize?: unknown } | null)?.pulseMinGroupSize;
  return typeof value === "number" && Number.isInteger(value) ? Math.max(MIN_GROUP_SIZE, value) : MIN_GROUP_SIZE;
}

export function createPulseStore(db: Database): PulseStore {
  const prisma = db.prisma;
  const withQuestions = { questions: true } as const;

  const definitions = new Map<number, { at: number; pulse: Pulse }>();
  const zones = new Map<number, { at: number; zone: string }>();
  const remember = <K, V>(cache: Map<K, { at: number } & V>, key: K, entry: V) => {
    if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value as K);
    cache.set(key, { at: Date.now(), ...entry });
  };
  const fresh = (entry: { at: number } | undefined) => entry !== undefined && Date.now() - entry.at < CACHE_MS;

  async function respondents(client: Pick<Db, "pulseResponse">, pulseId: number): Promise<number> {
    const groups = await client.pulseResponse.groupBy({ by: ["respondentKey"], where: { pulseId } });
    return groups.length;
  }

  const store: PulseStore = {
    create: (pulse) => prisma.$transaction((tx) => insertPulse(tx, pulse), TX_OPTIONS),

    async get(pulseId) {
      if (!isRecordId(pulseId)) return null;
      const row = await prisma.pulse.findUnique({ where: { id: pulseId }, include: withQuestions });
      return row ? toPulse(row) : null;
    },

    async definition(pulseId) {
      const cached = definitions.get(pulseId);
      if (fresh(cached) && cached) return cached.pulse;
      const pulse = await store.get(pulseId);
      // scheduled pulses and drafts change when they open; the others only change status, checked again on write
      if (pulse && pulse.status !== "scheduled" && pulse.status !== "draft") remember(definitions, pulseId, { pulse });
      return pulse;
    },

    async liveState(pulseId) {
      if (!isRecordId(pulseId)) return null;
      const sql =
        "SELECT p.status AS status, (SELECT COUNT(DISTINCT r.respondent_key) FROM pulse_responses r WHERE r.pulse_id = p.id) AS respondents " +
        `FROM pulses p WHERE p.id = ${db.dialect === "postgres" ? "$1" : "?"}`;
      const [row] = await prisma.$queryRawUnsafe<{ status: string; respondents: unknown }[]>(sql, pulseId);
      return row ? { status: row.status as PulseStatus, respondents: Number(row.respondents ?? 0) } : null;
    },

    async latestInChannel(where) {
      const row = await prisma.pulse.findFirst({
        where: {
          workspaceId: where.workspaceId,
          platform: where.platform,
          channelId: where.channelId,
          status: { in: where.statuses },
        },
        orderBy: { id: "desc" },
        include: withQuestions,
      });
      return row ? toPulse(row) : null;
    },

    async listInChannel(where) {
      const rows = await prisma.pulse.findMany({
        where: {
          workspaceId: where.workspaceId,
          platform: where.platform,
          channelId: where.channelId,
          status: { in: where.statuses },
        },
        orderBy: { id: "desc" },
        take: 20,
        include: withQuestions,
      });
      return rows.map(toPulse);
    },

    async setMessageId(pulseId, messageId) {
      await prisma.pulse.update({ where: { id: pulseId }, data: { messageId } });
    },

    async recordAnswer(input): Promise<RecordOutcome> {
      const previous = await prisma.pulseResponse.findUnique({
        where: { questionId_respondentKey: { questionId: input.questionId, respondentKey: input.respondent } },
        select: { value: true, text: true },
      });
      const at = db.dialect === "postgres" ? input.at : input.at.getTime();
      const written = await prisma.$executeRawUnsafe(
        db.dialect === "postgres" ? UPSERT_ANSWER_POSTGRES : UPSERT_ANSWER_SQLITE,
        input.pulseId,
        input.questionId,
        input.respondent,
        input.department,
        input.value,
        input.text,
        at,
        at,
        input.pulseId,
      );
      return written > 0 ? { ok: true, previous } : { ok: false, reason: "closed" };
    },

    countRespondents: (pulseId) => respondents(prisma, pulseId),

    async answers(pulseId) {
      const rows = await prisma.pulseResponse.findMany({ where: { pulseId }, orderBy: { id: "asc" } });
      return rows.map((row) => ({
        questionId: row.questionId,
        respondent: row.respondentKey,
        department: row.department,
        value: row.value,
        text: row.text,
      }));
    },

    close: ({ pulseId, now, next }) =>
      prisma.$transaction(async (tx) => {
        const won = await tx.pulse.updateMany({
          where: { id: pulseId, status: "open" },
          data: { status: "closed", closedAt: now, closedMs: BigInt(now.getTime()) },
        });
        if (won.count !== 1) return { closed: false, nextId: null };
        // people who joined the channel after it was posted still count as asked
        const answered = await respondents(tx, pulseId);
        await tx.pulse.updateMany({
          where: { id: pulseId, askedCount: { lt: answered } },
          data: { askedCount: answered },
        });
        const created = next ? await insertPulse(tx, next) : null;
        return { closed: true, nextId: created?.id ?? null };
      }, TX_OPTIONS),

    async claimReminder(pulseId, now) {
      const won = await prisma.pulse.updateMany({
        where: { id: pulseId, status: "open", reminderSentAt: null },
        data: { reminderSentAt: now },
      });
      return won.count === 1;
    },

    async claimOpening(pulseId, askedCount) {
      const won = await prisma.pulse.updateMany({
        where: { id: pulseId, status: "scheduled" },
        data: { status: "open", askedCount },
      });
      return won.count === 1;
    },

    async publishDraft(pulseId, times) {
      const won = await prisma.pulse.updateMany({
        where: { id: pulseId, status: "draft" },
        data: { status: "open", ...times },
      });
      return won.count === 1;
    },

    async discardDraft(pulseId) {
      const won = await prisma.pulse.updateMany({
        where: { id: pulseId, status: "draft" },
        data: { status: "cancelled" },
      });
      return won.count === 1;
    },

    async releaseOpening(pulseId) {
      await prisma.pulse.updateMany({
        where: { id: pulseId, status: "open", messageId: null },
        data: { status: "scheduled" },
      });
    },

    async cancel(pulseId) {
      await prisma.pulse.updateMany({
        where: { id: pulseId, status: { in: ["open", "scheduled"] } },
        data: { status: "cancelled" },
      });
    },

    skip: ({ pulseId, next }) =>
      prisma.$transaction(async (tx) => {
        const won = await tx.pulse.updateMany({
          where: { id: pulseId, status: "scheduled" },
          data: { status: "cancelled" },
        });
        if (won.count !== 1) return false;
        if (next) await insertPulse(tx, next);
        return true;
      }, TX_OPTIONS),

    async stopRecurrence(pulseIds) {
      if (pulseIds.length === 0) return 0;
      return prisma.$transaction(async (tx) => {
        const cancelled = await tx.pulse.updateMany({
          where: { id: { in: pulseIds }, status: "scheduled" },
          data: { status: "cancelled" },
        });
        const open = await tx.pulse.updateMany({
          where: { id: { in: pulseIds }, status: "open", recurrence: { not: null } },
          data: { recurrence: null },
        });
        return cancelled.count + open.count;
      }, TX_OPTIONS);
    },

    async dueToOpen(now, limit) {
      const rows = await prisma.pulse.findMany({
        where: { status: "scheduled", opensAt: { lte: now } },
        orderBy: { opensAt: "asc" },
        take: limit,
        include: withQuestions,
      });
      return rows.map(toPulse);
    },

    async dueReminders(now, limit) {
      const rows = await prisma.pulse.findMany({
        where: { status: "open", reminderSentAt: null, reminderAt: { lte: now }, closesAt: { gt: now } },
        orderBy: { reminderAt: "asc" },
        take: limit,
        include: withQuestions,
      });
      return rows.map(toPulse);
    },

    async dueToClose(now, limit) {
      const rows = await prisma.pulse.findMany({
        where: { status: "open", closesAt: { lte: now } },
        orderBy: { closesAt: "asc" },
        take: limit,
        include: withQuestions,
      });
      return rows.map(toPulse);
    },

    async memberDepartment(workspaceId, platform, userId) {
      return (await findMemberDepartment(prisma, workspaceId, platform, userId))?.key ?? null;
    },

    departments: (workspaceId) => listDepartments(prisma, workspaceId),

    async zone(workspaceId) {
      const cached = zones.get(workspaceId);
      if (fresh(cached) && cached) return cached.zone;
      const row = await prisma.workspace.findUnique({ where: { id: workspaceId }, select: { timezone: true } });
      const zone = row?.timezone ?? "UTC";
      remember(zones, workspaceId, { zone });
      return zone;
    },

    async minGroupSize(workspaceId) {
      const row = await prisma.workspace.findUnique({ where: { id: workspaceId }, select: { settings: true } });
      return minGroupSizeFrom(row?.settings ?? "{}");
    },

    knownMembers: (workspaceId, platform) => prisma.member.count({ where: { workspaceId, platform } }),

    audit: (entry) => recordAudit(prisma, entry),
  };
  return store;
}
