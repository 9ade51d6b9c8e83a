CREATE TABLE IF NOT EXISTS `order line` (
    `order_id` BIGINT NOT NULL,
    `line` INT NOT NULL,
    `customer_id` BIGINT NOT NULL,
    PRIMARY KEY (`order_id`, `line`),
    CONSTRAINT `order_line_customer_fk` FOREIGN KEY (`customer_id`) REFERENCES `customer` (`id`) ON DELETE CASCADE ON UPDATE RESTRICT
);
