-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_targets" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspace_id" INTEGER NOT NULL,
    "metric_key" TEXT NOT NULL,
    "grain" TEXT NOT NULL,
    "department" TEXT NOT NULL DEFAULT '',
    "value" REAL NOT NULL,
    "origin" TEXT NOT NULL DEFAULT 'user',
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "targets_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_targets" ("created_at", "department", "grain", "id", "metric_key", "updated_at", "value", "workspace_id") SELECT "created_at", "department", "grain", "id", "metric_key", "updated_at", "value", "workspace_id" FROM "targets";
DROP TABLE "targets";
ALTER TABLE "new_targets" RENAME TO "targets";
CREATE UNIQUE INDEX "targets_workspace_id_metric_key_grain_department_key" ON "targets"("workspace_id", "metric_key", "grain", "department");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- Targets the demo data set set before they carried an origin: the demo's exact values.
UPDATE "targets" SET "origin" = 'demo' WHERE "department" = '' AND "grain" = 'month' AND (
  ("metric_key" = 'leads' AND "value" = 700) OR ("metric_key" = 'mql_to_sql_rate' AND "value" = 0.38) OR
  ("metric_key" = 'win_rate' AND "value" = 0.4) OR ("metric_key" = 'new_revenue' AND "value" = 200000) OR
  ("metric_key" = 'cac' AND "value" = 4200) OR ("metric_key" = 'customer_churn_rate' AND "value" = 0.025) OR
  ("metric_key" = 'nps' AND "value" = 45));
