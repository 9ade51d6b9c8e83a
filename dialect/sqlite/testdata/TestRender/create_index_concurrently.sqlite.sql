CREATE INDEX IF NOT EXISTS "sales"."ix_c" ON "customer" ("name");
