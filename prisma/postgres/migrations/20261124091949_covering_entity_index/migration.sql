-- DropIndex
DROP INDEX "facts_workspace_id_kind_entity_id_occurred_ms_idx";

-- CreateIndex
CREATE INDEX "facts_workspace_id_kind_entity_id_occurred_ms_id_value_idx" ON "facts"("workspace_id", "kind", "entity_id", "occurred_ms", "id", "value");

