-- add index
--
-- Revision ID: abc
-- Revises: def
-- Branch Labels:
-- Depends On:
-- Create Date:

-- +retort upgrade
CREATE INDEX i ON t (a);

-- +retort downgrade
