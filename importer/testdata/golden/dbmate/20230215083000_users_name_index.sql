-- users name index
--
-- Revision ID: 20230215083000
-- Revises: 20230101120000
-- Branch Labels:
-- Depends On:
-- Create Date:
-- Imported From: dbmate 20230215083000_users_name_index.sql

-- +retort no-transaction

-- +retort upgrade
create index concurrently users_name on users (name);

-- +retort downgrade
drop index concurrently users_name;
