-- order lines, a status that grows, a trigger keeping totals
--
-- Revision ID: shop0002
-- Revises: shop0001
-- Branch Labels:
-- Depends On:
-- Create Date: 2026-12-03 10:05:00.000000+00:00

-- +retort upgrade
ALTER TABLE orders MODIFY status ENUM('new','paid','shipped','cancelled') NOT NULL DEFAULT 'new';

CREATE TABLE order_line (
    order_id BIGINT UNSIGNED NOT NULL,
    line_no SMALLINT NOT NULL,
    product_id INT NOT NULL,
    quantity INT NOT NULL DEFAULT 1,
    unit_price DECIMAL(10,2) NOT NULL,
    PRIMARY KEY (order_id, line_no),
    KEY ix_order_line_product (product_id),
    CONSTRAINT fk_line_order FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE,
    CONSTRAINT fk_line_product FOREIGN KEY (product_id) REFERENCES product (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

DELIMITER //
CREATE TRIGGER order_line_total AFTER INSERT ON order_line FOR EACH ROW
BEGIN
    UPDATE orders SET total = total + NEW.quantity * NEW.unit_price WHERE id = NEW.order_id;
END//
DELIMITER ;

-- +retort downgrade
DROP TRIGGER order_line_total;
DROP TABLE order_line;
ALTER TABLE orders MODIFY status ENUM('new','paid') NOT NULL DEFAULT 'new';
