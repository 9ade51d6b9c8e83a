-- merge billing and main
--
-- Two heads appeared when billing
-- branched off.
--
-- Revision ID: aaaa11112222
-- Revises: bbbb, cccc
-- Branch Labels: billing
-- Depends On: dddd, auth
-- Create Date: 2026-01-02 03:04:05.600000-05:00

-- +retort upgrade

-- +retort downgrade
