-- create users
--
-- Revision ID: 00001
-- Revises:
-- Branch Labels:
-- Depends On:
-- Create Date:
-- Imported From: goose 00001_create_users.sql

-- +retort upgrade
CREATE TABLE users (
    id    BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE -- ; inside a comment
);
INSERT INTO users (email) VALUES ('admin@example.com;');

-- +retort downgrade
DROP TABLE users;
