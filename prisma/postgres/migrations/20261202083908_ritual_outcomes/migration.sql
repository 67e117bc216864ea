-- CreateTable
CREATE TABLE "ritual_outcomes" (
    "id" SERIAL NOT NULL,
    "ritual_id" INTEGER NOT NULL,
    "due_at" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "claimed_by" TEXT,
    "lease_until" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "verdict" TEXT,
    "value" DOUBLE PRECISION,
    "target" DOUBLE PRECISION,
    "baseline" DOUBLE PRECISION,
    "posted_at" TIMESTAMP(3),
    "message_id" TEXT,
    "error" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ritual_outcomes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ritual_outcomes_ritual_id_key" ON "ritual_outcomes"("ritual_id");

-- CreateIndex
CREATE INDEX "ritual_outcomes_status_due_at_idx" ON "ritual_outcomes"("status", "due_at");

-- AddForeignKey
ALTER TABLE "ritual_outcomes" ADD CONSTRAINT "ritual_outcomes_ritual_id_fkey" FOREIGN KEY ("ritual_id") REFERENCES "rituals"("id") ON DELETE CASCADE ON UPDATE CASCADE;

