-- AlterTable (ADD COLUMN rather than Prisma's table rebuild: a large facts table is not copied)
ALTER TABLE "facts" ADD COLUMN "origin" TEXT NOT NULL DEFAULT 'import';
ALTER TABLE "facts" ADD COLUMN "record" TEXT;

-- Backfill: the demo company's facts are the ones with the demo's external ids
UPDATE "facts" SET "origin" = 'demo' WHERE "external_id" LIKE 'demo-%';

-- CreateIndex
CREATE INDEX "facts_workspace_id_origin_record_idx" ON "facts"("workspace_id", "origin", "record");

-- CreateTable
CREATE TABLE "sources" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspace_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "settings" TEXT NOT NULL DEFAULT '{}',
    "every_ms" INTEGER NOT NULL,
    "cursor" TEXT,
    "last_success_at" DATETIME,
    "last_failure_at" DATETIME,
    "last_failure" TEXT,
    "facts_owned" INTEGER NOT NULL DEFAULT 0,
    "claimed_by" TEXT,
    "lease_until" DATETIME,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "sources_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "sources_workspace_id_name_key" ON "sources"("workspace_id", "name");
