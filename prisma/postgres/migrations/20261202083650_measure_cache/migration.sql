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


-- Invalidation (src/store/measure-cache.ts). Every write a cached measure can depend on
-- bumps the workspace's epoch, so a fill computed before the write is never stored (the
-- fill locks the epoch row FOR SHARE, so it also waits for a writer still in flight), and
-- deletes exactly the cached windows the written rows can change:
--   a fact at t (not mrr): the windows holding t ('new_revenue' only for won facts);
--   an mrr fact at t: every recurring window ending after t (the latest value before
--     the start and before the end of any later window can change);
--   a lead of entity e: also every window holding a won fact of e (first-touch channel
--     and sales cycle reach back to the entity's first lead, in any period);
--   a pulse, question or answer: the windows holding the pulse's closing instant.
-- Statement-level triggers over the transition tables: one pass per statement, however
-- many rows it writes; the deletes run only when the workspaces have cached rows.
-- Assumes writers run in READ COMMITTED (PostgreSQL's and Prisma's default), where each
-- statement below sees the fills committed before it.

CREATE FUNCTION "measure_cache_forget_facts"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed text := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT workspace_id, occurred_ms, kind, entity_id FROM new_rows'
    WHEN 'DELETE' THEN 'SELECT workspace_id, occurred_ms, kind, entity_id FROM old_rows'
    ELSE 'SELECT workspace_id, occurred_ms, kind, entity_id FROM new_rows
          UNION ALL SELECT workspace_id, occurred_ms, kind, entity_id FROM old_rows' END;
  cached boolean;
BEGIN
  EXECUTE format($sql$
    INSERT INTO measure_cache_epochs (workspace_id, epoch)
    SELECT DISTINCT workspace_id, 1 FROM (%s) AS f ORDER BY workspace_id
    ON CONFLICT (workspace_id) DO UPDATE SET epoch = measure_cache_epochs.epoch + 1$sql$, changed);
  EXECUTE format($sql$
    SELECT EXISTS (SELECT 1 FROM measure_cache c WHERE c.workspace_id IN (SELECT workspace_id FROM (%s) AS f))$sql$,
    changed) INTO cached;
  IF NOT cached THEN RETURN NULL; END IF;
  EXECUTE format($sql$
    DELETE FROM measure_cache c USING (%s) AS f
    WHERE c.workspace_id = f.workspace_id AND (
      (f.kind <> 'mrr' AND (c.measure = 'measures' OR (c.measure = 'new_revenue' AND f.kind = 'won'))
        AND c.start_ms <= f.occurred_ms AND f.occurred_ms < c.end_ms)
      OR (f.kind = 'mrr' AND c.measure = 'recurring' AND f.occurred_ms < c.end_ms))$sql$, changed);
  EXECUTE format($sql$
    DELETE FROM measure_cache c USING (
      SELECT DISTINCT w.workspace_id, w.occurred_ms FROM (%s) AS f
      JOIN facts w ON w.workspace_id = f.workspace_id AND w.kind = 'won' AND w.entity_id = f.entity_id
      WHERE f.kind = 'lead') AS won
    WHERE c.workspace_id = won.workspace_id AND c.measure = 'measures'
      AND c.start_ms <= won.occurred_ms AND won.occurred_ms < c.end_ms$sql$, changed);
  RETURN NULL;
END $$;

CREATE TRIGGER measure_cache_forget_fact_insert AFTER INSERT ON facts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION measure_cache_forget_facts();
CREATE TRIGGER measure_cache_forget_fact_update AFTER UPDATE ON facts
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION measure_cache_forget_facts();
CREATE TRIGGER measure_cache_forget_fact_delete AFTER DELETE ON facts
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION measure_cache_forget_facts();

-- Pulses, their questions and their answers: `pulse_id` names the pulse (for pulses, `id`).
CREATE FUNCTION "measure_cache_forget_pulses"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  key text := CASE WHEN TG_TABLE_NAME = 'pulses' THEN 'id' ELSE 'pulse_id' END;
  changed text := CASE TG_OP
    WHEN 'INSERT' THEN format('SELECT %I AS pulse_id FROM new_rows', key)
    WHEN 'DELETE' THEN format('SELECT %I AS pulse_id FROM old_rows', key)
    ELSE format('SELECT %I AS pulse_id FROM new_rows UNION SELECT %I FROM old_rows', key, key) END;
  closings text;
BEGIN
  -- A deleted pulse is no longer in the table: its closing instant comes from old_rows.
  closings := CASE WHEN TG_TABLE_NAME = 'pulses' AND TG_OP <> 'INSERT'
    THEN 'SELECT workspace_id, closed_ms FROM old_rows WHERE closed_ms IS NOT NULL UNION ' ELSE '' END
    || format('SELECT p.workspace_id, p.closed_ms FROM pulses p WHERE p.closed_ms IS NOT NULL AND p.id IN (%s)', changed);
  EXECUTE format($sql$
    INSERT INTO measure_cache_epochs (workspace_id, epoch)
    SELECT DISTINCT workspace_id, 1 FROM (%s) AS p ORDER BY workspace_id
    ON CONFLICT (workspace_id) DO UPDATE SET epoch = measure_cache_epochs.epoch + 1$sql$, closings);
  EXECUTE format($sql$
    DELETE FROM measure_cache c USING (%s) AS p
    WHERE c.workspace_id = p.workspace_id AND c.measure = 'measures'
      AND c.start_ms <= p.closed_ms AND p.closed_ms < c.end_ms$sql$, closings);
  RETURN NULL;
END $$;

CREATE TRIGGER measure_cache_forget_pulse_insert AFTER INSERT ON pulses
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION measure_cache_forget_pulses();
CREATE TRIGGER measure_cache_forget_pulse_update AFTER UPDATE ON pulses
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION measure_cache_forget_pulses();
CREATE TRIGGER measure_cache_forget_pulse_delete AFTER DELETE ON pulses
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION measure_cache_forget_pulses();
CREATE TRIGGER measure_cache_forget_question_insert AFTER INSERT ON pulse_questions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION measure_cache_forget_pulses();
CREATE TRIGGER measure_cache_forget_question_update AFTER UPDATE ON pulse_questions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION measure_cache_forget_pulses();
CREATE TRIGGER measure_cache_forget_question_delete AFTER DELETE ON pulse_questions
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION measure_cache_forget_pulses();
CREATE TRIGGER measure_cache_forget_answer_insert AFTER INSERT ON pulse_responses
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION measure_cache_forget_pulses();
CREATE TRIGGER measure_cache_forget_answer_update AFTER UPDATE ON pulse_responses
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION measure_cache_forget_pulses();
CREATE TRIGGER measure_cache_forget_answer_delete AFTER DELETE ON pulse_responses
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION measure_cache_forget_pulses();
