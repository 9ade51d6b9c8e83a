ALTER TABLE `customer` ADD COLUMN `x` INT;
CREATE INDEX `ix_x` ON `customer` (`x`);
