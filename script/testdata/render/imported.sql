-- add email index
--
-- Revision ID: v0002
-- Revises: v0001
-- Branch Labels:
-- Depends On:
-- Create Date:
-- Imported From: goose 00002_add_email_index.sql

-- +retort no-transaction

-- +retort upgrade
CREATE INDEX CONCURRENTLY i ON t (a);

-- +retort downgrade
DROP INDEX i;
