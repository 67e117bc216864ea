-- AlterTable
ALTER TABLE "facts" ADD COLUMN     "next_ms" BIGINT,
ADD COLUMN     "prev_ms" BIGINT;

-- The columns exist here so both databases keep one schema, but PostgreSQL leaves them
-- NULL: SQLite keeps them by triggers (prisma/migrations/20261203090000_fact_neighbours),
-- and kpi-measures.ts reads them on SQLite only. Kept here, they would need writers of
-- one workspace to take turns (a writer relinking a chain must see every committed fact
-- of it), where PostgreSQL's writers now run side by side.
