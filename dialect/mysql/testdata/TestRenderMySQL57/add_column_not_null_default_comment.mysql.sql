ALTER TABLE `customer` ADD COLUMN `active` BOOL NOT NULL DEFAULT '1' COMMENT 'still buying';
