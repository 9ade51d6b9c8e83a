-- create customer table
--
-- Revision ID: 1a2b3c4d5e6f
-- Revises: 0f9e8d7c6b5a
-- Branch Labels:
-- Depends On:
-- Create Date: 2026-11-21 10:00:00.000000+00:00

-- +retort upgrade
CREATE TABLE customer (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL);

-- +retort downgrade
DROP TABLE customer;
