-- jobs with a state enum and partial indexes
--
-- Revision ID: a1000000jobs
-- Revises: 
-- Branch Labels:
-- Depends On:
-- Create Date: 2026-12-01 09:00:00.000000+00:00

-- +retort upgrade
CREATE TYPE job_state AS ENUM ('queued', 'running', 'done');
CREATE TABLE jobs (
    id bigserial PRIMARY KEY,
    queue text NOT NULL DEFAULT 'default',
    state job_state NOT NULL DEFAULT 'queued',
    payload jsonb NOT NULL,
    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    run_at timestamptz NOT NULL DEFAULT now(),
    locked_by text,
    locked_at timestamptz
);
CREATE INDEX jobs_ready_idx ON jobs (queue, run_at) WHERE state = 'queued';
CREATE INDEX jobs_locked_idx ON jobs (locked_at) WHERE locked_by IS NOT NULL;

-- +retort downgrade
DROP TABLE jobs;
DROP TYPE job_state;
