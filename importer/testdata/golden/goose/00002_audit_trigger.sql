-- audit trigger
--
-- Revision ID: 00002
-- Revises: 00001
-- Branch Labels:
-- Depends On:
-- Create Date:
-- Imported From: goose 00002_audit_trigger.sql

-- +retort upgrade
CREATE FUNCTION audit_users() RETURNS trigger AS $$
BEGIN
    NEW.email := lower(NEW.email);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

DO $body$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'auditor') THEN
        RAISE NOTICE 'no auditor role';
    END IF;
END
$body$;

CREATE TRIGGER users_audit BEFORE INSERT ON users
    FOR EACH ROW EXECUTE FUNCTION audit_users();

-- +retort downgrade
DROP TRIGGER users_audit ON users;
DROP FUNCTION audit_users();
