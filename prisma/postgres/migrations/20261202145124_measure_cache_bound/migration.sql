-- AlterTable
ALTER TABLE "measure_cache" ADD COLUMN     "used_ms" BIGINT NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "measure_cache_used_ms_idx" ON "measure_cache"("used_ms");


-- The cache's bound (src/store/measure-cache.ts): a fill stamps used_ms and, when the
-- table holds more rows than the bound, deletes the least recently used, skipping rows
-- another transaction holds (an apply deleting them, a touch) so it never waits for one.
-- Evicting only ever deletes: a missing window is computed afresh.
DROP FUNCTION "measure_cache_fill"(integer, text, bigint, bigint, text, bigint);

CREATE FUNCTION "measure_cache_fill"(ws integer, kind text, from_ms bigint, to_ms bigint, answer text, seen bigint,
  used bigint, max_rows bigint)
RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  IF NOT pg_try_advisory_xact_lock(72707363, ws) THEN RETURN false; END IF;
  IF EXISTS (SELECT 1 FROM measure_cache_log WHERE workspace_id = ws)
    OR COALESCE((SELECT epoch FROM measure_cache_epochs WHERE workspace_id = ws), 0) <> seen THEN
    RETURN false;
  END IF;
  INSERT INTO measure_cache (workspace_id, measure, start_ms, end_ms, value, used_ms)
  VALUES (ws, kind, from_ms, to_ms, answer, used)
  ON CONFLICT (workspace_id, measure, start_ms, end_ms) DO NOTHING;
  DELETE FROM measure_cache WHERE ctid IN (
    SELECT ctid FROM measure_cache ORDER BY used_ms
    LIMIT GREATEST(0, (SELECT COUNT(*) FROM measure_cache) - max_rows)
    FOR UPDATE SKIP LOCKED);
  RETURN true;
END $$;
