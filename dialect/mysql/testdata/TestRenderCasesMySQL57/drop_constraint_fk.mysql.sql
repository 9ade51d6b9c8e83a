ALTER TABLE `tag` DROP FOREIGN KEY `tag_customer_fk`;
