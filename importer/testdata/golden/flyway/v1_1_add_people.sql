-- Add people
--
-- Revision ID: v1_1
-- Revises: v0001
-- Branch Labels:
-- Depends On:
-- Create Date:
-- Imported From: flyway V1.1__Add_people.sql

-- +retort upgrade
insert into PERSON (ID, NAME) values (1, 'Axel');
insert into PERSON (ID, NAME) values (2, 'Mr. Foo');
