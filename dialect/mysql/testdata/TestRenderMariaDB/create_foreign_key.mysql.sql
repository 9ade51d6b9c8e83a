ALTER TABLE `tag` ADD CONSTRAINT `tag_customer_fk` FOREIGN KEY (`customer_id`) REFERENCES `sales`.`customer` (`id`) ON DELETE SET NULL;
