-- AlterTable
ALTER TABLE "facts" ADD COLUMN     "origin" TEXT NOT NULL DEFAULT 'import',
ADD COLUMN     "record" TEXT;

-- Backfill: the demo company's facts are the ones with the demo's external ids
UPDATE "facts" SET "origin" = 'demo' WHERE "external_id" LIKE 'demo-%';

-- CreateTable
CREATE TABLE "sources" (
    "id" SERIAL NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "settings" TEXT NOT NULL DEFAULT '{}',
    "every_ms" INTEGER NOT NULL,
    "cursor" TEXT,
    "last_success_at" TIMESTAMP(3),
    "last_failure_at" TIMESTAMP(3),
    "last_failure" TEXT,
    "facts_owned" INTEGER NOT NULL DEFAULT 0,
    "claimed_by" TEXT,
    "lease_until" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "sources_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "sources_workspace_id_name_key" ON "sources"("workspace_id", "name");

-- CreateIndex
CREATE INDEX "facts_workspace_id_origin_record_idx" ON "facts"("workspace_id", "origin", "record");

-- AddForeignKey
ALTER TABLE "sources" ADD CONSTRAINT "sources_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

