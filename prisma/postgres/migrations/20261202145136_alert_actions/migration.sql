-- AlterTable
ALTER TABLE "alerts" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "lease_until" TIMESTAMP(3),
ADD COLUMN     "snoozed_by" TEXT;

