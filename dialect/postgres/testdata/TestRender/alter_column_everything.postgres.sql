ALTER TABLE "sales"."customer" ALTER COLUMN "email" TYPE TEXT;
ALTER TABLE "sales"."customer" ALTER COLUMN "email" SET NOT NULL;
ALTER TABLE "sales"."customer" ALTER COLUMN "email" SET DEFAULT 'none';
COMMENT ON COLUMN "sales"."customer"."email" IS NULL;
ALTER TABLE "sales"."customer" RENAME COLUMN "email" TO "mail";
