-- Person index
--
-- Revision ID: v0002
-- Revises: v1_10
-- Branch Labels:
-- Depends On:
-- Create Date:
-- Imported From: flyway sub/V2__Person_index.sql

-- +retort no-transaction

-- +retort upgrade
create index concurrently PERSON_NAME on PERSON (NAME);
