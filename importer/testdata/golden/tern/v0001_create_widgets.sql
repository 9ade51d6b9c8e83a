-- create widgets
--
-- Revision ID: v0001
-- Revises:
-- Branch Labels:
-- Depends On:
-- Create Date:
-- Imported From: tern 001_create_widgets.sql

-- +retort upgrade
create table widgets (
  id serial primary key,
  name text not null
);

-- +retort downgrade
drop table widgets;
