CREATE INDEX CONCURRENTLY IF NOT EXISTS "ix_c" ON "sales"."customer" ("name");
