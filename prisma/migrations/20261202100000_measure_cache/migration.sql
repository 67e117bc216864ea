-- CreateTable
CREATE TABLE "measure_cache" (
    "workspace_id" INTEGER NOT NULL,
    "measure" TEXT NOT NULL,
    "start_ms" BIGINT NOT NULL,
    "end_ms" BIGINT NOT NULL,
    "value" TEXT NOT NULL,

    PRIMARY KEY ("workspace_id", "measure", "start_ms", "end_ms"),
    CONSTRAINT "measure_cache_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "measure_cache_epochs" (
    "workspace_id" INTEGER NOT NULL PRIMARY KEY,
    "epoch" BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT "measure_cache_epochs_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "measure_cache_workspace_id_start_ms_idx" ON "measure_cache"("workspace_id", "start_ms");

-- CreateIndex
CREATE INDEX "measure_cache_workspace_id_end_ms_idx" ON "measure_cache"("workspace_id", "end_ms");


-- Invalidation (src/store/measure-cache.ts). Every write a cached measure can depend on
-- bumps the workspace's epoch, so a fill computed before the write is never stored, and
-- deletes exactly the cached windows the written row can change:
--   a fact at t (not mrr): the windows holding t ('new_revenue' only for won facts);
--   an mrr fact at t: every recurring window ending after t (the latest value before
--     the start and before the end of any later window can change);
--   a lead of entity e: also every window holding a won fact of e (first-touch channel
--     and sales cycle reach back to the entity's first lead, in any period);
--   a pulse, question or answer: the windows holding the pulse's closing instant.
-- Deletes run only when the workspace has cached rows, so bulk loads stay cheap.

CREATE TRIGGER "measure_cache_epoch_fact_insert" AFTER INSERT ON "facts" BEGIN
  INSERT INTO "measure_cache_epochs" ("workspace_id", "epoch") VALUES (NEW."workspace_id", 1)
    ON CONFLICT ("workspace_id") DO UPDATE SET "epoch" = "epoch" + 1;
END;
CREATE TRIGGER "measure_cache_epoch_fact_update" AFTER UPDATE ON "facts" BEGIN
  INSERT INTO "measure_cache_epochs" ("workspace_id", "epoch") VALUES (NEW."workspace_id", 1)
    ON CONFLICT ("workspace_id") DO UPDATE SET "epoch" = "epoch" + 1;
  INSERT INTO "measure_cache_epochs" ("workspace_id", "epoch") VALUES (OLD."workspace_id", 1)
    ON CONFLICT ("workspace_id") DO UPDATE SET "epoch" = "epoch" + 1;
END;
CREATE TRIGGER "measure_cache_epoch_fact_delete" AFTER DELETE ON "facts" BEGIN
  INSERT INTO "measure_cache_epochs" ("workspace_id", "epoch") VALUES (OLD."workspace_id", 1)
    ON CONFLICT ("workspace_id") DO UPDATE SET "epoch" = "epoch" + 1;
END;

CREATE TRIGGER "measure_cache_forget_fact_insert" AFTER INSERT ON "facts"
WHEN EXISTS (SELECT 1 FROM "measure_cache" WHERE "workspace_id" = NEW."workspace_id") BEGIN
  DELETE FROM "measure_cache" WHERE "workspace_id" = NEW."workspace_id" AND NEW."kind" <> 'mrr'
    AND ("measure" = 'measures' OR ("measure" = 'new_revenue' AND NEW."kind" = 'won'))
    AND "start_ms" <= NEW."occurred_ms" AND NEW."occurred_ms" < "end_ms";
  DELETE FROM "measure_cache" WHERE "workspace_id" = NEW."workspace_id" AND NEW."kind" = 'mrr'
    AND "measure" = 'recurring' AND NEW."occurred_ms" < "end_ms";
  DELETE FROM "measure_cache" WHERE NEW."kind" = 'lead' AND rowid IN (
    SELECT c.rowid FROM "facts" w JOIN "measure_cache" c ON c."workspace_id" = w."workspace_id"
      AND c."measure" = 'measures' AND c."start_ms" <= w."occurred_ms" AND w."occurred_ms" < c."end_ms"
    WHERE w."workspace_id" = NEW."workspace_id" AND w."kind" = 'won' AND w."entity_id" = NEW."entity_id");
END;
CREATE TRIGGER "measure_cache_forget_fact_update" AFTER UPDATE ON "facts"
WHEN EXISTS (SELECT 1 FROM "measure_cache" WHERE "workspace_id" IN (NEW."workspace_id", OLD."workspace_id")) BEGIN
  DELETE FROM "measure_cache" WHERE "workspace_id" = NEW."workspace_id" AND NEW."kind" <> 'mrr'
    AND ("measure" = 'measures' OR ("measure" = 'new_revenue' AND NEW."kind" = 'won'))
    AND "start_ms" <= NEW."occurred_ms" AND NEW."occurred_ms" < "end_ms";
  DELETE FROM "measure_cache" WHERE "workspace_id" = NEW."workspace_id" AND NEW."kind" = 'mrr'
    AND "measure" = 'recurring' AND NEW."occurred_ms" < "end_ms";
  DELETE FROM "measure_cache" WHERE NEW."kind" = 'lead' AND rowid IN (
    SELECT c.rowid FROM "facts" w JOIN "measure_cache" c ON c."workspace_id" = w."workspace_id"
      AND c."measure" = 'measures' AND c."start_ms" <= w."occurred_ms" AND w."occurred_ms" < c."end_ms"
    WHERE w."workspace_id" = NEW."workspace_id" AND w."kind" = 'won' AND w."entity_id" = NEW."entity_id");
  DELETE FROM "measure_cache" WHERE "workspace_id" = OLD."workspace_id" AND OLD."kind" <> 'mrr'
    AND ("measure" = 'measures' OR ("measure" = 'new_revenue' AND OLD."kind" = 'won'))
    AND "start_ms" <= OLD."occurred_ms" AND OLD."occurred_ms" < "end_ms";
  DELETE FROM "measure_cache" WHERE "workspace_id" = OLD."workspace_id" AND OLD."kind" = 'mrr'
    AND "measure" = 'recurring' AND OLD."occurred_ms" < "end_ms";
  DELETE FROM "measure_cache" WHERE OLD."kind" = 'lead' AND rowid IN (
    SELECT c.rowid FROM "facts" w JOIN "measure_cache" c ON c."workspace_id" = w."workspace_id"
      AND c."measure" = 'measures' AND c."start_ms" <= w."occurred_ms" AND w."occurred_ms" < c."end_ms"
    WHERE w."workspace_id" = OLD."workspace_id" AND w."kind" = 'won' AND w."entity_id" = OLD."entity_id");
END;
CREATE TRIGGER "measure_cache_forget_fact_delete" AFTER DELETE ON "facts"
WHEN EXISTS (SELECT 1 FROM "measure_cache" WHERE "workspace_id" = OLD."workspace_id") BEGIN
  DELETE FROM "measure_cache" WHERE "workspace_id" = OLD."workspace_id" AND OLD."kind" <> 'mrr'
    AND ("measure" = 'measures' OR ("measure" = 'new_revenue' AND OLD."kind" = 'won'))
    AND "start_ms" <= OLD."occurred_ms" AND OLD."occurred_ms" < "end_ms";
  DELETE FROM "measure_cache" WHERE "workspace_id" = OLD."workspace_id" AND OLD."kind" = 'mrr'
    AND "measure" = 'recurring' AND OLD."occurred_ms" < "end_ms";
  DELETE FROM "measure_cache" WHERE OLD."kind" = 'lead' AND rowid IN (
    SELECT c.rowid FROM "facts" w JOIN "measure_cache" c ON c."workspace_id" = w."workspace_id"
      AND c."measure" = 'measures' AND c."start_ms" <= w."occurred_ms" AND w."occurred_ms" < c."end_ms"
    WHERE w."workspace_id" = OLD."workspace_id" AND w."kind" = 'won' AND w."entity_id" = OLD."entity_id");
END;

-- Pulses feed the collaboration and participation measures of the window holding their
-- closing instant (closed_ms, set when a pulse closes).
CREATE TRIGGER "measure_cache_forget_pulse_insert" AFTER INSERT ON "pulses" WHEN NEW."closed_ms" IS NOT NULL BEGIN
  INSERT INTO "measure_cache_epochs" ("workspace_id", "epoch") VALUES (NEW."workspace_id", 1)
    ON CONFLICT ("workspace_id") DO UPDATE SET "epoch" = "epoch" + 1;
  DELETE FROM "measure_cache" WHERE "workspace_id" = NEW."workspace_id" AND "measure" = 'measures'
    AND "start_ms" <= NEW."closed_ms" AND NEW."closed_ms" < "end_ms";
END;
CREATE TRIGGER "measure_cache_forget_pulse_update"
AFTER UPDATE OF "workspace_id", "status", "closed_ms", "asked_count" ON "pulses"
WHEN NEW."closed_ms" IS NOT NULL OR OLD."closed_ms" IS NOT NULL BEGIN
  INSERT INTO "measure_cache_epochs" ("workspace_id", "epoch") VALUES (NEW."workspace_id", 1)
    ON CONFLICT ("workspace_id") DO UPDATE SET "epoch" = "epoch" + 1;
  INSERT INTO "measure_cache_epochs" ("workspace_id", "epoch") VALUES (OLD."workspace_id", 1)
    ON CONFLICT ("workspace_id") DO UPDATE SET "epoch" = "epoch" + 1;
  DELETE FROM "measure_cache" WHERE "measure" = 'measures' AND (
    ("workspace_id" = NEW."workspace_id" AND "start_ms" <= NEW."closed_ms" AND NEW."closed_ms" < "end_ms")
    OR ("workspace_id" = OLD."workspace_id" AND "start_ms" <= OLD."closed_ms" AND OLD."closed_ms" < "end_ms"));
END;
CREATE TRIGGER "measure_cache_forget_pulse_delete" AFTER DELETE ON "pulses" WHEN OLD."closed_ms" IS NOT NULL BEGIN
  INSERT INTO "measure_cache_epochs" ("workspace_id", "epoch") VALUES (OLD."workspace_id", 1)
    ON CONFLICT ("workspace_id") DO UPDATE SET "epoch" = "epoch" + 1;
  DELETE FROM "measure_cache" WHERE "workspace_id" = OLD."workspace_id" AND "measure" = 'measures'
    AND "start_ms" <= OLD."closed_ms" AND OLD."closed_ms" < "end_ms";
END;

CREATE TRIGGER "measure_cache_forget_question_insert" AFTER INSERT ON "pulse_questions" BEGIN
  INSERT INTO "measure_cache_epochs" ("workspace_id", "epoch")
    SELECT p."workspace_id", 1 FROM "pulses" p WHERE p."id" = NEW."pulse_id" AND p."closed_ms" IS NOT NULL
    ON CONFLICT ("workspace_id") DO UPDATE SET "epoch" = "epoch" + 1;
  DELETE FROM "measure_cache" WHERE "measure" = 'measures' AND rowid IN (
    SELECT c.rowid FROM "pulses" p JOIN "measure_cache" c ON c."workspace_id" = p."workspace_id"
      AND c."start_ms" <= p."closed_ms" AND p."closed_ms" < c."end_ms"
    WHERE p."id" = NEW."pulse_id");
END;
CREATE TRIGGER "measure_cache_forget_question_update" AFTER UPDATE ON "pulse_questions" BEGIN
  INSERT INTO "measure_cache_epochs" ("workspace_id", "epoch")
    SELECT p."workspace_id", 1 FROM "pulses" p WHERE p."id" = NEW."pulse_id" AND p."closed_ms" IS NOT NULL
    ON CONFLICT ("workspace_id") DO UPDATE SET "epoch" = "epoch" + 1;
  DELETE FROM "measure_cache" WHERE "measure" = 'measures' AND rowid IN (
    SELECT c.rowid FROM "pulses" p JOIN "measure_cache" c ON c."workspace_id" = p."workspace_id"
      AND c."start_ms" <= p."closed_ms" AND p."closed_ms" < c."end_ms"
    WHERE p."id" = NEW."pulse_id");
  INSERT INTO "measure_cache_epochs" ("workspace_id", "epoch")
    SELECT p."workspace_id", 1 FROM "pulses" p WHERE p."id" = OLD."pulse_id" AND p."closed_ms" IS NOT NULL
    ON CONFLICT ("workspace_id") DO UPDATE SET "epoch" = "epoch" + 1;
  DELETE FROM "measure_cache" WHERE "measure" = 'measures' AND rowid IN (
    SELECT c.rowid FROM "pulses" p JOIN "measure_cache" c ON c."workspace_id" = p."workspace_id"
      AND c."start_ms" <= p."closed_ms" AND p."closed_ms" < c."end_ms"
    WHERE p."id" = OLD."pulse_id");
END;
CREATE TRIGGER "measure_cache_forget_question_delete" AFTER DELETE ON "pulse_questions" BEGIN
  INSERT INTO "measure_cache_epochs" ("workspace_id", "epoch")
    SELECT p."workspace_id", 1 FROM "pulses" p WHERE p."id" = OLD."pulse_id" AND p."closed_ms" IS NOT NULL
    ON CONFLICT ("workspace_id") DO UPDATE SET "epoch" = "epoch" + 1;
  DELETE FROM "measure_cache" WHERE "measure" = 'measures' AND rowid IN (
    SELECT c.rowid FROM "pulses" p JOIN "measure_cache" c ON c."workspace_id" = p."workspace_id"
      AND c."start_ms" <= p."closed_ms" AND p."closed_ms" < c."end_ms"
    WHERE p."id" = OLD."pulse_id");
END;
CREATE TRIGGER "measure_cache_forget_answer_insert" AFTER INSERT ON "pulse_responses" BEGIN
  INSERT INTO "measure_cache_epochs" ("workspace_id", "epoch")
    SELECT p."workspace_id", 1 FROM "pulses" p WHERE p."id" = NEW."pulse_id" AND p."closed_ms" IS NOT NULL
    ON CONFLICT ("workspace_id") DO UPDATE SET "epoch" = "epoch" + 1;
  DELETE FROM "measure_cache" WHERE "measure" = 'measures' AND rowid IN (
    SELECT c.rowid FROM "pulses" p JOIN "measure_cache" c ON c."workspace_id" = p."workspace_id"
      AND c."start_ms" <= p."closed_ms" AND p."closed_ms" < c."end_ms"
    WHERE p."id" = NEW."pulse_id");
END;
CREATE TRIGGER "measure_cache_forget_answer_update" AFTER UPDATE ON "pulse_responses" BEGIN
  INSERT INTO "measure_cache_epochs" ("workspace_id", "epoch")
    SELECT p."workspace_id", 1 FROM "pulses" p WHERE p."id" = NEW."pulse_id" AND p."closed_ms" IS NOT NULL
    ON CONFLICT ("workspace_id") DO UPDATE SET "epoch" = "epoch" + 1;
  DELETE FROM "measure_cache" WHERE "measure" = 'measures' AND rowid IN (
    SELECT c.rowid FROM "pulses" p JOIN "measure_cache" c ON c."workspace_id" = p."workspace_id"
      AND c."start_ms" <= p."closed_ms" AND p."closed_ms" < c."end_ms"
    WHERE p."id" = NEW."pulse_id");
  INSERT INTO "measure_cache_epochs" ("workspace_id", "epoch")
    SELECT p."workspace_id", 1 FROM "pulses" p WHERE p."id" = OLD."pulse_id" AND p."closed_ms" IS NOT NULL
    ON CONFLICT ("workspace_id") DO UPDATE SET "epoch" = "epoch" + 1;
  DELETE FROM "measure_cache" WHERE "measure" = 'measures' AND rowid IN (
    SELECT c.rowid FROM "pulses" p JOIN "measure_cache" c ON c."workspace_id" = p."workspace_id"
      AND c."start_ms" <= p."closed_ms" AND p."closed_ms" < c."end_ms"
    WHERE p."id" = OLD."pulse_id");
END;
CREATE TRIGGER "measure_cache_forget_answer_delete" AFTER DELETE ON "pulse_responses" BEGIN
  INSERT INTO "measure_cache_epochs" ("workspace_id", "epoch")
    SELECT p."workspace_id", 1 FROM "pulses" p WHERE p."id" = OLD."pulse_id" AND p."closed_ms" IS NOT NULL
    ON CONFLICT ("workspace_id") DO UPDATE SET "epoch" = "epoch" + 1;
  DELETE FROM "measure_cache" WHERE "measure" = 'measures' AND rowid IN (
    SELECT c.rowid FROM "pulses" p JOIN "measure_cache" c ON c."workspace_id" = p."workspace_id"
      AND c."start_ms" <= p."closed_ms" AND p."closed_ms" < c."end_ms"
    WHERE p."id" = OLD."pulse_id");
END;
