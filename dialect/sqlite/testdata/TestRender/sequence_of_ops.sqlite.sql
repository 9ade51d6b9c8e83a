ALTER TABLE "customer" ADD COLUMN "x" INTEGER;
CREATE INDEX "ix_x" ON "customer" ("x");
