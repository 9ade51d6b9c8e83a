ALTER TABLE `customer` COMMENT = '';
