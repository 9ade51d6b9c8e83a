-- products and orders with generated and identity columns
--
-- Revision ID: a1000000prod
-- Revises: 
-- Branch Labels:
-- Depends On:
-- Create Date: 2026-12-01 09:00:00.000000+00:00

-- +retort upgrade
CREATE TABLE products (
    id bigint GENERATED ALWAYS AS IDENTITY (START WITH 1000) PRIMARY KEY,
    sku text NOT NULL,
    name text NOT NULL,
    price_cents integer NOT NULL,
    tax_rate numeric(5,4) NOT NULL DEFAULT 0.2,
    price_with_tax numeric GENERATED ALWAYS AS (price_cents * (1 + tax_rate) / 100) STORED,
    tags text[] NOT NULL DEFAULT '{}',
    search tsvector GENERATED ALWAYS AS (to_tsvector('simple', coalesce(name, '') || ' ' || sku)) STORED,
    sizes int4range,
    attrs jsonb,
    origin inet
);
CREATE UNIQUE INDEX products_sku_key ON products (lower(sku));
CREATE INDEX products_search_idx ON products USING gin (search);
CREATE INDEX products_tags_idx ON products USING gin (tags);
CREATE TABLE orders (
    id serial PRIMARY KEY,
    product_id bigint NOT NULL REFERENCES products (id),
    qty smallint NOT NULL,
    total_cents integer GENERATED ALWAYS AS (qty * 100) STORED,
    note varchar(200),
    placed date DEFAULT CURRENT_DATE,
    placed_at time(3),
    flags bit varying(8),
    ref uuid
);

-- +retort downgrade
DROP TABLE orders;
DROP TABLE products;
