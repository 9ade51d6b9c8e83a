DROP INDEX IF EXISTS "sales"."ix_c";
