-- AlterTable
ALTER TABLE "facts" ADD COLUMN "next_ms" BIGINT;
ALTER TABLE "facts" ADD COLUMN "prev_ms" BIGINT;


-- Each fact's neighbours in its chain: the facts of the same workspace, kind and entity in
-- (occurred_ms, id) order. With them the KPI measures (src/store/kpi-measures.ts) read
-- "each entity once per window" as "facts whose prev_ms is before the window" and "the
-- latest mrr before t" as "mrr facts with occurred_ms < t <= next_ms", with no sort, no
-- DISTINCT and no seek per entity. Triggers keep them: a written fact relinks itself and
-- the neighbours around its old and new place. Facts without an entity keep both NULL.

-- The measure cache's update triggers watch every column but the two kept here: relinking
-- a neighbour changes no measure (the write that moved it already invalidated), so it
-- neither bumps the epoch nor forgets cached windows. A column added to facts later
-- belongs in these lists.
DROP TRIGGER "measure_cache_epoch_fact_update";
DROP TRIGGER "measure_cache_forget_fact_update";

UPDATE "facts" SET "prev_ms" = chain."prev_ms", "next_ms" = chain."next_ms"
FROM (
  SELECT "id", LAG("occurred_ms") OVER w AS "prev_ms", LEAD("occurred_ms") OVER w AS "next_ms"
  FROM "facts" WHERE "entity_id" IS NOT NULL
  WINDOW w AS (PARTITION BY "workspace_id", "kind", "entity_id" ORDER BY "occurred_ms", "id")
) AS chain
WHERE "facts"."id" = chain."id" AND (chain."prev_ms" IS NOT NULL OR chain."next_ms" IS NOT NULL);

-- Recurring revenue: every mrr fact of a workspace in entity order, with its next_ms, from
-- the index alone (one pass answers every instant of a snapshot).
CREATE INDEX "facts_mrr_chain_idx" ON "facts"("workspace_id", "entity_id", "occurred_ms", "next_ms", "value")
  WHERE "kind" = 'mrr' AND "entity_id" IS NOT NULL;

CREATE TRIGGER "measure_cache_epoch_fact_update" AFTER UPDATE OF "id", "workspace_id", "occurred_ms", "kind", "entity_id", "value", "channel", "department", "segment", "external_id", "origin", "record" ON "facts" BEGIN
  INSERT INTO "measure_cache_epochs" ("workspace_id", "epoch") VALUES (NEW."workspace_id", 1)
    ON CONFLICT ("workspace_id") DO UPDATE SET "epoch" = "epoch" + 1;
  INSERT INTO "measure_cache_epochs" ("workspace_id", "epoch") VALUES (OLD."workspace_id", 1)
    ON CONFLICT ("workspace_id") DO UPDATE SET "epoch" = "epoch" + 1;
END;
CREATE TRIGGER "measure_cache_forget_fact_update" AFTER UPDATE OF "id", "workspace_id", "occurred_ms", "kind", "entity_id", "value", "channel", "department", "segment", "external_id", "origin", "record" ON "facts"
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

CREATE TRIGGER "fact_chain_insert" AFTER INSERT ON "facts" WHEN NEW."entity_id" IS NOT NULL BEGIN
  UPDATE "facts" SET "prev_ms" = (SELECT p."occurred_ms" FROM "facts" p
    WHERE p."workspace_id" = NEW."workspace_id" AND p."kind" = NEW."kind" AND p."entity_id" = NEW."entity_id"
      AND (p."occurred_ms", p."id") < (NEW."occurred_ms", NEW."id")
    ORDER BY p."occurred_ms" DESC, p."id" DESC LIMIT 1), "next_ms" = (SELECT n."occurred_ms" FROM "facts" n
    WHERE n."workspace_id" = NEW."workspace_id" AND n."kind" = NEW."kind" AND n."entity_id" = NEW."entity_id"
      AND (n."occurred_ms", n."id") > (NEW."occurred_ms", NEW."id")
    ORDER BY n."occurred_ms", n."id" LIMIT 1)
  WHERE "id" = NEW."id";
  UPDATE "facts" SET "next_ms" = NEW."occurred_ms" WHERE "id" = (SELECT p."id" FROM "facts" p
    WHERE p."workspace_id" = NEW."workspace_id" AND p."kind" = NEW."kind" AND p."entity_id" = NEW."entity_id"
      AND (p."occurred_ms", p."id") < (NEW."occurred_ms", NEW."id")
    ORDER BY p."occurred_ms" DESC, p."id" DESC LIMIT 1);
  UPDATE "facts" SET "prev_ms" = NEW."occurred_ms" WHERE "id" = (SELECT n."id" FROM "facts" n
    WHERE n."workspace_id" = NEW."workspace_id" AND n."kind" = NEW."kind" AND n."entity_id" = NEW."entity_id"
      AND (n."occurred_ms", n."id") > (NEW."occurred_ms", NEW."id")
    ORDER BY n."occurred_ms", n."id" LIMIT 1);
END;
CREATE TRIGGER "fact_chain_delete" AFTER DELETE ON "facts" WHEN OLD."entity_id" IS NOT NULL BEGIN
  UPDATE "facts" SET "next_ms" = (SELECT n."occurred_ms" FROM "facts" n
    WHERE n."workspace_id" = OLD."workspace_id" AND n."kind" = OLD."kind" AND n."entity_id" = OLD."entity_id"
      AND (n."occurred_ms", n."id") > (OLD."occurred_ms", OLD."id")
    ORDER BY n."occurred_ms", n."id" LIMIT 1) WHERE "id" = (SELECT p."id" FROM "facts" p
    WHERE p."workspace_id" = OLD."workspace_id" AND p."kind" = OLD."kind" AND p."entity_id" = OLD."entity_id"
      AND (p."occurred_ms", p."id") < (OLD."occurred_ms", OLD."id")
    ORDER BY p."occurred_ms" DESC, p."id" DESC LIMIT 1);
  UPDATE "facts" SET "prev_ms" = (SELECT p."occurred_ms" FROM "facts" p
    WHERE p."workspace_id" = OLD."workspace_id" AND p."kind" = OLD."kind" AND p."entity_id" = OLD."entity_id"
      AND (p."occurred_ms", p."id") < (OLD."occurred_ms", OLD."id")
    ORDER BY p."occurred_ms" DESC, p."id" DESC LIMIT 1) WHERE "id" = (SELECT n."id" FROM "facts" n
    WHERE n."workspace_id" = OLD."workspace_id" AND n."kind" = OLD."kind" AND n."entity_id" = OLD."entity_id"
      AND (n."occurred_ms", n."id") > (OLD."occurred_ms", OLD."id")
    ORDER BY n."occurred_ms", n."id" LIMIT 1);
END;
-- The row keeps its id's place in neither chain while it moves: the old neighbours are
-- found without it, then it is linked where it now is (a NULL entity clears both).
CREATE TRIGGER "fact_chain_update" AFTER UPDATE OF "id", "workspace_id", "kind", "entity_id", "occurred_ms" ON "facts"
WHEN OLD."id" IS NOT NEW."id" OR OLD."workspace_id" IS NOT NEW."workspace_id" OR OLD."kind" IS NOT NEW."kind"
  OR OLD."entity_id" IS NOT NEW."entity_id" OR OLD."occurred_ms" IS NOT NEW."occurred_ms" BEGIN
  UPDATE "facts" SET "next_ms" = (SELECT n."occurred_ms" FROM "facts" n
    WHERE n."workspace_id" = OLD."workspace_id" AND n."kind" = OLD."kind" AND n."entity_id" = OLD."entity_id"
      AND (n."occurred_ms", n."id") > (OLD."occurred_ms", OLD."id") AND n."id" <> NEW."id"
    ORDER BY n."occurred_ms", n."id" LIMIT 1) WHERE "id" = (SELECT p."id" FROM "facts" p
    WHERE p."workspace_id" = OLD."workspace_id" AND p."kind" = OLD."kind" AND p."entity_id" = OLD."entity_id"
      AND (p."occurred_ms", p."id") < (OLD."occurred_ms", OLD."id") AND p."id" <> NEW."id"
    ORDER BY p."occurred_ms" DESC, p."id" DESC LIMIT 1);
  UPDATE "facts" SET "prev_ms" = (SELECT p."occurred_ms" FROM "facts" p
    WHERE p."workspace_id" = OLD."workspace_id" AND p."kind" = OLD."kind" AND p."entity_id" = OLD."entity_id"
      AND (p."occurred_ms", p."id") < (OLD."occurred_ms", OLD."id") AND p."id" <> NEW."id"
    ORDER BY p."occurred_ms" DESC, p."id" DESC LIMIT 1) WHERE "id" = (SELECT n."id" FROM "facts" n
    WHERE n."workspace_id" = OLD."workspace_id" AND n."kind" = OLD."kind" AND n."entity_id" = OLD."entity_id"
      AND (n."occurred_ms", n."id") > (OLD."occurred_ms", OLD."id") AND n."id" <> NEW."id"
    ORDER BY n."occurred_ms", n."id" LIMIT 1);
  UPDATE "facts" SET "prev_ms" = (SELECT p."occurred_ms" FROM "facts" p
    WHERE p."workspace_id" = NEW."workspace_id" AND p."kind" = NEW."kind" AND p."entity_id" = NEW."entity_id"
      AND (p."occurred_ms", p."id") < (NEW."occurred_ms", NEW."id")
    ORDER BY p."occurred_ms" DESC, p."id" DESC LIMIT 1), "next_ms" = (SELECT n."occurred_ms" FROM "facts" n
    WHERE n."workspace_id" = NEW."workspace_id" AND n."kind" = NEW."kind" AND n."entity_id" = NEW."entity_id"
      AND (n."occurred_ms", n."id") > (NEW."occurred_ms", NEW."id")
    ORDER BY n."occurred_ms", n."id" LIMIT 1)
  WHERE "id" = NEW."id";
  UPDATE "facts" SET "next_ms" = NEW."occurred_ms" WHERE "id" = (SELECT p."id" FROM "facts" p
    WHERE p."workspace_id" = NEW."workspace_id" AND p."kind" = NEW."kind" AND p."entity_id" = NEW."entity_id"
      AND (p."occurred_ms", p."id") < (NEW."occurred_ms", NEW."id")
    ORDER BY p."occurred_ms" DESC, p."id" DESC LIMIT 1);
  UPDATE "facts" SET "prev_ms" = NEW."occurred_ms" WHERE "id" = (SELECT n."id" FROM "facts" n
    WHERE n."workspace_id" = NEW."workspace_id" AND n."kind" = NEW."kind" AND n."entity_id" = NEW."entity_id"
      AND (n."occurred_ms", n."id") > (NEW."occurred_ms", NEW."id")
    ORDER BY n."occurred_ms", n."id" LIMIT 1);
END;
