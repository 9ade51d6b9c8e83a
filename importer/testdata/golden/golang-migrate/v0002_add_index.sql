-- add index
--
-- Revision ID: v0002
-- Revises: v0001
-- Branch Labels:
-- Depends On:
-- Create Date:
-- Imported From: golang-migrate 2_add_index.up.sql

-- +retort upgrade
CREATE UNIQUE INDEX users_email ON users (email);
