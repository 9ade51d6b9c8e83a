CREATE TABLE `line` (
    `qty` INT NOT NULL,
    `price` NUMERIC(10, 2) NOT NULL,
    `total` NUMERIC(12, 2) GENERATED ALWAYS AS (qty * price) STORED
);
