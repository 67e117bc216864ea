-- CreateTable
CREATE TABLE "ritual_outcomes" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ritual_id" INTEGER NOT NULL,
    "due_at" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "claimed_by" TEXT,
    "lease_until" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "verdict" TEXT,
    "value" REAL,
    "target" REAL,
    "baseline" REAL,
    "posted_at" DATETIME,
    "message_id" TEXT,
    "error" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ritual_outcomes_ritual_id_fkey" FOREIGN KEY ("ritual_id") REFERENCES "rituals" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "ritual_outcomes_ritual_id_key" ON "ritual_outcomes"("ritual_id");

-- CreateIndex
CREATE INDEX "ritual_outcomes_status_due_at_idx" ON "ritual_outcomes"("status", "due_at");

