ALTER TABLE "customer" ALTER COLUMN "balance" TYPE NUMERIC(12, 4) USING balance::numeric(12,4);
