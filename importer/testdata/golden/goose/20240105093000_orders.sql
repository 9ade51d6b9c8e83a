-- orders
--
-- Revision ID: 20240105093000
-- Revises: 00004
-- Branch Labels:
-- Depends On:
-- Create Date:
-- Imported From: goose 20240105093000_orders.sql

-- +retort upgrade
CREATE TABLE orders (id BIGSERIAL PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES users (id));
