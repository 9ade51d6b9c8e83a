-- a cancelled state and the job_runs index, built concurrently
--
-- Revision ID: d4000000conc
-- Revises: c3000000runs
-- Branch Labels:
-- Depends On:
-- Create Date: 2026-12-01 09:00:00.000000+00:00

-- +retort no-transaction

-- +retort upgrade
ALTER TYPE job_state ADD VALUE IF NOT EXISTS 'cancelled' BEFORE 'done';
CREATE INDEX CONCURRENTLY IF NOT EXISTS job_runs_job_idx ON job_runs (job_id);

-- +retort downgrade
DROP INDEX CONCURRENTLY IF EXISTS job_runs_job_idx;
