ALTER TABLE `account` ADD COLUMN `score` INT DEFAULT (1 + 1);
