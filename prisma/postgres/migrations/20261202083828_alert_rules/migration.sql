-- CreateTable
CREATE TABLE "alert_rules" (
    "id" SERIAL NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'chat',
    "created_by" TEXT NOT NULL,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "state" TEXT NOT NULL DEFAULT 'armed',
    "crossings" INTEGER NOT NULL DEFAULT 0,
    "snoozed_until" TIMESTAMP(3),
    "last_value" DOUBLE PRECISION,
    "evaluated_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "alert_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alerts" (
    "id" SERIAL NOT NULL,
    "rule_id" INTEGER NOT NULL,
    "crossing" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "claimed_by" TEXT NOT NULL,
    "value" DOUBLE PRECISION,
    "message" TEXT NOT NULL DEFAULT '{}',
    "message_id" TEXT,
    "acknowledged_by" TEXT,
    "acknowledged_at" TIMESTAMP(3),
    "snoozed_until" TIMESTAMP(3),
    "ritual_id" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "facts_changes" (
    "workspace_id" INTEGER NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "changed_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "facts_changes_pkey" PRIMARY KEY ("workspace_id")
);

-- CreateIndex
CREATE INDEX "alert_rules_workspace_id_paused_idx" ON "alert_rules"("workspace_id", "paused");

-- CreateIndex
CREATE UNIQUE INDEX "alert_rules_workspace_id_platform_channel_id_rule_key" ON "alert_rules"("workspace_id", "platform", "channel_id", "rule");

-- CreateIndex
CREATE UNIQUE INDEX "alerts_rule_id_crossing_key" ON "alerts"("rule_id", "crossing");

-- AddForeignKey
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "alert_rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "facts_changes" ADD CONSTRAINT "facts_changes_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

