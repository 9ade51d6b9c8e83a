ALTER TABLE `tag` DROP FOREIGN KEY `tag_customer_fk`, DROP INDEX IF EXISTS `tag_customer_fk`;
