COMMENT ON COLUMN "customer"."name" IS 'given and family name';
