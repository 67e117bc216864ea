-- The "members" generation (src/store/generations.ts): who works in which department,
-- kept per process until a member or a department of the workspace is written; bumped
-- at commit like the others (20261202165000_cache_generations_at_commit).
CREATE CONSTRAINT TRIGGER cache_generation_members_members AFTER INSERT OR UPDATE OR DELETE ON members
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cache_generation_bump('members', 'workspace_id');
CREATE CONSTRAINT TRIGGER cache_generation_members_departments AFTER INSERT OR UPDATE OR DELETE ON departments
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cache_generation_bump('members', 'workspace_id');
