-- CreateTable
CREATE TABLE "alert_rules" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspace_id" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'chat',
    "created_by" TEXT NOT NULL,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "state" TEXT NOT NULL DEFAULT 'armed',
    "crossings" INTEGER NOT NULL DEFAULT 0,
    "snoozed_until" DATETIME,
    "last_value" REAL,
    "evaluated_at" DATETIME,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "alert_rules_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "alerts" (
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
    "ritual_id" INTEGER,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "alerts_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "alert_rules" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "facts_changes" (
    "workspace_id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "changed_at" DATETIME NOT NULL,
    CONSTRAINT "facts_changes_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "alert_rules_workspace_id_paused_idx" ON "alert_rules"("workspace_id", "paused");

-- CreateIndex
CREATE UNIQUE INDEX "alert_rules_workspace_id_platform_channel_id_rule_key" ON "alert_rules"("workspace_id", "platform", "channel_id", "rule");

-- CreateIndex
CREATE UNIQUE INDEX "alerts_rule_id_crossing_key" ON "alerts"("rule_id", "crossing");

