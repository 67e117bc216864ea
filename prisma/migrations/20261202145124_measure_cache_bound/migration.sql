-- AlterTable (by hand: redefining the table would trip over the invalidation triggers
-- that name it; adding a column with a constant default needs no redefinition)
ALTER TABLE "measure_cache" ADD COLUMN "used_ms" BIGINT NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "measure_cache_used_ms_idx" ON "measure_cache"("used_ms");

-- The cache's bound (src/store/measure-cache.ts): a fill stamps used_ms, a read touches
-- it now and then, and when the table holds more rows than the bound the least recently
-- used go. Evicting only ever deletes: a missing window is computed afresh.
