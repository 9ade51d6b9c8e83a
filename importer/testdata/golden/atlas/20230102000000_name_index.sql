-- name index
--
-- Revision ID: 20230102000000
-- Revises: 20230101000000
-- Branch Labels:
-- Depends On:
-- Create Date:
-- Imported From: atlas 20230102000000_name_index.sql

-- +retort no-transaction

-- +retort upgrade
-- Create index "users_name" to table: "users"
CREATE INDEX CONCURRENTLY "users_name" ON "users" ("name");
