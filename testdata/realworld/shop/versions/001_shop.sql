-- shop: customers, products and orders (MariaDB/MySQL)
--
-- Revision ID: shop0001
-- Revises:
-- Branch Labels:
-- Depends On:
-- Create Date: 2026-12-03 10:00:00.000000+00:00

-- +retort upgrade
CREATE TABLE customer (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    email VARCHAR(200) NOT NULL,
    first_name VARCHAR(100) NOT NULL,
    last_name VARCHAR(100) NOT NULL,
    full_name VARCHAR(201) AS (CONCAT(first_name, ' ', last_name)) STORED,
    marketing_opt_in TINYINT(1) NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    UNIQUE KEY uq_customer_email (email),
    KEY ix_customer_name (last_name, first_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE product (
    id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    sku VARCHAR(40) NOT NULL,
    title VARCHAR(200) NOT NULL,
    description TEXT,
    price DECIMAL(10,2) NOT NULL DEFAULT 0.00,
    UNIQUE KEY uq_product_sku (sku),
    KEY ix_product_title (title(50))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

# orders grow a status enum in the next revision
CREATE TABLE orders (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    customer_id BIGINT UNSIGNED NOT NULL,
    status ENUM('new','paid') NOT NULL DEFAULT 'new',
    total DECIMAL(12,2) NOT NULL DEFAULT 0.00,
    placed_at DATETIME NOT NULL,
    KEY ix_orders_placed (placed_at),
    CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customer (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- +retort downgrade
DROP TABLE orders;
DROP TABLE product;
DROP TABLE customer;
