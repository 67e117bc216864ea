-- The generation triggers of 20261202162914_cache_generations, replaced by ones deferred to the commit.
DROP TRIGGER cache_generation_workspaces_update ON workspaces;
DROP TRIGGER cache_generation_departments_insert ON departments;
DROP TRIGGER cache_generation_departments_update ON departments;
DROP TRIGGER cache_generation_departments_delete ON departments;
DROP TRIGGER cache_generation_metric_definitions_insert ON metric_definitions;
DROP TRIGGER cache_generation_metric_definitions_update ON metric_definitions;
DROP TRIGGER cache_generation_metric_definitions_delete ON metric_definitions;
DROP TRIGGER cache_generation_targets_insert ON targets;
DROP TRIGGER cache_generation_targets_update ON targets;
DROP TRIGGER cache_generation_targets_delete ON targets;
DROP TRIGGER cache_generation_sources_insert ON sources;
DROP TRIGGER cache_generation_sources_update ON sources;
DROP TRIGGER cache_generation_sources_delete ON sources;
DROP FUNCTION "cache_generation_workspaces"();
DROP FUNCTION "cache_generation_departments"();
DROP FUNCTION "cache_generation_metric_definitions"();
DROP FUNCTION "cache_generation_targets"();
DROP FUNCTION "cache_generation_sources"();

-- Generations (src/store/generations.ts), bumped when the writing transaction commits
-- instead of at each statement: a long transaction (a source sync's page of facts) holds
-- the generation's row lock only while it commits, so writers of one workspace never
-- queue behind each other for it. Still in the writing transaction: a reader sees the
-- write and the bump together.
-- Arguments: the kind, and the column naming the workspace ("id" for workspaces).
CREATE FUNCTION "cache_generation_bump"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO cache_generations (workspace_id, kind, generation)
    VALUES ((to_jsonb(OLD) ->> TG_ARGV[1])::integer, TG_ARGV[0], 1)
    ON CONFLICT (workspace_id, kind) DO UPDATE SET generation = cache_generations.generation + 1;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO cache_generations (workspace_id, kind, generation)
    VALUES ((to_jsonb(NEW) ->> TG_ARGV[1])::integer, TG_ARGV[0], 1)
    ON CONFLICT (workspace_id, kind) DO UPDATE SET generation = cache_generations.generation + 1;
  END IF;
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER cache_generation_workspaces AFTER UPDATE ON workspaces
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cache_generation_bump('settings', 'id');
CREATE CONSTRAINT TRIGGER cache_generation_departments AFTER INSERT OR UPDATE OR DELETE ON departments
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cache_generation_bump('settings', 'workspace_id');
CREATE CONSTRAINT TRIGGER cache_generation_metric_definitions AFTER INSERT OR UPDATE OR DELETE ON metric_definitions
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cache_generation_bump('settings', 'workspace_id');
CREATE CONSTRAINT TRIGGER cache_generation_targets AFTER INSERT OR UPDATE OR DELETE ON targets
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cache_generation_bump('settings', 'workspace_id');
CREATE CONSTRAINT TRIGGER cache_generation_sources AFTER INSERT OR UPDATE OR DELETE ON sources
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cache_generation_bump('sources', 'workspace_id');
