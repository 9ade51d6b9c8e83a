-- people name
--
-- Revision ID: v0003
-- Revises: v0002
-- Branch Labels:
-- Depends On:
-- Create Date:
-- Imported From: sql-migrate 3_people_name.sql

-- +retort no-transaction

-- +retort upgrade
CREATE INDEX CONCURRENTLY people_name ON people (name);

-- +retort downgrade
DROP INDEX people_name;
