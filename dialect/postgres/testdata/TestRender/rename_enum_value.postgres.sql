ALTER TYPE "sales"."mood" RENAME VALUE 'ok' TO 'it''s ok';
