ALTER TABLE "customer" ADD COLUMN "active" BOOLEAN DEFAULT '1' NOT NULL;
COMMENT ON COLUMN "customer"."active" IS 'still buying';
