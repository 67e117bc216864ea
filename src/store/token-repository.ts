// Ingest tokens (table ingest_tokens): created, listed, revoked per workspace, and
// verified by hash for the ingest API.
import { AppError, ErrorCode } from "../core/errors.ts";
import { checkTokenName, createToken, hashToken, looksLikeToken, tokenMatches } from "../core/tokens/ingest-token.ts";
import type { Db } from "./database.ts";

export type IngestTokenInfo = {
  id: number;
  workspaceId: number;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

export type VerifiedToken = { tokenId: number; workspaceId: number; name: string };

// Recording every use would make each ingest request a write; a minute's precision is plenty.
const LAST_USED_PRECISION_MS = 60_000;

const INFO = {
  id: true,
  workspaceId: true,
  name: true,
  prefix: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

export function createTokenRepository(prisma: Db, clock: { now(): Date } = { now: () => new Date() }) {
  return {
    /** Creates a token; a revoked token of the same name is replaced. Returns the token, to show once. */
    async create(workspaceId: number, name: string): Promise<{ token: string; info: IngestTokenInfo }> {
      checkTokenName(name);
      const existing = await prisma.ingestToken.findUnique({ where: { workspaceId_name: { workspaceId, name } } });
      if (existing !== null && existing.revokedAt === null)
        throw new AppError(
          ErrorCode.Conflict,
          `a token named ${name} already exists (revoke it first: tandem token revoke ${name})`,
        );
      const fresh = createToken();
      const info = await prisma.$transaction(async (tx) => {
        if (existing !== null) await tx.ingestToken.delete({ where: { id: existing.id } });
        return tx.ingestToken.create({
          data: { workspaceId, name, tokenHash: fresh.hash, prefix: fresh.prefix, createdAt: clock.now() },
          select: INFO,
        });
      });
      return { token: fresh.token, info };
    },

    async list(workspaceId: number): Promise<IngestTokenInfo[]> {
      return prisma.ingestToken.findMany({ where: { workspaceId }, orderBy: { name: "asc" }, select: INFO });
    },

    /** Revokes the named token; returns false when it was already revoked. */
    async revoke(workspaceId: number, name: string): Promise<boolean> {
      const existing = await prisma.ingestToken.findUnique({ where: { workspaceId_name: { workspaceId, name } } });
      if (existing === null) throw new AppError(ErrorCode.NotFound, `no token named ${name}`);
      if (existing.revokedAt !== null) return false;
      await prisma.ingestToken.update({ where: { id: existing.id }, data: { revokedAt: clock.now() } });
      return true;
    },

    /** The workspace a presented token writes to, or null when it is unknown or revoked. */
    async verify(token: string): Promise<VerifiedToken | null> {
      if (!looksLikeToken(token)) return null;
      const row = await prisma.ingestToken.findUnique({ where: { tokenHash: hashToken(token) } });
      if (row === null || row.revokedAt !== null || !tokenMatches(token, row.tokenHash)) return null;
      const now = clock.now();
      if (row.lastUsedAt === null || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_PRECISION_MS)
        await prisma.ingestToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
      return { tokenId: row.id, workspaceId: row.workspaceId, name: row.name };
    },
  };
}

export type TokenRepository = ReturnType<typeof createTokenRepository>;
