ALTER TABLE `customer` RENAME TO `client`;
