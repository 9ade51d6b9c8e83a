-- widget function
--
-- Revision ID: v0002
-- Revises: v0001
-- Branch Labels:
-- Depends On:
-- Create Date:
-- Imported From: tern 002_widget_function.sql

-- +retort upgrade
create function widget_count() returns bigint language sql as $$
  select count(*) from widgets;
$$;

-- +retort downgrade
drop function widget_count();
