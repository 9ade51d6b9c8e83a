-- a failed state
--
-- Revision ID: b2000000fail
-- Revises: a1000000jobs
-- Branch Labels:
-- Depends On:
-- Create Date: 2026-12-01 09:00:00.000000+00:00

-- +retort upgrade
ALTER TYPE job_state ADD VALUE 'failed';

-- +retort downgrade
SELECT 1;
