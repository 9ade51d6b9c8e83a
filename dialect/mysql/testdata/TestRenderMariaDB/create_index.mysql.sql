CREATE INDEX `ix_customer_name_email` ON `customer` (`name`, `email`);
