-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_alerts" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "rule_id" INTEGER NOT NULL,
    "crossing" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "claimed_by" TEXT NOT NULL,
    "value" REAL,
    "message" TEXT NOT NULL DEFAULT '{}',
    "message_id" TEXT,
    "acknowledged_by" TEXT,
    "acknowledged_at" DATETIME,
    "snoozed_until" DATETIME,
    "snoozed_by" TEXT,
    "ritual_id" INTEGER,
    "lease_until" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "alerts_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "alert_rules" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_alerts" ("acknowledged_at", "acknowledged_by", "claimed_by", "created_at", "crossing", "id", "message", "message_id", "ritual_id", "rule_id", "snoozed_until", "status", "value") SELECT "acknowledged_at", "acknowledged_by", "claimed_by", "created_at", "crossing", "id", "message", "message_id", "ritual_id", "rule_id", "snoozed_until", "status", "value" FROM "alerts";
DROP TABLE "alerts";
ALTER TABLE "new_alerts" RENAME TO "alerts";
CREATE UNIQUE INDEX "alerts_rule_id_crossing_key" ON "alerts"("rule_id", "crossing");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

