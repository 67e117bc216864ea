-- A cached row may now hold some parts of a window's measures ("measures:spend+customers",
-- src/store/measure-cache.ts): applying the log forgets all "measures…" rows alike.
CREATE OR REPLACE FUNCTION "measure_cache_apply"(ws integer)
 RETURNS boolean
 LANGUAGE plpgsql
AS $$
DECLARE
  last bigint;
BEGIN
  IF NOT pg_try_advisory_xact_lock(72707363, ws) THEN RETURN false; END IF;
  SELECT MAX(id) INTO last FROM measure_cache_log WHERE workspace_id = ws;
  IF last IS NULL THEN RETURN true; END IF;
  DELETE FROM measure_cache c WHERE c.workspace_id = ws AND EXISTS (
    SELECT 1 FROM measure_cache_log l WHERE l.workspace_id = ws AND l.id <= last AND (
      ((c.measure LIKE 'measures%' OR c.measure = 'new_revenue') AND l.from_ms < c.end_ms AND l.to_ms >= c.start_ms
        AND (l.instants IS NULL OR EXISTS (
          SELECT 1 FROM jsonb_array_elements_text(l.instants::jsonb) AS t(ms)
          WHERE t.ms::bigint >= c.start_ms AND t.ms::bigint < c.end_ms)))
      OR (c.measure = 'recurring' AND l.mrr_from_ms < c.end_ms)
      OR (c.measure LIKE 'measures%' AND (l.lead_entities = '"*"' OR EXISTS (
        SELECT 1 FROM facts w
        WHERE w.workspace_id = ws AND w.kind = 'won' AND w.occurred_ms >= c.start_ms AND w.occurred_ms < c.end_ms
          AND w.entity_id IN (SELECT jsonb_array_elements_text(l.lead_entities::jsonb)
                              WHERE jsonb_typeof(l.lead_entities::jsonb) = 'array'))))));
  DELETE FROM measure_cache_log WHERE workspace_id = ws AND id <= last;
  INSERT INTO measure_cache_epochs (workspace_id, epoch) VALUES (ws, 1)
  ON CONFLICT (workspace_id) DO UPDATE SET epoch = measure_cache_epochs.epoch + 1;
  RETURN true;
END $$;
