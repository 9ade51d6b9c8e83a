-- init
--
-- Revision ID: 20230101000000
-- Revises:
-- Branch Labels:
-- Depends On:
-- Create Date:
-- Imported From: atlas 20230101000000_init.sql

-- +retort upgrade
-- Create "users" table
CREATE TABLE "users" ("id" bigint NOT NULL, "name" character varying NOT NULL, PRIMARY KEY ("id"));
