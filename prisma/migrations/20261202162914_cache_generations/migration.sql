-- CreateTable
CREATE TABLE "cache_generations" (
    "workspace_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "generation" BIGINT NOT NULL DEFAULT 0,

    PRIMARY KEY ("workspace_id", "kind")
);



-- Generations (src/store/generations.ts): every write to a table that a kind of cached
-- read depends on bumps the workspace's generation of that kind in its own transaction,
-- so a process that reads the generation first never keeps using what it read before
-- the write. workspaces' own id is "id", the others' "workspace_id".
CREATE TRIGGER "cache_generation_workspaces_update" AFTER UPDATE ON "workspaces" BEGIN
  INSERT INTO "cache_generations" ("workspace_id", "kind", "generation") VALUES (OLD."id", 'settings', 1)
    ON CONFLICT ("workspace_id", "kind") DO UPDATE SET "generation" = "generation" + 1;
END;
CREATE TRIGGER "cache_generation_departments_insert" AFTER INSERT ON "departments" BEGIN
  INSERT INTO "cache_generations" ("workspace_id", "kind", "generation") VALUES (NEW."workspace_id", 'settings', 1)
    ON CONFLICT ("workspace_id", "kind") DO UPDATE SET "generation" = "generation" + 1;
END;
CREATE TRIGGER "cache_generation_departments_update" AFTER UPDATE ON "departments" BEGIN
  INSERT INTO "cache_generations" ("workspace_id", "kind", "generation") VALUES (NEW."workspace_id", 'settings', 1)
    ON CONFLICT ("workspace_id", "kind") DO UPDATE SET "generation" = "generation" + 1;
  INSERT INTO "cache_generations" ("workspace_id", "kind", "generation") VALUES (OLD."workspace_id", 'settings', 1)
    ON CONFLICT ("workspace_id", "kind") DO UPDATE SET "generation" = "generation" + 1;
END;
CREATE TRIGGER "cache_generation_departments_delete" AFTER DELETE ON "departments" BEGIN
  INSERT INTO "cache_generations" ("workspace_id", "kind", "generation") VALUES (OLD."workspace_id", 'settings', 1)
    ON CONFLICT ("workspace_id", "kind") DO UPDATE SET "generation" = "generation" + 1;
END;
CREATE TRIGGER "cache_generation_metric_definitions_insert" AFTER INSERT ON "metric_definitions" BEGIN
  INSERT INTO "cache_generations" ("workspace_id", "kind", "generation") VALUES (NEW."workspace_id", 'settings', 1)
    ON CONFLICT ("workspace_id", "kind") DO UPDATE SET "generation" = "generation" + 1;
END;
CREATE TRIGGER "cache_generation_metric_definitions_update" AFTER UPDATE ON "metric_definitions" BEGIN
  INSERT INTO "cache_generations" ("workspace_id", "kind", "generation") VALUES (NEW."workspace_id", 'settings', 1)
    ON CONFLICT ("workspace_id", "kind") DO UPDATE SET "generation" = "generation" + 1;
  INSERT INTO "cache_generations" ("workspace_id", "kind", "generation") VALUES (OLD."workspace_id", 'settings', 1)
    ON CONFLICT ("workspace_id", "kind") DO UPDATE SET "generation" = "generation" + 1;
END;
CREATE TRIGGER "cache_generation_metric_definitions_delete" AFTER DELETE ON "metric_definitions" BEGIN
  INSERT INTO "cache_generations" ("workspace_id", "kind", "generation") VALUES (OLD."workspace_id", 'settings', 1)
    ON CONFLICT ("workspace_id", "kind") DO UPDATE SET "generation" = "generation" + 1;
END;
CREATE TRIGGER "cache_generation_targets_insert" AFTER INSERT ON "targets" BEGIN
  INSERT INTO "cache_generations" ("workspace_id", "kind", "generation") VALUES (NEW."workspace_id", 'settings', 1)
    ON CONFLICT ("workspace_id", "kind") DO UPDATE SET "generation" = "generation" + 1;
END;
CREATE TRIGGER "cache_generation_targets_update" AFTER UPDATE ON "targets" BEGIN
  INSERT INTO "cache_generations" ("workspace_id", "kind", "generation") VALUES (NEW."workspace_id", 'settings', 1)
    ON CONFLICT ("workspace_id", "kind") DO UPDATE SET "generation" = "generation" + 1;
  INSERT INTO "cache_generations" ("workspace_id", "kind", "generation") VALUES (OLD."workspace_id", 'settings', 1)
    ON CONFLICT ("workspace_id", "kind") DO UPDATE SET "generation" = "generation" + 1;
END;
CREATE TRIGGER "cache_generation_targets_delete" AFTER DELETE ON "targets" BEGIN
  INSERT INTO "cache_generations" ("workspace_id", "kind", "generation") VALUES (OLD."workspace_id", 'settings', 1)
    ON CONFLICT ("workspace_id", "kind") DO UPDATE SET "generation" = "generation" + 1;
END;
CREATE TRIGGER "cache_generation_sources_insert" AFTER INSERT ON "sources" BEGIN
  INSERT INTO "cache_generations" ("workspace_id", "kind", "generation") VALUES (NEW."workspace_id", 'sources', 1)
    ON CONFLICT ("workspace_id", "kind") DO UPDATE SET "generation" = "generation" + 1;
END;
CREATE TRIGGER "cache_generation_sources_update" AFTER UPDATE ON "sources" BEGIN
  INSERT INTO "cache_generations" ("workspace_id", "kind", "generation") VALUES (NEW."workspace_id", 'sources', 1)
    ON CONFLICT ("workspace_id", "kind") DO UPDATE SET "generation" = "generation" + 1;
  INSERT INTO "cache_generations" ("workspace_id", "kind", "generation") VALUES (OLD."workspace_id", 'sources', 1)
    ON CONFLICT ("workspace_id", "kind") DO UPDATE SET "generation" = "generation" + 1;
END;
CREATE TRIGGER "cache_generation_sources_delete" AFTER DELETE ON "sources" BEGIN
  INSERT INTO "cache_generations" ("workspace_id", "kind", "generation") VALUES (OLD."workspace_id", 'sources', 1)
    ON CONFLICT ("workspace_id", "kind") DO UPDATE SET "generation" = "generation" + 1;
END;
