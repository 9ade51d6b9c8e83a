DROP INDEX IF EXISTS `ix_c` ON `sales`.`customer`;
