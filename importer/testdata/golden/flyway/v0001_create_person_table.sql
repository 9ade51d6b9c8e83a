-- Create person table
--
-- Revision ID: v0001
-- Revises:
-- Branch Labels:
-- Depends On:
-- Create Date:
-- Imported From: flyway V1__Create_person_table.sql

-- +retort upgrade
create table PERSON (
    ID int not null,
    NAME varchar(100) not null
);
