-- create users
--
-- Revision ID: v0001
-- Revises:
-- Branch Labels:
-- Depends On:
-- Create Date:
-- Imported From: golang-migrate 1_create_users.up.sql

-- +retort upgrade
CREATE TABLE users (
    id    SERIAL PRIMARY KEY,
    email VARCHAR(200) NOT NULL
);

-- +retort downgrade
DROP TABLE IF EXISTS users;
