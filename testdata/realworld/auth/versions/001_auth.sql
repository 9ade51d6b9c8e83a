-- extensions, auth schema, users and sessions
--
-- Revision ID: a1000000auth
-- Revises: 
-- Branch Labels:
-- Depends On:
-- Create Date: 2026-12-01 09:00:00.000000+00:00

-- +retort upgrade
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE EXTENSION IF NOT EXISTS citext;
CREATE SCHEMA auth;
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'retort_fixture_reader') THEN
        CREATE ROLE retort_fixture_reader NOLOGIN;
    END IF;
END
$$;
CREATE TABLE auth.users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email citext NOT NULL,
    password_hash text NOT NULL,
    display_name text,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz,
    CONSTRAINT users_email_key UNIQUE (email)
);
CREATE TABLE auth.sessions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
    token_hash bytea NOT NULL,
    expires_at timestamptz NOT NULL,
    revoked boolean NOT NULL DEFAULT false
);
CREATE INDEX sessions_user_idx ON auth.sessions (user_id);
CREATE INDEX sessions_live_idx ON auth.sessions (expires_at) WHERE NOT revoked;
GRANT USAGE ON SCHEMA auth TO retort_fixture_reader;
GRANT SELECT ON auth.users TO retort_fixture_reader;
COMMENT ON TABLE auth.users IS 'one row per account';

-- +retort downgrade
DROP TABLE auth.sessions;
DROP TABLE auth.users;
DROP SCHEMA auth;
