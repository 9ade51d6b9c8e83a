-- profiles and the active users view
--
-- Revision ID: b2000000prof
-- Revises: a1000000auth
-- Branch Labels:
-- Depends On:
-- Create Date: 2026-12-01 09:00:00.000000+00:00

-- +retort upgrade
CREATE TABLE profiles (
    user_id uuid PRIMARY KEY REFERENCES auth.users (id),
    bio text,
    avatar_url text,
    settings jsonb NOT NULL DEFAULT '{}'
);
CREATE VIEW active_users AS
    SELECT id, email FROM auth.users WHERE last_login_at > now() - interval '30 days';
CREATE FUNCTION auth.normalize_email(e text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower(trim(e)) $$;
GRANT SELECT ON profiles TO retort_fixture_reader;

-- +retort downgrade
DROP FUNCTION auth.normalize_email(text);
DROP VIEW active_users;
DROP TABLE profiles;
