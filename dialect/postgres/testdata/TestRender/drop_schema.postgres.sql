DROP SCHEMA "sales";
