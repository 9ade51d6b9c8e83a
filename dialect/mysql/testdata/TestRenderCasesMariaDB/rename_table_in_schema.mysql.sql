ALTER TABLE `sales`.`customer` RENAME TO `sales`.`client`;
