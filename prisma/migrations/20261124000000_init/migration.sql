-- CreateTable
CREATE TABLE "workspaces" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "platform" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "gross_margin" REAL NOT NULL DEFAULT 1,
    "settings" TEXT NOT NULL DEFAULT '{}',
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "departments" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspace_id" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "departments_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "members" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspace_id" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "department_id" INTEGER,
    "role" TEXT NOT NULL DEFAULT 'member',
    "display_name" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "members_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "members_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "departments" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "metric_definitions" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspace_id" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT,
    "description" TEXT,
    "formula" TEXT,
    "unit" TEXT,
    "better" TEXT,
    "owners" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "metric_definitions_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "targets" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspace_id" INTEGER NOT NULL,
    "metric_key" TEXT NOT NULL,
    "grain" TEXT NOT NULL,
    "department" TEXT NOT NULL DEFAULT '',
    "value" REAL NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "targets_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "facts" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspace_id" INTEGER NOT NULL,
    "occurred_ms" BIGINT NOT NULL,
    "kind" TEXT NOT NULL,
    "entity_id" TEXT,
    "value" REAL,
    "channel" TEXT,
    "department" TEXT,
    "segment" TEXT,
    "external_id" TEXT,
    CONSTRAINT "facts_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ingest_tokens" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspace_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" DATETIME,
    "revoked_at" DATETIME,
    CONSTRAINT "ingest_tokens_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "installations" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspace_id" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "enterprise_id" TEXT NOT NULL DEFAULT '',
    "bot_user_id" TEXT,
    "data_enc" TEXT NOT NULL,
    "installed_by" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "installations_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "conversation_refs" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspace_id" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "conversation_id" TEXT NOT NULL,
    "name" TEXT,
    "reference" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "conversation_refs_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "digest_subscriptions" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspace_id" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "cadence" TEXT NOT NULL DEFAULT 'weekly',
    "day_of_week" INTEGER NOT NULL DEFAULT 1,
    "time" TEXT NOT NULL DEFAULT '09:00',
    "timezone" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "digest_subscriptions_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "digest_runs" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "subscription_id" INTEGER NOT NULL,
    "period_key" TEXT NOT NULL,
    "due_at" DATETIME NOT NULL,
    "status" TEXT NOT NULL,
    "claimed_by" TEXT NOT NULL,
    "claimed_at" DATETIME NOT NULL,
    "lease_until" DATETIME NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "posted_at" DATETIME,
    "message_id" TEXT,
    "error" TEXT,
    CONSTRAINT "digest_runs_subscription_id_fkey" FOREIGN KEY ("subscription_id") REFERENCES "digest_subscriptions" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "pulses" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspace_id" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "template" TEXT,
    "anonymous" BOOLEAN NOT NULL DEFAULT true,
    "status" TEXT NOT NULL DEFAULT 'open',
    "opens_at" DATETIME NOT NULL,
    "closes_at" DATETIME NOT NULL,
    "closed_at" DATETIME,
    "closed_ms" BIGINT,
    "reminder_at" DATETIME,
    "reminder_sent_at" DATETIME,
    "asked_count" INTEGER NOT NULL DEFAULT 0,
    "min_group_size" INTEGER NOT NULL DEFAULT 3,
    "recurrence" TEXT,
    "message_id" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "pulses_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "pulse_questions" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "pulse_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "tag" TEXT NOT NULL DEFAULT 'collaboration',
    "about_department" TEXT,
    CONSTRAINT "pulse_questions_pulse_id_fkey" FOREIGN KEY ("pulse_id") REFERENCES "pulses" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "pulse_responses" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "pulse_id" INTEGER NOT NULL,
    "question_id" INTEGER NOT NULL,
    "respondent_key" TEXT NOT NULL,
    "department" TEXT,
    "value" REAL,
    "text" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "pulse_responses_pulse_id_fkey" FOREIGN KEY ("pulse_id") REFERENCES "pulses" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "pulse_responses_question_id_fkey" FOREIGN KEY ("question_id") REFERENCES "pulse_questions" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "outbox" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspace_id" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lease_until" DATETIME,
    "last_error" TEXT,
    "message_id" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" DATETIME,
    CONSTRAINT "outbox_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspace_id" INTEGER NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '{}',
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "audit_log_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "rituals" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspace_id" INTEGER NOT NULL,
    "metric_key" TEXT NOT NULL,
    "period_key" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "thread_id" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "decision" TEXT,
    "decided_by" TEXT,
    "decided_at" DATETIME,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "rituals_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ritual_votes" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ritual_id" INTEGER NOT NULL,
    "voter_key" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "ritual_votes_ritual_id_fkey" FOREIGN KEY ("ritual_id") REFERENCES "rituals" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "config_documents" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspace_id" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "applied_by" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "config_documents_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "workspaces_platform_external_id_key" ON "workspaces"("platform", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "departments_workspace_id_key_key" ON "departments"("workspace_id", "key");

-- CreateIndex
CREATE UNIQUE INDEX "members_workspace_id_platform_user_id_key" ON "members"("workspace_id", "platform", "user_id");

-- CreateIndex
CREATE UNIQUE INDEX "metric_definitions_workspace_id_key_key" ON "metric_definitions"("workspace_id", "key");

-- CreateIndex
CREATE UNIQUE INDEX "targets_workspace_id_metric_key_grain_department_key" ON "targets"("workspace_id", "metric_key", "grain", "department");

-- CreateIndex
CREATE INDEX "facts_workspace_id_kind_occurred_ms_idx" ON "facts"("workspace_id", "kind", "occurred_ms");

-- CreateIndex
CREATE INDEX "facts_workspace_id_kind_entity_id_occurred_ms_idx" ON "facts"("workspace_id", "kind", "entity_id", "occurred_ms");

-- CreateIndex
CREATE UNIQUE INDEX "facts_workspace_id_external_id_key" ON "facts"("workspace_id", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "ingest_tokens_token_hash_key" ON "ingest_tokens"("token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "ingest_tokens_workspace_id_name_key" ON "ingest_tokens"("workspace_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "installations_platform_enterprise_id_team_id_key" ON "installations"("platform", "enterprise_id", "team_id");

-- CreateIndex
CREATE UNIQUE INDEX "conversation_refs_workspace_id_platform_conversation_id_key" ON "conversation_refs"("workspace_id", "platform", "conversation_id");

-- CreateIndex
CREATE UNIQUE INDEX "digest_subscriptions_workspace_id_platform_channel_id_key" ON "digest_subscriptions"("workspace_id", "platform", "channel_id");

-- CreateIndex
CREATE UNIQUE INDEX "digest_runs_subscription_id_period_key_key" ON "digest_runs"("subscription_id", "period_key");

-- CreateIndex
CREATE INDEX "pulses_workspace_id_status_closes_at_idx" ON "pulses"("workspace_id", "status", "closes_at");

-- CreateIndex
CREATE UNIQUE INDEX "pulse_questions_pulse_id_position_key" ON "pulse_questions"("pulse_id", "position");

-- CreateIndex
CREATE INDEX "pulse_responses_pulse_id_idx" ON "pulse_responses"("pulse_id");

-- CreateIndex
CREATE UNIQUE INDEX "pulse_responses_question_id_respondent_key_key" ON "pulse_responses"("question_id", "respondent_key");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_dedupe_key_key" ON "outbox"("dedupe_key");

-- CreateIndex
CREATE INDEX "outbox_status_next_attempt_at_idx" ON "outbox"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "audit_log_workspace_id_created_at_idx" ON "audit_log"("workspace_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "rituals_workspace_id_platform_channel_id_metric_key_period_key_key" ON "rituals"("workspace_id", "platform", "channel_id", "metric_key", "period_key");

-- CreateIndex
CREATE UNIQUE INDEX "ritual_votes_ritual_id_voter_key_key" ON "ritual_votes"("ritual_id", "voter_key");

