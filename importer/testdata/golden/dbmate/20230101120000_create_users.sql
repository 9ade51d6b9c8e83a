-- create users
--
-- Revision ID: 20230101120000
-- Revises:
-- Branch Labels:
-- Depends On:
-- Create Date:
-- Imported From: dbmate 20230101120000_create_users.sql

-- +retort upgrade
create table users (
  id serial primary key,
  name varchar(255) not null
);

-- +retort downgrade
drop table users;
