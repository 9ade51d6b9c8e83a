ALTER TYPE "sales"."mood" ADD VALUE IF NOT EXISTS 'meh' AFTER 'sad';
