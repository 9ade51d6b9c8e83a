-- lower email
--
-- Revision ID: v0010
-- Revises: v0002
-- Branch Labels:
-- Depends On:
-- Create Date:
-- Imported From: golang-migrate 10_lower_email.up.sql

-- +retort upgrade
CREATE OR REPLACE FUNCTION lower_email() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.email := lower(NEW.email);
  RETURN NEW;
END $$;
CREATE TRIGGER users_lower BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION lower_email();

-- +retort downgrade
DROP TRIGGER users_lower ON users;
DROP FUNCTION lower_email();
