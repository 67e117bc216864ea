-- CreateTable
CREATE TABLE "measure_cache_log" (
    "id" BIGSERIAL NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "from_ms" BIGINT,
    "to_ms" BIGINT,
    "instants" TEXT,
    "mrr_from_ms" BIGINT,
    "lead_entities" TEXT,

    CONSTRAINT "measure_cache_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "measure_cache_log_workspace_id_id_idx" ON "measure_cache_log"("workspace_id", "id");

-- AddForeignKey
ALTER TABLE "measure_cache_log" ADD CONSTRAINT "measure_cache_log_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- The measure cache on PostgreSQL (src/store/measure-cache.ts). Writers run side by side
-- here, so they neither delete cached rows nor bump a shared counter (both would make
-- concurrent writers wait for each other). Each write statement instead, in its trigger:
--   takes the workspace's advisory lock SHARED until it commits (writers never conflict;
--   a fill or an apply takes it EXCLUSIVELY without waiting, so neither runs while a
--   writer is in flight), and
--   appends what it touched to measure_cache_log, committed with its rows.
-- A look-up that sees log rows applies them first (measure_cache_apply): it deletes the
-- cached windows they can change and bumps the epoch, which a fill must find unchanged.
-- What a written row can change:
--   a fact at t (not mrr): the windows holding t;
--   an mrr fact at t: every recurring window ending after t;
--   a lead of entity e: also every window holding a won fact of e (first touch and the
--     sales cycle reach back to the entity's first lead, in any period);
--   a pulse, question or answer: the windows holding the pulse's closing instant.

CREATE FUNCTION "measure_cache_log_facts"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed text := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT workspace_id, occurred_ms, kind, entity_id FROM new_rows'
    WHEN 'DELETE' THEN 'SELECT workspace_id, occurred_ms, kind, entity_id FROM old_rows'
    ELSE 'SELECT workspace_id, occurred_ms, kind, entity_id FROM new_rows
          UNION ALL SELECT workspace_id, occurred_ms, kind, entity_id FROM old_rows' END;
BEGIN
  EXECUTE format($sql$
    SELECT pg_advisory_xact_lock_shared(72707363, workspace_id)
    FROM (SELECT DISTINCT workspace_id FROM (%s) AS f ORDER BY workspace_id) AS w$sql$, changed);
  EXECUTE format($sql$
    INSERT INTO measure_cache_log (workspace_id, from_ms, to_ms, instants, mrr_from_ms, lead_entities)
    SELECT workspace_id,
      MIN(occurred_ms) FILTER (WHERE kind <> 'mrr'),
      MAX(occurred_ms) FILTER (WHERE kind <> 'mrr'),
      CASE WHEN COUNT(DISTINCT occurred_ms) FILTER (WHERE kind <> 'mrr') <= 256
        THEN (jsonb_agg(DISTINCT occurred_ms) FILTER (WHERE kind <> 'mrr'))::text END,
      MIN(occurred_ms) FILTER (WHERE kind = 'mrr'),
      CASE WHEN COUNT(DISTINCT entity_id) FILTER (WHERE kind = 'lead') > 1024 THEN '"*"'
        ELSE (jsonb_agg(DISTINCT entity_id) FILTER (WHERE kind = 'lead' AND entity_id IS NOT NULL))::text END
    FROM (%s) AS f GROUP BY workspace_id$sql$, changed);
  RETURN NULL;
END $$;

CREATE TRIGGER measure_cache_log_fact_insert AFTER INSERT ON facts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION measure_cache_log_facts();
CREATE TRIGGER measure_cache_log_fact_update AFTER UPDATE ON facts
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION measure_cache_log_facts();
CREATE TRIGGER measure_cache_log_fact_delete AFTER DELETE ON facts
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION measure_cache_log_facts();

-- Pulses, their questions and their answers: `pulse_id` names the pulse (for pulses, `id`).
-- Only closed pulses (closed_ms set) feed a measure.
CREATE FUNCTION "measure_cache_log_pulses"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  key text := CASE WHEN TG_TABLE_NAME = 'pulses' THEN 'id' ELSE 'pulse_id' END;
  changed text := CASE TG_OP
    WHEN 'INSERT' THEN format('SELECT %I AS pulse_id FROM new_rows', key)
    WHEN 'DELETE' THEN format('SELECT %I AS pulse_id FROM old_rows', key)
    ELSE format('SELECT %I AS pulse_id FROM new_rows UNION SELECT %I FROM old_rows', key, key) END;
  closings text;
BEGIN
  -- A deleted or changed pulse's former closing instant comes from old_rows.
  closings := CASE WHEN TG_TABLE_NAME = 'pulses' AND TG_OP <> 'INSERT'
    THEN 'SELECT workspace_id, closed_ms FROM old_rows WHERE closed_ms IS NOT NULL UNION ALL ' ELSE '' END
    || format('SELECT p.workspace_id, p.closed_ms FROM pulses p WHERE p.closed_ms IS NOT NULL AND p.id IN (%s)', changed);
  EXECUTE format($sql$
    SELECT pg_advisory_xact_lock_shared(72707363, workspace_id)
    FROM (SELECT DISTINCT workspace_id FROM (%s) AS p ORDER BY workspace_id) AS w$sql$, closings);
  EXECUTE format($sql$
    INSERT INTO measure_cache_log (workspace_id, from_ms, to_ms, instants)
    SELECT workspace_id, MIN(closed_ms), MAX(closed_ms), (jsonb_agg(DISTINCT closed_ms))::text
    FROM (%s) AS p GROUP BY workspace_id$sql$, closings);
  RETURN NULL;
END $$;

CREATE TRIGGER measure_cache_log_pulse_insert AFTER INSERT ON pulses
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION measure_cache_log_pulses();
CREATE TRIGGER measure_cache_log_pulse_update AFTER UPDATE ON pulses
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION measure_cache_log_pulses();
CREATE TRIGGER measure_cache_log_pulse_delete AFTER DELETE ON pulses
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION measure_cache_log_pulses();
CREATE TRIGGER measure_cache_log_question_insert AFTER INSERT ON pulse_questions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION measure_cache_log_pulses();
CREATE TRIGGER measure_cache_log_question_update AFTER UPDATE ON pulse_questions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION measure_cache_log_pulses();
CREATE TRIGGER measure_cache_log_question_delete AFTER DELETE ON pulse_questions
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION measure_cache_log_pulses();
CREATE TRIGGER measure_cache_log_answer_insert AFTER INSERT ON pulse_responses
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION measure_cache_log_pulses();
CREATE TRIGGER measure_cache_log_answer_update AFTER UPDATE ON pulse_responses
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION measure_cache_log_pulses();
CREATE TRIGGER measure_cache_log_answer_delete AFTER DELETE ON pulse_responses
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION measure_cache_log_pulses();

-- Applies the workspace's log: false (and nothing done) while a writer is in flight.
CREATE FUNCTION "measure_cache_apply"(ws integer) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  last bigint;
BEGIN
  IF NOT pg_try_advisory_xact_lock(72707363, ws) THEN RETURN false; END IF;
  SELECT MAX(id) INTO last FROM measure_cache_log WHERE workspace_id = ws;
  IF last IS NULL THEN RETURN true; END IF;
  DELETE FROM measure_cache c WHERE c.workspace_id = ws AND EXISTS (
    SELECT 1 FROM measure_cache_log l WHERE l.workspace_id = ws AND l.id <= last AND (
      (c.measure IN ('measures', 'new_revenue') AND l.from_ms < c.end_ms AND l.to_ms >= c.start_ms
        AND (l.instants IS NULL OR EXISTS (
          SELECT 1 FROM jsonb_array_elements_text(l.instants::jsonb) AS t(ms)
          WHERE t.ms::bigint >= c.start_ms AND t.ms::bigint < c.end_ms)))
      OR (c.measure = 'recurring' AND l.mrr_from_ms < c.end_ms)
      OR (c.measure = 'measures' AND (l.lead_entities = '"*"' OR EXISTS (
        SELECT 1 FROM facts w
        WHERE w.workspace_id = ws AND w.kind = 'won' AND w.occurred_ms >= c.start_ms AND w.occurred_ms < c.end_ms
          AND w.entity_id IN (SELECT jsonb_array_elements_text(l.lead_entities::jsonb)
                              WHERE jsonb_typeof(l.lead_entities::jsonb) = 'array'))))));
  DELETE FROM measure_cache_log WHERE workspace_id = ws AND id <= last;
  INSERT INTO measure_cache_epochs (workspace_id, epoch) VALUES (ws, 1)
  ON CONFLICT (workspace_id) DO UPDATE SET epoch = measure_cache_epochs.epoch + 1;
  RETURN true;
END $$;

-- A fill: stored only if no writer is in flight, none has committed since the look-up
-- (its log rows would be here) and no apply has run since (the epoch it carries).
CREATE FUNCTION "measure_cache_fill"(ws integer, kind text, from_ms bigint, to_ms bigint, answer text, seen bigint)
RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  IF NOT pg_try_advisory_xact_lock(72707363, ws) THEN RETURN false; END IF;
  IF EXISTS (SELECT 1 FROM measure_cache_log WHERE workspace_id = ws)
    OR COALESCE((SELECT epoch FROM measure_cache_epochs WHERE workspace_id = ws), 0) <> seen THEN
    RETURN false;
  END IF;
  INSERT INTO measure_cache (workspace_id, measure, start_ms, end_ms, value)
  VALUES (ws, kind, from_ms, to_ms, answer)
  ON CONFLICT (workspace_id, measure, start_ms, end_ms) DO NOTHING;
  RETURN true;
END $$;
