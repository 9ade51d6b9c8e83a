DROP VIEW IF EXISTS "sales"."rich";
CREATE VIEW "sales"."rich" AS SELECT id FROM customer;
