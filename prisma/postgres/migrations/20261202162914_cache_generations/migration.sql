-- CreateTable
CREATE TABLE "cache_generations" (
    "workspace_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "generation" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "cache_generations_pkey" PRIMARY KEY ("workspace_id","kind")
);



-- Generations (src/store/generations.ts): every write to a table that a kind of cached
-- read depends on bumps the workspace's generation of that kind in its own transaction,
-- so a process that reads the generation first never keeps using what it read before
-- the write. workspaces' own id is "id", the others' "workspace_id".
-- Statement-level: a bulk write bumps each workspace once.

CREATE FUNCTION "cache_generation_workspaces"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format($sql$
    INSERT INTO cache_generations (workspace_id, kind, generation)
    SELECT DISTINCT "id", 'settings', 1 FROM (%s) AS w ORDER BY 1
    ON CONFLICT (workspace_id, kind) DO UPDATE SET generation = cache_generations.generation + 1$sql$,
    CASE TG_OP WHEN 'INSERT' THEN 'SELECT "id" FROM new_rows' WHEN 'DELETE' THEN 'SELECT "id" FROM old_rows'
      ELSE 'SELECT "id" FROM new_rows UNION ALL SELECT "id" FROM old_rows' END);
  RETURN NULL;
END $$;
CREATE TRIGGER cache_generation_workspaces_update AFTER UPDATE ON workspaces
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "cache_generation_workspaces"();

CREATE FUNCTION "cache_generation_departments"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format($sql$
    INSERT INTO cache_generations (workspace_id, kind, generation)
    SELECT DISTINCT "workspace_id", 'settings', 1 FROM (%s) AS w ORDER BY 1
    ON CONFLICT (workspace_id, kind) DO UPDATE SET generation = cache_generations.generation + 1$sql$,
    CASE TG_OP WHEN 'INSERT' THEN 'SELECT "workspace_id" FROM new_rows' WHEN 'DELETE' THEN 'SELECT "workspace_id" FROM old_rows'
      ELSE 'SELECT "workspace_id" FROM new_rows UNION ALL SELECT "workspace_id" FROM old_rows' END);
  RETURN NULL;
END $$;
CREATE TRIGGER cache_generation_departments_insert AFTER INSERT ON departments
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "cache_generation_departments"();
CREATE TRIGGER cache_generation_departments_update AFTER UPDATE ON departments
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "cache_generation_departments"();
CREATE TRIGGER cache_generation_departments_delete AFTER DELETE ON departments
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "cache_generation_departments"();

CREATE FUNCTION "cache_generation_metric_definitions"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format($sql$
    INSERT INTO cache_generations (workspace_id, kind, generation)
    SELECT DISTINCT "workspace_id", 'settings', 1 FROM (%s) AS w ORDER BY 1
    ON CONFLICT (workspace_id, kind) DO UPDATE SET generation = cache_generations.generation + 1$sql$,
    CASE TG_OP WHEN 'INSERT' THEN 'SELECT "workspace_id" FROM new_rows' WHEN 'DELETE' THEN 'SELECT "workspace_id" FROM old_rows'
      ELSE 'SELECT "workspace_id" FROM new_rows UNION ALL SELECT "workspace_id" FROM old_rows' END);
  RETURN NULL;
END $$;
CREATE TRIGGER cache_generation_metric_definitions_insert AFTER INSERT ON metric_definitions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "cache_generation_metric_definitions"();
CREATE TRIGGER cache_generation_metric_definitions_update AFTER UPDATE ON metric_definitions
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "cache_generation_metric_definitions"();
CREATE TRIGGER cache_generation_metric_definitions_delete AFTER DELETE ON metric_definitions
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "cache_generation_metric_definitions"();

CREATE FUNCTION "cache_generation_targets"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format($sql$
    INSERT INTO cache_generations (workspace_id, kind, generation)
    SELECT DISTINCT "workspace_id", 'settings', 1 FROM (%s) AS w ORDER BY 1
    ON CONFLICT (workspace_id, kind) DO UPDATE SET generation = cache_generations.generation + 1$sql$,
    CASE TG_OP WHEN 'INSERT' THEN 'SELECT "workspace_id" FROM new_rows' WHEN 'DELETE' THEN 'SELECT "workspace_id" FROM old_rows'
      ELSE 'SELECT "workspace_id" FROM new_rows UNION ALL SELECT "workspace_id" FROM old_rows' END);
  RETURN NULL;
END $$;
CREATE TRIGGER cache_generation_targets_insert AFTER INSERT ON targets
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "cache_generation_targets"();
CREATE TRIGGER cache_generation_targets_update AFTER UPDATE ON targets
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "cache_generation_targets"();
CREATE TRIGGER cache_generation_targets_delete AFTER DELETE ON targets
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "cache_generation_targets"();

CREATE FUNCTION "cache_generation_sources"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format($sql$
    INSERT INTO cache_generations (workspace_id, kind, generation)
    SELECT DISTINCT "workspace_id", 'sources', 1 FROM (%s) AS w ORDER BY 1
    ON CONFLICT (workspace_id, kind) DO UPDATE SET generation = cache_generations.generation + 1$sql$,
    CASE TG_OP WHEN 'INSERT' THEN 'SELECT "workspace_id" FROM new_rows' WHEN 'DELETE' THEN 'SELECT "workspace_id" FROM old_rows'
      ELSE 'SELECT "workspace_id" FROM new_rows UNION ALL SELECT "workspace_id" FROM old_rows' END);
  RETURN NULL;
END $$;
CREATE TRIGGER cache_generation_sources_insert AFTER INSERT ON sources
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "cache_generation_sources"();
CREATE TRIGGER cache_generation_sources_update AFTER UPDATE ON sources
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "cache_generation_sources"();
CREATE TRIGGER cache_generation_sources_delete AFTER DELETE ON sources
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "cache_generation_sources"();
