// Conversation references live in the database, never in memory: any replica can
// post proactively to a conversation another replica first saw.
import type { Db } from "./database.ts";

type ReferenceLike = { conversation?: { id?: string; name?: string } | null };

export async function saveConversationReference(
  prisma: Db,
  workspaceId: number,
  platform: string,
  reference: ReferenceLike,
): Promise<void> {
  const conversationId = reference.conversation?.id;
  if (!conversationId) return;
  const json = JSON.stringify(reference);
  const where = { workspaceId_platform_conversationId: { workspaceId, platform, conversationId } };
  // Every Teams message comes through here and almost always finds the same reference:
  // read first, so a message does not wait for an import holding SQLite's write lock.
  const stored = await prisma.conversationRef.findUnique({ where, select: { reference: true } });
  if (stored?.reference === json) return;
  await prisma.conversationRef.upsert({
    where,
    create: { workspaceId, platform, conversationId, name: reference.conversation?.name ?? null, reference: json },
    update: { reference: json, name: reference.conversation?.name ?? undefined },
  });
}

export async function loadConversationReference<T>(
  prisma: Db,
  workspaceId: number,
  platform: string,
  conversationId: string,
): Promise<T | null> {
  const row = await prisma.conversationRef.findUnique({
    where: { workspaceId_platform_conversationId: { workspaceId, platform, conversationId } },
  });
  return row ? (JSON.parse(row.reference) as T) : null;
}
