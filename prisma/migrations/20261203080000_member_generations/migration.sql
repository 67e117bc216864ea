-- The "members" generation (src/store/generations.ts): who works in which department,
-- kept per process until a member or a department of the workspace is written.
CREATE TRIGGER "cache_generation_members_members_insert" AFTER INSERT ON "members" BEGIN
  INSERT INTO "cache_generations" ("workspace_id", "kind", "generation") VALUES (NEW."workspace_id", 'members', 1)
    ON CONFLICT ("workspace_id", "kind") DO UPDATE SET "generation" = "generation" + 1;
END;
CREATE TRIGGER "cache_generation_members_members_update" AFTER UPDATE ON "members" BEGIN
  INSERT INTO "cache_generations" ("workspace_id", "kind", "generation") VALUES (NEW."workspace_id", 'members', 1)
    ON CONFLICT ("workspace_id", "kind") DO UPDATE SET "generation" = "generation" + 1;
  INSERT INTO "cache_generations" ("workspace_id", "kind", "generation") VALUES (OLD."workspace_id", 'members', 1)
    ON CONFLICT ("workspace_id", "kind") DO UPDATE SET "generation" = "generation" + 1;
END;
CREATE TRIGGER "cache_generation_members_members_delete" AFTER DELETE ON "members" BEGIN
  INSERT INTO "cache_generations" ("workspace_id", "kind", "generation") VALUES (OLD."workspace_id", 'members', 1)
    ON CONFLICT ("workspace_id", "kind") DO UPDATE SET "generation" = "generation" + 1;
END;
CREATE TRIGGER "cache_generation_members_departments_insert" AFTER INSERT ON "departments" BEGIN
  INSERT INTO "cache_generations" ("workspace_id", "kind", "generation") VALUES (NEW."workspace_id", 'members', 1)
    ON CONFLICT ("workspace_id", "kind") DO UPDATE SET "generation" = "generation" + 1;
END;
CREATE TRIGGER "cache_generation_members_departments_update" AFTER UPDATE ON "departments" BEGIN
  INSERT INTO "cache_generations" ("workspace_id", "kind", "generation") VALUES (NEW."workspace_id", 'members', 1)
    ON CONFLICT ("workspace_id", "kind") DO UPDATE SET "generation" = "generation" + 1;
  INSERT INTO "cache_generations" ("workspace_id", "kind", "generation") VALUES (OLD."workspace_id", 'members', 1)
    ON CONFLICT ("workspace_id", "kind") DO UPDATE SET "generation" = "generation" + 1;
END;
CREATE TRIGGER "cache_generation_members_departments_delete" AFTER DELETE ON "departments" BEGIN
  INSERT INTO "cache_generations" ("workspace_id", "kind", "generation") VALUES (OLD."workspace_id", 'members', 1)
    ON CONFLICT ("workspace_id", "kind") DO UPDATE SET "generation" = "generation" + 1;
END;
