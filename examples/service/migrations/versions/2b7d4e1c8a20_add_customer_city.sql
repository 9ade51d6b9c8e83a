-- add customer city
--
-- Revision ID: 2b7d4e1c8a20
-- Revises: 1f0c2a7e9b10
-- Branch Labels:
-- Depends On:
-- Create Date: 2026-11-21 10:00:00.000000+00:00

-- +retort upgrade
ALTER TABLE customer ADD COLUMN city TEXT;

-- +retort downgrade
ALTER TABLE customer DROP COLUMN city;
