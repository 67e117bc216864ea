-- A cached row may now hold some parts of a window's measures ("measures:spend+customers",
-- src/store/measure-cache.ts): every trigger that forgot "measures" rows forgets all
-- "measures…" rows alike. The triggers are otherwise as they were.

DROP TRIGGER "measure_cache_forget_answer_delete";
CREATE TRIGGER "measure_cache_forget_answer_delete" AFTER DELETE ON "pulse_responses" BEGIN
  INSERT INTO "measure_cache_epochs" ("workspace_id", "epoch")
    SELECT p."workspace_id", 1 FROM "pulses" p WHERE p."id" = OLD."pulse_id" AND p."closed_ms" IS NOT NULL
    ON CONFLICT ("workspace_id") DO UPDATE SET "epoch" = "epoch" + 1;
  DELETE FROM "measure_cache" WHERE "measure" LIKE 'measures%' AND rowid IN (
    SELECT c.rowid FROM "pulses" p JOIN "measure_cache" c ON c."workspace_id" = p."workspace_id"
      AND c."start_ms" <= p."closed_ms" AND p."closed_ms" < c."end_ms"
    WHERE p."id" = OLD."pulse_id");
END;

DROP TRIGGER "measure_cache_forget_answer_insert";
CREATE TRIGGER "measure_cache_forget_answer_insert" AFTER INSERT ON "pulse_responses" BEGIN
  INSERT INTO "measure_cache_epochs" ("workspace_id", "epoch")
    SELECT p."workspace_id", 1 FROM "pulses" p WHERE p."id" = NEW."pulse_id" AND p."closed_ms" IS NOT NULL
    ON CONFLICT ("workspace_id") DO UPDATE SET "epoch" = "epoch" + 1;
  DELETE FROM "measure_cache" WHERE "measure" LIKE 'measures%' AND rowid IN (
    SELECT c.rowid FROM "pulses" p JOIN "measure_cache" c ON c."workspace_id" = p."workspace_id"
      AND c."start_ms" <= p."closed_ms" AND p."closed_ms" < c."end_ms"
    WHERE p."id" = NEW."pulse_id");
END;

DROP TRIGGER "measure_cache_forget_answer_update";
CREATE TRIGGER "measure_cache_forget_answer_update" AFTER UPDATE ON "pulse_responses" BEGIN
  INSERT INTO "measure_cache_epochs" ("workspace_id", "epoch")
    SELECT p."workspace_id", 1 FROM "pulses" p WHERE p."id" = NEW."pulse_id" AND p."closed_ms" IS NOT NULL
    ON CONFLICT ("workspace_id") DO UPDATE SET "epoch" = "epoch" + 1;
  DELETE FROM "measure_cache" WHERE "measure" LIKE 'measures%' AND rowid IN (
    SELECT c.rowid FROM "pulses" p JOIN "measure_cache" c ON c."workspace_id" = p."workspace_id"
      AND c."start_ms" <= p."closed_ms" AND p."closed_ms" < c."end_ms"
    WHERE p."id" = NEW."pulse_id");
  INSERT INTO "measure_cache_epochs" ("workspace_id", "epoch")
    SELECT p."workspace_id", 1 FROM "pulses" p WHERE p."id" = OLD."pulse_id" AND p."closed_ms" IS NOT NULL
    ON CONFLICT ("workspace_id") DO UPDATE SET "epoch" = "epoch" + 1;
  DELETE FROM "measure_cache" WHERE "measure" LIKE 'measures%' AND rowid IN (
    SELECT c.rowid FROM "pulses" p JOIN "measure_cache" c ON c."workspace_id" = p."workspace_id"
      AND c."start_ms" <= p."closed_ms" AND p."closed_ms" < c."end_ms"
    WHERE p."id" = OLD."pulse_id");
END;

DROP TRIGGER "measure_cache_forget_fact_delete";
CREATE TRIGGER "measure_cache_forget_fact_delete" AFTER DELETE ON "facts"
WHEN EXISTS (SELECT 1 FROM "measure_cache" WHERE "workspace_id" = OLD."workspace_id") BEGIN
  DELETE FROM "measure_cache" WHERE "workspace_id" = OLD."workspace_id" AND OLD."kind" <> 'mrr'
    AND ("measure" LIKE 'measures%' OR ("measure" = 'new_revenue' AND OLD."kind" = 'won'))
    AND "start_ms" <= OLD."occurred_ms" AND OLD."occurred_ms" < "end_ms";
  DELETE FROM "measure_cache" WHERE "workspace_id" = OLD."workspace_id" AND OLD."kind" = 'mrr'
    AND "measure" = 'recurring' AND OLD."occurred_ms" < "end_ms";
  DELETE FROM "measure_cache" WHERE OLD."kind" = 'lead' AND rowid IN (
    SELECT c.rowid FROM "facts" w JOIN "measure_cache" c ON c."workspace_id" = w."workspace_id"
      AND c."measure" LIKE 'measures%' AND c."start_ms" <= w."occurred_ms" AND w."occurred_ms" < c."end_ms"
    WHERE w."workspace_id" = OLD."workspace_id" AND w."kind" = 'won' AND w."entity_id" = OLD."entity_id");
END;

DROP TRIGGER "measure_cache_forget_fact_insert";
CREATE TRIGGER "measure_cache_forget_fact_insert" AFTER INSERT ON "facts"
WHEN EXISTS (SELECT 1 FROM "measure_cache" WHERE "workspace_id" = NEW."workspace_id") BEGIN
  DELETE FROM "measure_cache" WHERE "workspace_id" = NEW."workspace_id" AND NEW."kind" <> 'mrr'
    AND ("measure" LIKE 'measures%' OR ("measure" = 'new_revenue' AND NEW."kind" = 'won'))
    AND "start_ms" <= NEW."occurred_ms" AND NEW."occurred_ms" < "end_ms";
  DELETE FROM "measure_cache" WHERE "workspace_id" = NEW."workspace_id" AND NEW."kind" = 'mrr'
    AND "measure" = 'recurring' AND NEW."occurred_ms" < "end_ms";
  DELETE FROM "measure_cache" WHERE NEW."kind" = 'lead' AND rowid IN (
    SELECT c.rowid FROM "facts" w JOIN "measure_cache" c ON c."workspace_id" = w."workspace_id"
      AND c."measure" LIKE 'measures%' AND c."start_ms" <= w."occurred_ms" AND w."occurred_ms" < c."end_ms"
    WHERE w."workspace_id" = NEW."workspace_id" AND w."kind" = 'won' AND w."entity_id" = NEW."entity_id");
END;

DROP TRIGGER "measure_cache_forget_fact_update";
CREATE TRIGGER "measure_cache_forget_fact_update" AFTER UPDATE OF "id", "workspace_id", "occurred_ms", "kind", "entity_id", "value", "channel", "department", "segment", "external_id", "origin", "record" ON "facts"
WHEN EXISTS (SELECT 1 FROM "measure_cache" WHERE "workspace_id" IN (NEW."workspace_id", OLD."workspace_id")) BEGIN
  DELETE FROM "measure_cache" WHERE "workspace_id" = NEW."workspace_id" AND NEW."kind" <> 'mrr'
    AND ("measure" LIKE 'measures%' OR ("measure" = 'new_revenue' AND NEW."kind" = 'won'))
    AND "start_ms" <= NEW."occurred_ms" AND NEW."occurred_ms" < "end_ms";
  DELETE FROM "measure_cache" WHERE "workspace_id" = NEW."workspace_id" AND NEW."kind" = 'mrr'
    AND "measure" = 'recurring' AND NEW."occurred_ms" < "end_ms";
  DELETE FROM "measure_cache" WHERE NEW."kind" = 'lead' AND rowid IN (
    SELECT c.rowid FROM "facts" w JOIN "measure_cache" c ON c."workspace_id" = w."workspace_id"
      AND c."measure" LIKE 'measures%' AND c."start_ms" <= w."occurred_ms" AND w."occurred_ms" < c."end_ms"
    WHERE w."workspace_id" = NEW."workspace_id" AND w."kind" = 'won' AND w."entity_id" = NEW."entity_id");
  DELETE FROM "measure_cache" WHERE "workspace_id" = OLD."workspace_id" AND OLD."kind" <> 'mrr'
    AND ("measure" LIKE 'measures%' OR ("measure" = 'new_revenue' AND OLD."kind" = 'won'))
    AND "start_ms" <= OLD."occurred_ms" AND OLD."occurred_ms" < "end_ms";
  DELETE FROM "measure_cache" WHERE "workspace_id" = OLD."workspace_id" AND OLD."kind" = 'mrr'
    AND "measure" = 'recurring' AND OLD."occurred_ms" < "end_ms";
  DELETE FROM "measure_cache" WHERE OLD."kind" = 'lead' AND rowid IN (
    SELECT c.rowid FROM "facts" w JOIN "measure_cache" c ON c."workspace_id" = w."workspace_id"
      AND c."measure" LIKE 'measures%' AND c."start_ms" <= w."occurred_ms" AND w."occurred_ms" < c."end_ms"
    WHERE w."workspace_id" = OLD."workspace_id" AND w."kind" = 'won' AND w."entity_id" = OLD."entity_id");
END;

DROP TRIGGER "measure_cache_forget_pulse_delete";
CREATE TRIGGER "measure_cache_forget_pulse_delete" AFTER DELETE ON "pulses" WHEN OLD."closed_ms" IS NOT NULL BEGIN
  INSERT INTO "measure_cache_epochs" ("workspace_id", "epoch") VALUES (OLD."workspace_id", 1)
    ON CONFLICT ("workspace_id") DO UPDATE SET "epoch" = "epoch" + 1;
  DELETE FROM "measure_cache" WHERE "workspace_id" = OLD."workspace_id" AND "measure" LIKE 'measures%'
    AND "start_ms" <= OLD."closed_ms" AND OLD."closed_ms" < "end_ms";
END;

DROP TRIGGER "measure_cache_forget_pulse_insert";
CREATE TRIGGER "measure_cache_forget_pulse_insert" AFTER INSERT ON "pulses" WHEN NEW."closed_ms" IS NOT NULL BEGIN
  INSERT INTO "measure_cache_epochs" ("workspace_id", "epoch") VALUES (NEW."workspace_id", 1)
    ON CONFLICT ("workspace_id") DO UPDATE SET "epoch" = "epoch" + 1;
  DELETE FROM "measure_cache" WHERE "workspace_id" = NEW."workspace_id" AND "measure" LIKE 'measures%'
    AND "start_ms" <= NEW."closed_ms" AND NEW."closed_ms" < "end_ms";
END;

DROP TRIGGER "measure_cache_forget_pulse_update";
CREATE TRIGGER "measure_cache_forget_pulse_update"
AFTER UPDATE OF "workspace_id", "status", "closed_ms", "asked_count" ON "pulses"
WHEN NEW."closed_ms" IS NOT NULL OR OLD."closed_ms" IS NOT NULL BEGIN
  INSERT INTO "measure_cache_epochs" ("workspace_id", "epoch") VALUES (NEW."workspace_id", 1)
    ON CONFLICT ("workspace_id") DO UPDATE SET "epoch" = "epoch" + 1;
  INSERT INTO "measure_cache_epochs" ("workspace_id", "epoch") VALUES (OLD."workspace_id", 1)
    ON CONFLICT ("workspace_id") DO UPDATE SET "epoch" = "epoch" + 1;
  DELETE FROM "measure_cache" WHERE "measure" LIKE 'measures%' AND (
    ("workspace_id" = NEW."workspace_id" AND "start_ms" <= NEW."closed_ms" AND NEW."closed_ms" < "end_ms")
    OR ("workspace_id" = OLD."workspace_id" AND "start_ms" <= OLD."closed_ms" AND OLD."closed_ms" < "end_ms"));
END;

DROP TRIGGER "measure_cache_forget_question_delete";
CREATE TRIGGER "measure_cache_forget_question_delete" AFTER DELETE ON "pulse_questions" BEGIN
  INSERT INTO "measure_cache_epochs" ("workspace_id", "epoch")
    SELECT p."workspace_id", 1 FROM "pulses" p WHERE p."id" = OLD."pulse_id" AND p."closed_ms" IS NOT NULL
    ON CONFLICT ("workspace_id") DO UPDATE SET "epoch" = "epoch" + 1;
  DELETE FROM "measure_cache" WHERE "measure" LIKE 'measures%' AND rowid IN (
    SELECT c.rowid FROM "pulses" p JOIN "measure_cache" c ON c."workspace_id" = p."workspace_id"
      AND c."start_ms" <= p."closed_ms" AND p."closed_ms" < c."end_ms"
    WHERE p."id" = OLD."pulse_id");
END;

DROP TRIGGER "measure_cache_forget_question_insert";
CREATE TRIGGER "measure_cache_forget_question_insert" AFTER INSERT ON "pulse_questions" BEGIN
  INSERT INTO "measure_cache_epochs" ("workspace_id", "epoch")
    SELECT p."workspace_id", 1 FROM "pulses" p WHERE p."id" = NEW."pulse_id" AND p."closed_ms" IS NOT NULL
    ON CONFLICT ("workspace_id") DO UPDATE SET "epoch" = "epoch" + 1;
  DELETE FROM "measure_cache" WHERE "measure" LIKE 'measures%' AND rowid IN (
    SELECT c.rowid FROM "pulses" p JOIN "measure_cache" c ON c."workspace_id" = p."workspace_id"
      AND c."start_ms" <= p."closed_ms" AND p."closed_ms" < c."end_ms"
    WHERE p."id" = NEW."pulse_id");
END;

DROP TRIGGER "measure_cache_forget_question_update";
CREATE TRIGGER "measure_cache_forget_question_update" AFTER UPDATE ON "pulse_questions" BEGIN
  INSERT INTO "measure_cache_epochs" ("workspace_id", "epoch")
    SELECT p."workspace_id", 1 FROM "pulses" p WHERE p."id" = NEW."pulse_id" AND p."closed_ms" IS NOT NULL
    ON CONFLICT ("workspace_id") DO UPDATE SET "epoch" = "epoch" + 1;
  DELETE FROM "measure_cache" WHERE "measure" LIKE 'measures%' AND rowid IN (
    SELECT c.rowid FROM "pulses" p JOIN "measure_cache" c ON c."workspace_id" = p."workspace_id"
      AND c."start_ms" <= p."closed_ms" AND p."closed_ms" < c."end_ms"
    WHERE p."id" = NEW."pulse_id");
  INSERT INTO "measure_cache_epochs" ("workspace_id", "epoch")
    SELECT p."workspace_id", 1 FROM "pulses" p WHERE p."id" = OLD."pulse_id" AND p."closed_ms" IS NOT NULL
    ON CONFLICT ("workspace_id") DO UPDATE SET "epoch" = "epoch" + 1;
  DELETE FROM "measure_cache" WHERE "measure" LIKE 'measures%' AND rowid IN (
    SELECT c.rowid FROM "pulses" p JOIN "measure_cache" c ON c."workspace_id" = p."workspace_id"
      AND c."start_ms" <= p."closed_ms" AND p."closed_ms" < c."end_ms"
    WHERE p."id" = OLD."pulse_id");
END;
