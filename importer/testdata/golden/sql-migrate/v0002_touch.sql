-- touch
--
-- Revision ID: v0002
-- Revises: v0001
-- Branch Labels:
-- Depends On:
-- Create Date:
-- Imported From: sql-migrate 2_touch.sql

-- +retort upgrade
CREATE FUNCTION touch() RETURNS trigger AS $$
BEGIN
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

-- +retort downgrade
DROP FUNCTION touch();
