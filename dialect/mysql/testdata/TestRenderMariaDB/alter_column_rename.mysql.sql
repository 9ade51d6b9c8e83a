ALTER TABLE `customer` RENAME COLUMN `name` TO `full name`;
