CREATE INDEX IF NOT EXISTS `ix_c` ON `sales`.`customer` (`name`);
