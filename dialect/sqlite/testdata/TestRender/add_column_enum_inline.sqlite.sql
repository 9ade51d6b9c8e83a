ALTER TABLE "customer" ADD COLUMN "mood" TEXT NOT NULL DEFAULT 'it''s ok';
