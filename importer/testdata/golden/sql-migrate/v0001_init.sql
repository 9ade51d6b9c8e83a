-- init
--
-- Revision ID: v0001
-- Revises:
-- Branch Labels:
-- Depends On:
-- Create Date:
-- Imported From: sql-migrate 1_init.sql

-- +retort upgrade
CREATE TABLE people (id int PRIMARY KEY, name text);

-- +retort downgrade
DROP TABLE people;
