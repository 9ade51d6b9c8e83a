-- email index
--
-- Revision ID: 00004
-- Revises: 00003
-- Branch Labels:
-- Depends On:
-- Create Date:
-- Imported From: goose 00004_email_index.sql

-- +retort no-transaction

-- +retort upgrade
CREATE INDEX CONCURRENTLY users_email_lower ON users (lower(email));

-- +retort downgrade
DROP INDEX CONCURRENTLY users_email_lower;
