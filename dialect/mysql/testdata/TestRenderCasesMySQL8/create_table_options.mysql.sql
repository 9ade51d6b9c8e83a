CREATE TABLE `tag` (
    `id` INT NOT NULL,
    `label` VARCHAR(40),
    `account_id` BIGINT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
