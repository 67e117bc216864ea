-- CreateTable
CREATE TABLE "measure_cache_log" (
    "id" BIGINT NOT NULL PRIMARY KEY,
    "workspace_id" INTEGER NOT NULL,
    "from_ms" BIGINT,
    "to_ms" BIGINT,
    "instants" TEXT,
    "mrr_from_ms" BIGINT,
    "lead_entities" TEXT,
    CONSTRAINT "measure_cache_log_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "measure_cache_log_workspace_id_id_idx" ON "measure_cache_log"("workspace_id", "id");


-- PostgreSQL's deferred invalidation (see prisma/postgres/migrations); SQLite's triggers
-- delete cached rows at once, so on SQLite this table stays empty.
