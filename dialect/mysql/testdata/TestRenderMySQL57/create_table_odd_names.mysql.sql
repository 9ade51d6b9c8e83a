CREATE TABLE `we"ird table` (
    `select` LONGTEXT DEFAULT ('it''s'),
    `Mixed Case` INT
);
