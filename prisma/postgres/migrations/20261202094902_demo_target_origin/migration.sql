-- AlterTable
ALTER TABLE "targets" ADD COLUMN     "origin" TEXT NOT NULL DEFAULT 'user';

-- Targets the demo data set set before they carried an origin: the demo's exact values.
UPDATE "targets" SET "origin" = 'demo' WHERE "department" = '' AND "grain" = 'month' AND (
  ("metric_key" = 'leads' AND "value" = 700) OR ("metric_key" = 'mql_to_sql_rate' AND "value" = 0.38) OR
  ("metric_key" = 'win_rate' AND "value" = 0.4) OR ("metric_key" = 'new_revenue' AND "value" = 200000) OR
  ("metric_key" = 'cac' AND "value" = 4200) OR ("metric_key" = 'customer_churn_rate' AND "value" = 0.025) OR
  ("metric_key" = 'nps' AND "value" = 45));
