DROP FUNCTION IF EXISTS "add"(integer, integer);
