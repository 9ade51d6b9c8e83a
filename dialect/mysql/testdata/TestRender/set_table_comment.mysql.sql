ALTER TABLE `customer` COMMENT = 'buyers'' table';
