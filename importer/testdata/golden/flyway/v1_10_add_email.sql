-- Add email
--
-- Revision ID: v1_10
-- Revises: v1_1
-- Branch Labels:
-- Depends On:
-- Create Date:
-- Imported From: flyway V1_10__Add_email.sql

-- +retort upgrade
alter table PERSON add column EMAIL varchar(200);

-- +retort downgrade
alter table PERSON drop column EMAIL;
