DROP FUNCTION IF EXISTS `sales`.`add`;
CREATE FUNCTION `sales`.`add`(a integer, b integer) RETURNS integer LANGUAGE sql AS $$ SELECT a + b + 0 $$;
