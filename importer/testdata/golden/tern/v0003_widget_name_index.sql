-- widget name index
--
-- Revision ID: v0003
-- Revises: v0002
-- Branch Labels:
-- Depends On:
-- Create Date:
-- Imported From: tern 003_widget_name_index.sql

-- +retort no-transaction

-- +retort upgrade
create index concurrently widgets_name on widgets (name);

-- +retort downgrade
drop index concurrently widgets_name;
