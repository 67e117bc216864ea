-- CreateTable
CREATE TABLE "measure_cache" (
    "workspace_id" INTEGER NOT NULL,
    "measure" TEXT NOT NULL,
    "start_ms" BIGINT NOT NULL,
    "end_ms" BIGINT NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "measure_cache_pkey" PRIMARY KEY ("workspace_id","measure","start_ms","end_ms")
);

-- CreateTable
CREATE TABLE "measure_cache_epochs" (
    "workspace_id" INTEGER NOT NULL,
    "epoch" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "measure_cache_epochs_pkey" PRIMARY KEY ("workspace_id")
);

-- CreateIndex
CREATE INDEX "measure_cache_workspace_id_start_ms_idx" ON "measure_cache"("workspace_id", "start_ms");

-- CreateIndex
CREATE INDEX "measure_cache_workspace_id_end_ms_idx" ON "measure_cache"("workspace_id", "end_ms");

-- AddForeignKey
ALTER TABLE "measure_cache" ADD CONSTRAINT "measure_cache_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "measure_cache_epochs" ADD CONSTRAINT "measure_cache_epochs_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- PostgreSQL answers are not cached yet: the invalidation triggers come with the
-- migration that turns the cache on for it (src/app/kpi.ts).
