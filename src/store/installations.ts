// Chat installations (Slack's OAuth installs), one row per (platform, enterprise,
// team). The installation object carries bot tokens, so it is stored only sealed
// with the secret box; there is no code path that writes it in the clear.
import type { SecretBox } from "../core/crypto/secret-box.ts";
import type { Platform } from "../core/platform.ts";
import type { Db } from "./database.ts";

export type InstallationKey = { platform: Platform; teamId: string; enterpriseId?: string | null };

export type StoredInstallation = { workspaceId: number; data: string };

/** Associated data for the sealed installation: the row it belongs to. */
function sealContext(key: InstallationKey): string {
  return `installation:${key.platform}:${key.enterpriseId ?? ""}:${key.teamId}`;
}

export async function saveInstallation(
  prisma: Db,
  box: SecretBox,
  spec: InstallationKey & { workspaceId: number; botUserId?: string | null; installedBy?: string | null; data: string },
): Promise<void> {
  const enterpriseId = spec.enterpriseId ?? "";
  const dataEnc = box.seal(spec.data, sealContext(spec));
  await prisma.installation.upsert({
    where: { platform_enterpriseId_teamId: { platform: spec.platform, enterpriseId, teamId: spec.teamId } },
    create: {
      workspaceId: spec.workspaceId,
      platform: spec.platform,
      teamId: spec.teamId,
      enterpriseId,
      botUserId: spec.botUserId ?? null,
      installedBy: spec.installedBy ?? null,
      dataEnc,
    },
    update: {
      workspaceId: spec.workspaceId,
      botUserId: spec.botUserId ?? null,
      installedBy: spec.installedBy ?? null,
      dataEnc,
    },
  });
}

export async function loadInstallation(
  prisma: Db,
  box: SecretBox,
  key: InstallationKey,
): Promise<StoredInstallation | null> {
  const row = await prisma.installation.findUnique({
    where: {
      platform_enterpriseId_teamId: {
        platform: key.platform,
        enterpriseId: key.enterpriseId ?? "",
        teamId: key.teamId,
      },
    },
  });
  if (!row) return null;
  return { workspaceId: row.workspaceId, data: box.open(row.dataEnc, sealContext(key)) };
}

export async function deleteInstallation(prisma: Db, key: InstallationKey): Promise<void> {
  await prisma.installation.deleteMany({
    where: { platform: key.platform, enterpriseId: key.enterpriseId ?? "", teamId: key.teamId },
  });
}
