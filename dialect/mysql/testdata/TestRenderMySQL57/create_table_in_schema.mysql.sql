CREATE TABLE `audit`.`event` (
    `id` INT NOT NULL,
    `at` DATETIME(6) NOT NULL,
    PRIMARY KEY (`id`),
    INDEX `ix_event_at` (`at`)
);
