-- empty message
--
-- Revision ID: 0f9e8d7c6b5a
-- Revises:
-- Branch Labels:
-- Depends On:
-- Create Date: 2026-11-21 10:00:00.000000+00:00

-- +retort upgrade

-- +retort downgrade
