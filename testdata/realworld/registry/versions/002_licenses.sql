-- licenses, downloads and an audit log, guarded by DO blocks
--
-- Revision ID: b2000000lics
-- Revises: a1000000pkgs
-- Branch Labels:
-- Depends On:
-- Create Date: 2026-12-01 09:00:00.000000+00:00

-- +retort upgrade
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_type WHERE typname = 'license_kind') THEN
        CREATE TYPE license_kind AS ENUM ('mit', 'apache-2.0', 'gpl-3.0', 'other');
    END IF;
END
$$;
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM information_schema.columns WHERE table_name = 'packages' AND column_name = 'license') THEN
        ALTER TABLE packages ADD COLUMN license license_kind;
    END IF;
END
$$;
CREATE TABLE downloads (
    version_id integer NOT NULL REFERENCES versions (id),
    day date NOT NULL,
    count bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (version_id, day)
);
CREATE INDEX downloads_day_idx ON downloads (day DESC);
CREATE SEQUENCE audit_seq START 100;
CREATE TABLE audit_log (
    id bigint PRIMARY KEY DEFAULT nextval('audit_seq'),
    at timestamptz NOT NULL DEFAULT now(),
    what text NOT NULL
);
CREATE FUNCTION audit_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit_log (what) VALUES ('version ' || NEW.version);
    RETURN NEW;
END
$$;
CREATE TRIGGER versions_audit AFTER INSERT ON versions FOR EACH ROW EXECUTE FUNCTION audit_version();
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_indexes WHERE indexname = 'versions_published_idx') THEN
        CREATE INDEX versions_published_idx ON versions (published_at);
    END IF;
END
$$;

-- +retort downgrade
DROP TRIGGER versions_audit ON versions;
DROP FUNCTION audit_version();
DROP INDEX versions_published_idx;
DROP TABLE audit_log;
DROP SEQUENCE audit_seq;
DROP TABLE downloads;
ALTER TABLE packages DROP COLUMN license;
DROP TYPE license_kind;
