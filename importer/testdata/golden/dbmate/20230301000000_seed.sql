-- seed
--
-- Revision ID: 20230301000000
-- Revises: 20230215083000
-- Branch Labels:
-- Depends On:
-- Create Date:
-- Imported From: dbmate 20230301000000_seed.sql

-- +retort upgrade
insert into users (name) values ('it''s me');

-- +retort downgrade
